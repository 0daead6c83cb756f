using System.Threading.RateLimiting;
using Polly;
using Polly.RateLimiting;
using TrainingApis.Core.RateLimiting;
using TrainingApis.Core.Tests.TestSupport;
using TrainingApis.Testing;

namespace TrainingApis.Core.Tests.RateLimiting;

/// <summary>The quota through the <see cref="RateLimiter"/> API only, as Polly or a user's code would drive it.</summary>
public sealed class QuotaLimiterAsRateLimiterTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task AttemptAcquire_grants_up_to_the_limit_then_fails_with_the_time_until_a_permit_frees()
    {
        var time = FakeTime.Create();
        RateLimiter limiter = new QuotaLimiter(2, Window, 10, time);

        using var first = limiter.AttemptAcquire();
        var second = limiter.AttemptAcquire();
        second.Dispose(); // Completed at t0: counts until t0 + 5 min.
        time.Advance(TimeSpan.FromMinutes(1));
        using var third = limiter.AttemptAcquire();

        first.IsAcquired.Should().BeTrue();
        second.IsAcquired.Should().BeTrue();
        third.IsAcquired.Should().BeFalse("one permit is in flight and the other counts for a window after its request completed");
        third.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter).Should().BeTrue();
        retryAfter.Should().Be(TimeSpan.FromMinutes(4));
        limiter.AttemptAcquire(0).IsAcquired.Should().BeFalse("zero permits asks whether one is free");
        time.Advance(TimeSpan.FromMinutes(4));
        limiter.AttemptAcquire(0).IsAcquired.Should().BeTrue();
        await limiter.DisposeAsync();
    }

    [Fact]
    public async Task AttemptAcquire_never_jumps_the_queue()
    {
        var time = FakeTime.Create();
        using var limiter = new QuotaLimiter(2, Window, 10, time);
        var held = await limiter.AcquireAsync(1);
        var waiting = limiter.AcquireAsync(2).AsTask(); // One permit is free, but it needs two: it waits.

        var attempt = limiter.AttemptAcquire(1);

        waiting.IsCompleted.Should().BeFalse();
        attempt.IsAcquired.Should().BeFalse("a request is waiting ahead of it, first in first out");
        held.ReturnUnused();
        (await waiting.Guard()).IsAcquired.Should().BeTrue();
    }

    [Fact]
    public async Task Disposing_a_lease_marks_its_request_completed_and_the_permit_counts_one_window_from_then()
    {
        var time = FakeTime.Create();
        using var limiter = new QuotaLimiter(1, Window, 10, time);

        using (var lease = await limiter.AcquireAsync())
        {
            lease.IsAcquired.Should().BeTrue();
            lease.MetadataNames.Should().BeEmpty();
            lease.TryGetMetadata(MetadataName.RetryAfter, out _).Should().BeFalse();
            time.Advance(TimeSpan.FromMinutes(3)); // The request is in flight for 3 minutes.
            limiter.InFlightCount.Should().Be(1);
        }

        limiter.InFlightCount.Should().Be(0);
        var next = limiter.AcquireAsync().AsTask();
        time.Advance(Window - TimeSpan.FromTicks(1));
        next.IsCompleted.Should().BeFalse("the permit counts until one window after the request completed, not after it was granted");
        time.Advance(TimeSpan.FromTicks(1));
        (await next.Guard()).IsAcquired.Should().BeTrue();
    }

    [Fact]
    public async Task Several_permits_at_once_count_as_several_requests()
    {
        var time = FakeTime.Create();
        using var limiter = new QuotaLimiter(5, Window, 10, time);

        var three = await limiter.AcquireAsync(3);
        var two = limiter.AttemptAcquire(2);
        var more = limiter.AcquireAsync(1).AsTask();

        three.IsAcquired.Should().BeTrue();
        two.IsAcquired.Should().BeTrue();
        limiter.InFlightCount.Should().Be(5);
        more.IsCompleted.Should().BeFalse();
        three.Dispose();
        time.Advance(Window);
        (await more.Guard()).IsAcquired.Should().BeTrue("three permits freed a window after their request completed");
        FluentActions.Invoking(() => limiter.AttemptAcquire(6)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("permitCount");
        await FluentActions.Awaiting(async () => await limiter.AcquireAsync(6)).Should().ThrowAsync<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => limiter.AttemptAcquire(-1)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task A_cancelled_AcquireAsync_leaves_the_queue_and_the_queue_bound_frees_up()
    {
        var time = FakeTime.Create();
        using var limiter = new QuotaLimiter(1, Window, 1, time);
        using var cts = new CancellationTokenSource();
        _ = await limiter.AcquireAsync();
        var cancelled = limiter.AcquireAsync(1, cts.Token).AsTask();
        (await limiter.AcquireAsync()).IsAcquired.Should().BeFalse("the queue of one is full");

        await cts.CancelAsync();

        await FluentActions.Awaiting(() => cancelled.Guard()).Should().ThrowAsync<OperationCanceledException>();
        limiter.GetStatistics()!.CurrentQueuedCount.Should().Be(0);
        limiter.AcquireAsync().IsCompleted.Should().BeFalse("the cancelled waiter's place in the queue is free again");
    }

    [Fact]
    public async Task Statistics_count_permits_queue_and_leases()
    {
        var time = FakeTime.Create();
        using var limiter = new QuotaLimiter(2, Window, 1, time);

        var a = await limiter.AcquireAsync();
        var b = limiter.AttemptAcquire();
        var queued = limiter.AcquireAsync().AsTask();
        using var refused = await limiter.AcquireAsync();
        using var attempted = limiter.AttemptAcquire();

        var statistics = limiter.GetStatistics()!;
        statistics.CurrentAvailablePermits.Should().Be(0);
        statistics.CurrentQueuedCount.Should().Be(1);
        statistics.TotalSuccessfulLeases.Should().Be(2);
        statistics.TotalFailedLeases.Should().Be(2);

        a.Dispose();
        b.ReturnUnused();
        (await queued.Guard()).ReturnUnused();
        statistics = limiter.GetStatistics()!;
        statistics.CurrentAvailablePermits.Should().Be(1, "one sent request counts for a window; the unused permits came back");
        statistics.CurrentQueuedCount.Should().Be(0);
        statistics.TotalSuccessfulLeases.Should().Be(3, "the waiter was granted");
        statistics.TotalFailedLeases.Should().Be(2);
    }

    [Fact]
    public async Task IdleDuration_is_null_while_a_permit_counts_and_grows_from_when_the_last_one_stopped()
    {
        var time = FakeTime.Create();
        using var limiter = new QuotaLimiter(3, Window, 10, time);
        time.Advance(TimeSpan.FromSeconds(10));
        limiter.IdleDuration.Should().Be(TimeSpan.FromSeconds(10), "never used: idle since it was created");

        var lease = await limiter.AcquireAsync();
        limiter.IdleDuration.Should().BeNull("a request is in flight");
        time.Advance(TimeSpan.FromMinutes(1));
        lease.Dispose();
        time.Advance(Window - TimeSpan.FromSeconds(1));
        limiter.IdleDuration.Should().BeNull("the completed request still counts");
        time.Advance(TimeSpan.FromSeconds(3));
        limiter.IdleDuration.Should().Be(TimeSpan.FromSeconds(2));

        var unused = await limiter.AcquireAsync();
        time.Advance(TimeSpan.FromSeconds(1));
        unused.ReturnUnused();
        time.Advance(TimeSpan.FromSeconds(4));
        limiter.IdleDuration.Should().Be(TimeSpan.FromSeconds(4), "a permit returned unused stops counting at once");
    }

    [Fact]
    public async Task Chained_with_a_concurrency_limiter_both_limits_hold_and_disposing_the_chained_lease_completes_the_request()
    {
        var time = FakeTime.Create();
        using var quota = new QuotaLimiter(3, Window, 10, time);
        using var concurrency = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = 1, QueueLimit = 10 });
        using var chained = RateLimiter.CreateChained(concurrency, quota);

        var first = await chained.AcquireAsync();
        var second = chained.AcquireAsync().AsTask();
        second.IsCompleted.Should().BeFalse("one request at a time");
        first.Dispose();
        using var secondLease = await second.Guard();

        secondLease.IsAcquired.Should().BeTrue();
        quota.InFlightCount.Should().Be(1);
        quota.AvailablePermits.Should().Be(1, "the first request completed and counts for a window");
        time.Advance(Window);
        quota.AvailablePermits.Should().Be(2);
    }

    [Fact]
    public async Task Pollys_rate_limiter_strategy_draws_on_the_quota_and_reports_its_RetryAfter()
    {
        var time = FakeTime.Create();
        using var quota = new QuotaLimiter(2, Window, 0, time);
        var pipeline = new ResiliencePipelineBuilder().AddRateLimiter(quota).Build();

        await pipeline.ExecuteAsync(static _ => ValueTask.CompletedTask);
        await pipeline.ExecuteAsync(static _ => ValueTask.CompletedTask);
        var third = async () => await pipeline.ExecuteAsync(static _ => ValueTask.CompletedTask);

        (await third.Should().ThrowAsync<RateLimiterRejectedException>()).Which.RetryAfter.Should().Be(Window);
        quota.InFlightCount.Should().Be(0, "the strategy disposed each lease when its execution completed");
        time.Advance(Window);
        await pipeline.ExecuteAsync(static _ => ValueTask.CompletedTask);
    }

    [Fact]
    public async Task A_disposed_limiter_refuses_every_call_with_ObjectDisposedException()
    {
        var limiter = new QuotaLimiter(1, Window, 10, FakeTime.Create());

        await limiter.DisposeAsync();

        FluentActions.Invoking(() => limiter.AttemptAcquire()).Should().Throw<ObjectDisposedException>();
        await FluentActions.Awaiting(async () => await limiter.AcquireAsync()).Should().ThrowAsync<ObjectDisposedException>();
    }
}
