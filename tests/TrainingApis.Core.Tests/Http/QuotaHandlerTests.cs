using System.Collections.Concurrent;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using TrainingApis.Core.Authentication;
using TrainingApis.Core.Http;
using TrainingApis.Core.RateLimiting;
using TrainingApis.Core.Tests.RateLimiting;
using TrainingApis.Core.Tests.TestSupport;
using TrainingApis.Testing;

namespace TrainingApis.Core.Tests.Http;

public sealed class QuotaHandlerTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_thousand_requests_never_exceed_100_in_any_5_minute_span_and_finish_in_minimal_time()
    {
        var time = FakeTime.Create();
        using var quota = new QuotaLimiter(100, Window, 1000, time);
        using var pipeline = TestPipeline.Create(_ => TestPipeline.Status(HttpStatusCode.OK), o => o.Timeout = Timeout.InfiniteTimeSpan, time, quota);
        var start = time.GetUtcNow();
        var completions = new ConcurrentDictionary<int, DateTimeOffset>();

        async Task SendOne(int i)
        {
            using var response = await pipeline.Client.SendAsync(TestPipeline.Get($"v1/things/{i}"));
            response.EnsureSuccessStatusCode();
            completions[i] = time.GetUtcNow();
        }

        var all = Task.WhenAll(Enumerable.Range(0, 1000).Select(SendOne).ToList());

        // Move the clock only once every request due at this instant has been sent and completed.
        while (!all.IsCompleted)
        {
            // The last release of an instant arms the limiter's timer just after its count drops: wait for both.
            await TestWait.UntilAsync(
                () => all.IsCompleted || (quota.InFlightCount == 0 && quota.QueuedCount + completions.Count == 1000 && (quota.QueuedCount == 0 || time.NextDue() is not null)),
                "the requests of this instant are done and the next permit's timer is armed");
            if (all.IsCompleted)
            {
                break;
            }

            var due = time.NextDue();
            due.Should().NotBeNull("requests are waiting, so a permit must come free at a known time");
            time.Advance(due!.Value - time.GetUtcNow());
        }

        await all;
        var sent = pipeline.SendTimes.OrderBy(t => t).ToList();
        sent.Should().HaveCount(1000);
        QuotaLimiterTests.AssertNoSpanHoldsMore(sent, Window, 100);

        // 100 at t=0, then 100 at each window: the last batch goes (and completes) at 9 windows = 45 minutes.
        var theoreticalMinimum = TimeSpan.FromMinutes(45);
        var last = completions.Values.Max() - start;
        last.Should().BeGreaterThanOrEqualTo(theoreticalMinimum).And.BeLessThanOrEqualTo(theoreticalMinimum * 1.01);
        sent.GroupBy(t => t - start).Select(g => (g.Key, Count: g.Count()))
            .Should().Equal(Enumerable.Range(0, 10).Select(k => (Window * k, 100)));

        // First in, first out: request i (queued i-th) goes in batch i / 100.
        var requests = pipeline.Handler.Requests;
        var times = pipeline.SendTimes;
        for (var n = 0; n < requests.Count; n++)
        {
            var i = int.Parse(requests[n].Path.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
            (times[n] - start).Should().Be(Window * (i / 100), "request {0} was queued in position {0}", i);
        }

        quota.InFlightCount.Should().Be(0);
        quota.QueuedCount.Should().Be(0);
    }

    [Fact]
    public async Task Retries_take_permits_too()
    {
        var time = FakeTime.Create();
        using var quota = new QuotaLimiter(10, Window, 10, time);
        using var pipeline = TestPipeline.Create(
            n => TestPipeline.Status(n < 2 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK), time: time, quota: quota);

        var response = await pipeline.SendAsync(TestPipeline.Get());

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        quota.AvailablePermits.Should().Be(7, "three attempts were sent");
    }

    [Fact]
    public async Task Retries_wait_for_the_quota_like_any_request()
    {
        var time = FakeTime.Create();
        using var quota = new QuotaLimiter(1, Window, 10, time);
        using var pipeline = TestPipeline.Create(
            n => TestPipeline.Status(n == 0 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK),
            o => o.Timeout = TimeSpan.FromMinutes(30),
            time: time,
            quota: quota);

        var response = await pipeline.SendAsync(TestPipeline.Get());

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        pipeline.Gaps.Should().Equal(Window);
    }

    [Fact]
    public async Task A_full_quota_queue_fails_the_call_at_once_without_sending_or_retrying()
    {
        var time = FakeTime.Create();
        using var quota = new QuotaLimiter(1, Window, 0, time);
        using var pipeline = TestPipeline.Create(_ => TestPipeline.Status(HttpStatusCode.OK), time: time, quota: quota);
        await pipeline.SendAsync(TestPipeline.Get());

        var exception = await pipeline.SendFailingAsync(TestPipeline.Get());

        var rateLimit = exception.Should().BeOfType<ApiRateLimitException>().Subject;
        rateLimit.IsLocal.Should().BeTrue();
        rateLimit.RetryAfter.Should().Be(Window);
        rateLimit.Message.Should().Contain("QueueLimit 0").And.Contain("Try again in about 00:05:00");
        pipeline.Handler.Count.Should().Be(1);
    }

    [Fact]
    public async Task The_limiter_is_read_per_request()
    {
        var time = FakeTime.Create();
        using var first = new QuotaLimiter(5, Window, 10, time);
        using var second = new QuotaLimiter(5, Window, 10, time);
        var current = first;
        var handler = new FakeHttpHandler((_, _) => TestPipeline.Status(HttpStatusCode.OK));
        var settings = new ApiPipelineSettings { ServiceName = "Test", Options = new TestOptions(), TimeProvider = time, Quota = () => current };
        using var client = new HttpClient(ApiPipeline.CreateChain(handler, settings, null)) { BaseAddress = new Uri("https://api.test/") };

        (await client.GetAsync("a").Guard()).Dispose();
        current = second;
        (await client.GetAsync("b").Guard()).Dispose();

        first.AvailablePermits.Should().Be(4);
        second.AvailablePermits.Should().Be(4);
    }

    [Fact]
    public async Task Without_a_limiter_nothing_is_limited()
    {
        using var pipeline = TestPipeline.Create(_ => TestPipeline.Status(HttpStatusCode.OK));

        var responses = await Task.WhenAll(Enumerable.Range(0, 500).Select(_ => pipeline.Client.SendAsync(TestPipeline.Get()))).Guard();

        responses.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK);
        pipeline.SendTimes.Distinct().Should().ContainSingle();
    }

    [Fact]
    public async Task A_request_cancelled_mid_flight_still_counts_for_its_window()
    {
        var time = FakeTime.Create();
        using var quota = new QuotaLimiter(2, Window, 10, time);
        using var cts = new CancellationTokenSource();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var pipeline = TestPipeline.Create(
            async (_, _, ct) =>
            {
                entered.TrySetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                return TestPipeline.Status(HttpStatusCode.OK);
            },
            time: time,
            quota: quota);

        var task = pipeline.Client.SendAsync(TestPipeline.Get(), cts.Token);
        await entered.Task.Guard();
        await cts.CancelAsync();

        await FluentActions.Awaiting(() => task.Guard()).Should().ThrowAsync<OperationCanceledException>();
        quota.InFlightCount.Should().Be(0);
        quota.AvailablePermits.Should().Be(1, "the request reached the server, so its permit counts for a window");
        time.Advance(Window);
        quota.AvailablePermits.Should().Be(2);
    }

    [Fact]
    public async Task A_users_limiter_takes_a_permit_for_every_attempt_retries_included_and_gets_each_back()
    {
        var time = FakeTime.Create();
        using var limiter = new CountingLimiter();
        var (client, handler) = Chain(n => TestPipeline.Status(n < 2 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK), time, () => limiter);
        using var _ = client;

        using var response = await time.RunAsync(client.GetAsync("things"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        handler.Count.Should().Be(3);
        limiter.Acquired.Should().Be(3, "each attempt took a permit");
        limiter.Released.Should().Be(3, "each attempt's lease was disposed when it completed");
    }

    [Fact]
    public async Task A_users_limiter_takes_a_permit_for_the_replay_after_a_401()
    {
        var time = FakeTime.Create();
        var cache = new AccessTokenCache(time);
        using var limiter = new CountingLimiter();
        var (client, handler) = Chain(
            n => TestPipeline.Status(n == 0 ? HttpStatusCode.Unauthorized : HttpStatusCode.OK),
            time,
            () => limiter,
            authentication: s => new TokenAuthHandler(cache, _ => Task.FromResult(new AccessToken($"token-{cache.AcquisitionCount}")), s));
        using var _ = client;

        using var response = await time.RunAsync(client.GetAsync("things"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        handler.Count.Should().Be(2);
        limiter.Acquired.Should().Be(2, "the replay is an attempt of its own");
        limiter.Released.Should().Be(2);
    }

    [Fact]
    public async Task A_refused_lease_of_a_users_limiter_fails_the_call_with_its_RetryAfter_and_sends_nothing()
    {
        var time = FakeTime.Create();
        using var limiter = new CountingLimiter { Refuse = (TimeSpan.FromSeconds(42), "Only 3 exports per hour.") };
        var (client, handler) = Chain(_ => TestPipeline.Status(HttpStatusCode.OK), time, () => limiter);
        using var _ = client;

        var act = () => time.RunAsync(client.GetAsync("things"));

        var exception = (await act.Should().ThrowAsync<ApiRateLimitException>()).Which;
        exception.IsLocal.Should().BeTrue();
        exception.RetryAfter.Should().Be(TimeSpan.FromSeconds(42));
        exception.Message.Should().Be("The quota limiter of the Test client refused the request: Only 3 exports per hour.");
        handler.Count.Should().Be(0);
        limiter.Acquired.Should().Be(1, "a refusal before sending is not retried");
    }

    [Fact]
    public async Task A_refused_lease_without_metadata_fails_the_call_naming_the_service()
    {
        var time = FakeTime.Create();
        using var limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = 1, QueueLimit = 0 });
        using var held = limiter.AttemptAcquire();
        var (client, handler) = Chain(_ => TestPipeline.Status(HttpStatusCode.OK), time, () => limiter);
        using var _ = client;

        var act = () => time.RunAsync(client.GetAsync("things"));

        var exception = (await act.Should().ThrowAsync<ApiRateLimitException>()).Which;
        exception.IsLocal.Should().BeTrue();
        exception.RetryAfter.Should().BeNull();
        exception.Message.Should().Be("The quota limiter of the Test client refused the request: Queue limit reached.");
        handler.Count.Should().Be(0);
    }

    [Fact]
    public async Task Two_clients_of_one_partition_with_different_limits_log_one_warning_naming_both()
    {
        var time = FakeTime.Create();
        var registry = new QuotaLimiterRegistry(time);
        var logger = new FakeLogger();
        var fiveMinutes = new RateLimitOptions { PermitLimit = 100, Window = TimeSpan.FromMinutes(5), PartitionKey = "egress-1" };
        var perMinute = new RateLimitOptions { PermitLimit = 60, Window = TimeSpan.FromMinutes(1), PartitionKey = "egress-1" };
        var (first, _) = Chain(_ => TestPipeline.Status(HttpStatusCode.OK), time, () => registry.GetOrCreate("test", "first-secret-key", fiveMinutes), logger);
        var (second, _) = Chain(_ => TestPipeline.Status(HttpStatusCode.OK), time, () => registry.GetOrCreate("test", "second-secret-key", perMinute), logger);
        using var a = first;
        using var b = second;

        for (var i = 0; i < 3; i++)
        {
            (await time.RunAsync(first.GetAsync("things"))).Dispose();
            (await time.RunAsync(second.GetAsync("things"))).Dispose();
        }

        var warning = logger.Collector.GetSnapshot().Should().ContainSingle(r => r.Level == LogLevel.Warning).Subject;
        warning.Message.Should().Be(
            "Two Test clients share the quota partition 'egress-1' with different limits: 100 requests per 00:05:00 (QueueLimit 1000) and "
            + "60 requests per 00:01:00 (QueueLimit 1000). The stricter applies to both: 60 requests per 00:05:00 (QueueLimit 1000).");
        registry.GetOrCreate("test", "any-key", perMinute).AvailablePermits.Should().Be(54, "six requests of both clients counted against one quota of 60");
    }

    [Fact]
    public async Task A_warning_about_a_credentials_partition_names_a_hash_never_the_key()
    {
        var time = FakeTime.Create();
        var registry = new QuotaLimiterRegistry(time);
        var logger = new FakeLogger();
        var (first, _) = Chain(_ => TestPipeline.Status(HttpStatusCode.OK), time, () => registry.GetOrCreate("test", "the-secret-key", new RateLimitOptions { PermitLimit = 10 }), logger);
        var (second, _) = Chain(_ => TestPipeline.Status(HttpStatusCode.OK), time, () => registry.GetOrCreate("test", "the-secret-key", new RateLimitOptions { PermitLimit = 20 }), logger);
        using var a = first;
        using var b = second;

        (await time.RunAsync(first.GetAsync("things"))).Dispose();
        (await time.RunAsync(second.GetAsync("things"))).Dispose();

        var warning = logger.Collector.GetSnapshot().Should().ContainSingle(r => r.Level == LogLevel.Warning).Subject;
        warning.Message.Should().Contain("of the credential with SHA-256 ").And.Contain("10 requests per").And.Contain("20 requests per");
        warning.Message.Should().NotContain("the-secret-key");
        warning.StructuredState!.Select(p => p.Value).Should().NotContain(v => v != null && v.Contains("the-secret-key"));
    }

    private static (HttpClient Client, FakeHttpHandler Handler) Chain(
        Func<int, HttpResponseMessage> respond,
        FakeTimeProvider time,
        Func<RateLimiter?> quota,
        ILogger? logger = null,
        Func<ApiPipelineSettings, DelegatingHandler>? authentication = null)
    {
        var handler = new FakeHttpHandler((_, n) => respond(n));
        var settings = new ApiPipelineSettings
        {
            ServiceName = "Test",
            Options = new TestOptions(),
            TimeProvider = time,
            Quota = quota,
            Jitter = static () => 0.0,
            Logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
        };
        return (new HttpClient(ApiPipeline.CreateChain(handler, settings, authentication?.Invoke(settings))) { BaseAddress = new Uri("https://api.test/") }, handler);
    }
}
