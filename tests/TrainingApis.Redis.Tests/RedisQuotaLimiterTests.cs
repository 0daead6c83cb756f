using System.Diagnostics;
using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using TrainingApis.Core;

namespace TrainingApis.Redis.Tests;

/// <summary>The shared limiter on its own, against in-process Garnet in real (scaled-down) time.</summary>
[Collection(GarnetCollection.Name)]
public sealed class RedisQuotaLimiterTests(GarnetFixture garnet)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_crashed_holders_permits_return_after_its_lease_time_to_live_and_the_window()
    {
        var partition = Partition(limit: 3, leaseTimeToLive: TimeSpan.FromMilliseconds(500));
        var prefix = SharedQuotaTests.UniquePrefix();
        var crashed = Limiter(partition, prefix);
        var survivor = Limiter(partition, prefix);

        // The "crashed" instance takes every permit and never releases them: its process dies mid-request (disposed
        // without releasing, it stops renewing the permits in flight).
        for (var i = 0; i < 3; i++)
        {
            (await crashed.AcquireAsync(1)).IsAcquired.Should().BeTrue();
        }

        await crashed.DisposeAsync();

        var clock = Stopwatch.StartNew();
        using var lease = await survivor.AcquireAsync(1);

        lease.IsAcquired.Should().BeTrue();
        clock.Elapsed.Should().BeGreaterThan(TimeSpan.FromMilliseconds(1300), "a permit in flight counts until its lease time to live plus one window")
            .And.BeLessThan(TimeSpan.FromSeconds(5), "then it expires by itself");
        await survivor.DisposeAsync();
    }

    [Fact]
    public async Task Acquires_racing_from_six_connections_grant_exactly_the_limit()
    {
        // Each limiter has its own connection, so the server runs up to six scripts at once: only an atomic script keeps
        // the count (Garnet without Lua transaction mode granted more than the limit here).
        const int limit = 5;
        var partition = Partition(limit, leaseTimeToLive: TimeSpan.FromSeconds(5));
        var prefix = SharedQuotaTests.UniquePrefix();
        var limiters = Enumerable.Range(0, 6).Select(_ => Limiter(partition, prefix)).ToArray();
        using var stop = new CancellationTokenSource();
        try
        {
            var acquires = limiters.SelectMany(l => Enumerable.Range(0, 8).Select(_ => l.AcquireAsync(1, stop.Token).AsTask())).ToArray();
            int Granted() => acquires.Count(a => a.IsCompletedSuccessfully && a.Result.IsAcquired);
            var deadline = Stopwatch.StartNew();
            while (Granted() < limit && deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(20);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500)); // Time for any excess grant to arrive.
            Granted().Should().Be(limit, "no permit was released, so exactly the limit is granted");
            stop.Cancel();
            await Task.WhenAll(acquires.Select(a => a.ContinueWith(_ => { }, TaskScheduler.Default)));
        }
        finally
        {
            foreach (var limiter in limiters)
            {
                await limiter.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Two_instances_together_get_no_more_than_the_limit_and_a_released_permit_counts_one_window()
    {
        var partition = Partition(limit: 4, leaseTimeToLive: TimeSpan.FromSeconds(5));
        var prefix = SharedQuotaTests.UniquePrefix();
        await using var one = Limiter(partition, prefix);
        await using var two = Limiter(partition, prefix);

        var first = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => one.AcquireAsync(1).AsTask()).Concat(Enumerable.Range(0, 2).Select(_ => two.AcquireAsync(1).AsTask())));
        first.Should().OnlyContain(l => l.IsAcquired);
        var clock = Stopwatch.StartNew();
        var fifth = two.AcquireAsync(1).AsTask();
        await Task.Delay(200);
        fifth.IsCompleted.Should().BeFalse("four permits are in flight on the other instance and this one");

        first[0].Dispose();
        using var lease = await fifth;
        clock.Elapsed.Should().BeGreaterThan(TimeSpan.FromMilliseconds(1100), "the released permit counts one window after its request completed");
        Array.ForEach(first, l => l.Dispose());
    }

    [Fact]
    public async Task Grants_waits_round_trips_and_fallbacks_are_counted_and_a_wait_is_a_span()
    {
        using var granted = new MetricCollector<long>(RedisDiagnostics.Shared.PermitsGranted);
        using var waits = new MetricCollector<long>(RedisDiagnostics.Shared.Waits);
        using var roundTrips = new MetricCollector<long>(RedisDiagnostics.Shared.RoundTrips);
        using var fallbacks = new MetricCollector<long>(RedisDiagnostics.Shared.Fallbacks);
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RedisDiagnostics.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (spans) { spans.Add(activity); } },
        };
        ActivitySource.AddActivityListener(listener);
        await using var limiter = Limiter(Partition(limit: 1, leaseTimeToLive: TimeSpan.FromSeconds(5)), SharedQuotaTests.UniquePrefix());

        (await limiter.AcquireAsync(1)).Dispose();
        using (var second = await limiter.AcquireAsync(1))
        {
            second.IsAcquired.Should().BeTrue();
        }

        granted.GetMeasurementSnapshot().Sum(m => m.Value).Should().Be(2);
        waits.GetMeasurementSnapshot().Sum(m => m.Value).Should().Be(1, "the second permit waited for the first one's window");
        roundTrips.GetMeasurementSnapshot().Sum(m => m.Value).Should().BeGreaterThanOrEqualTo(4, "two acquires, at least one retry of the waiting one, one release");
        fallbacks.GetMeasurementSnapshot().Should().BeEmpty();
        lock (spans)
        {
            spans.Should().ContainSingle(a => a.OperationName == "TrainingApis.Redis quota wait")
                .Which.Duration.Should().BeGreaterThan(TimeSpan.FromMilliseconds(500));
        }

        var unreachable = new RedisSharingOptions { Configuration = $"127.0.0.1:{GarnetFixture.FreePort()}", ConnectTimeout = TimeSpan.FromMilliseconds(300), OperationTimeout = TimeSpan.FromMilliseconds(300) };
        await using var alone = Limiter(Partition(limit: 3, leaseTimeToLive: TimeSpan.FromSeconds(1)), unreachable);
        (await alone.AcquireAsync(1).AsTask().WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        fallbacks.GetMeasurementSnapshot().Sum(m => m.Value).Should().Be(1);
    }

    [Fact]
    public async Task Fail_fast_throws_at_once_when_redis_is_unreachable()
    {
        var options = new RedisSharingOptions
        {
            Configuration = $"127.0.0.1:{GarnetFixture.FreePort()}",
            WhenUnavailable = RedisUnavailablePolicy.FailFast,
            OperationTimeout = TimeSpan.FromMilliseconds(300),
            ConnectTimeout = TimeSpan.FromMilliseconds(300),
        };
        await using var limiter = Limiter(Partition(limit: 3, leaseTimeToLive: TimeSpan.FromSeconds(1)), options);
        var clock = Stopwatch.StartNew();

        var acquire = async () => await limiter.AcquireAsync(1);

        (await acquire.Should().ThrowAsync<ApiRateLimitException>()).Which.Message.Should().Contain("FailFast").And.Contain("Nothing was sent");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Unreachable_redis_falls_back_to_the_local_share_at_once()
    {
        var options = new RedisSharingOptions
        {
            Configuration = $"127.0.0.1:{GarnetFixture.FreePort()}",
            ExpectedInstances = 3,
            OperationTimeout = TimeSpan.FromMilliseconds(300),
            ConnectTimeout = TimeSpan.FromMilliseconds(300),
        };
        await using var limiter = Limiter(Partition(limit: 7, leaseTimeToLive: TimeSpan.FromSeconds(1)), options);

        // The local share (7 ÷ 3 = 2) starts used for one window: the permits granted through Redis just before are unknown.
        var clock = Stopwatch.StartNew();
        var leases = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            var lease = await limiter.AcquireAsync(1);
            lease.Dispose(); // The request completed at once.
            return lease;
        })).WaitAsync(TimeSpan.FromSeconds(10));
        leases.Should().OnlyContain(l => l.IsAcquired);
        clock.Elapsed.Should().BeGreaterThan(TimeSpan.FromMilliseconds(1900), "two windows pass for three permits at a share of two, the first one used");
    }

    [Fact]
    public async Task A_call_waiting_on_the_local_share_outlives_a_second_outage()
    {
        // Regression: a new outage replaced the local shares and disposed the old ones, so a call still waiting on one
        // from the outage before threw ObjectDisposedException instead of getting its permit.
        var partition = new RedisQuotaPartition("symtrain", Guid.NewGuid().ToString("N"), 4, TimeSpan.FromSeconds(12), 100, TimeSpan.FromSeconds(5));
        await using var limiter = Limiter(partition, new RedisSharingOptions
        {
            Configuration = garnet.Configuration,
            KeyPrefix = SharedQuotaTests.UniquePrefix(),
            ExpectedInstances = 2,
            OperationTimeout = TimeSpan.FromMilliseconds(300),
        });
        (await limiter.AcquireAsync(1)).Dispose(); // Connected.

        garnet.Stop();
        Task<RateLimitLease> waiting;
        try
        {
            // The local share (4 ÷ 2 = 2) starts used for one window: this call waits on it.
            waiting = limiter.AcquireAsync(1).AsTask();
            var deadline = Stopwatch.StartNew();
            while (!limiter.IsUnavailable && deadline.Elapsed < TimeSpan.FromSeconds(5))
            {
                await Task.Delay(20);
            }

            await Task.Delay(200);
            limiter.IsUnavailable.Should().BeTrue();
            waiting.IsCompleted.Should().BeFalse("the local share is used for one window");
        }
        finally
        {
            garnet.Start();
        }

        // Redis answers again: a call goes through it (the outage ends).
        var back = Stopwatch.StartNew();
        while (limiter.IsUnavailable && back.Elapsed < TimeSpan.FromSeconds(8))
        {
            using var attempt = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            try
            {
                (await limiter.AcquireAsync(1, attempt.Token)).Dispose();
            }
            catch (OperationCanceledException)
            {
                // Still on the local share: try again.
            }
        }

        limiter.IsUnavailable.Should().BeFalse("Redis answers again");
        waiting.IsCompleted.Should().BeFalse("the first outage's window has not passed yet");

        // A second outage: the call still waiting on the first outage's share gets its permit.
        garnet.Stop();
        try
        {
            using var second = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            var during = limiter.AcquireAsync(1, second.Token).AsTask();
            await during.ContinueWith(_ => { }, TaskScheduler.Default);
            limiter.IsUnavailable.Should().BeTrue("the second outage started");

            using var lease = await waiting.WaitAsync(TimeSpan.FromSeconds(15));
            lease.IsAcquired.Should().BeTrue();
        }
        finally
        {
            garnet.Start();
        }
    }

    [Fact]
    public void UseRedis_refuses_a_builder_of_another_client_and_invalid_options()
    {
        var services = new ServiceCollection();
        var other = services.AddHttpClient("not-ours");
        var ours = services.AddSymtrainClient(o => o.ApiKey = "k");

        FluentActions.Invoking(() => other.UseRedis(o => o.Configuration = "localhost")).Should().Throw<ArgumentException>().WithMessage("*not-ours*");
        FluentActions.Invoking(() => ours.UseRedis(_ => { })).Should().Throw<ArgumentException>().WithMessage("*Configuration*");
        FluentActions.Invoking(() => ours.UseRedis(o => { o.Configuration = "localhost"; o.ExpectedInstances = 0; })).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*ExpectedInstances*");
        FluentActions.Invoking(() => ours.UseRedis(o => { o.Configuration = "localhost"; o.KeyPrefix = ""; })).Should().Throw<ArgumentException>().WithMessage("*KeyPrefix*");
    }

    private static RedisQuotaPartition Partition(int limit, TimeSpan leaseTimeToLive) =>
        new("symtrain", Guid.NewGuid().ToString("N"), limit, Window, 100, leaseTimeToLive);

    private RedisQuotaLimiter Limiter(RedisQuotaPartition partition, string prefix) =>
        Limiter(partition, new RedisSharingOptions { Configuration = garnet.Configuration, KeyPrefix = prefix });

    private static RedisQuotaLimiter Limiter(RedisQuotaPartition partition, RedisSharingOptions options)
    {
        var services = new ServiceCollection().BuildServiceProvider();
        return new RedisQuotaLimiter(() => partition, new RedisConnection(options, services, TimeProvider.System), options, TimeProvider.System, NullLogger.Instance);
    }
}
