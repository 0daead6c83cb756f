using System.Threading.RateLimiting;
using TrainingApis.Core.RateLimiting;
using TrainingApis.Core.Tests.TestSupport;
using TrainingApis.Testing;

namespace TrainingApis.Core.Tests.RateLimiting;

public sealed class QuotaLimiterTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Permits_up_to_the_limit_are_granted_at_once()
    {
        var time = FakeTime.Create();
        using var limiter = new QuotaLimiter(3, Window, 10, time);

        var leases = new[] { await limiter.AcquireAsync(), await limiter.AcquireAsync(), await limiter.AcquireAsync() };
        var fourth = limiter.AcquireAsync();

        leases.Should().OnlyContain(l => l != null);
        fourth.IsCompleted.Should().BeFalse();
        limiter.AvailablePermits.Should().Be(0);
        limiter.InFlightCount.Should().Be(3);
        limiter.QueuedCount.Should().Be(1);
    }

    [Fact]
    public async Task A_used_permit_counts_for_one_window_after_its_request_completed()
    {
        var time = FakeTime.Create();
        using var limiter = new QuotaLimiter(1, Window, 10, time);
        var lease = await limiter.AcquireAsync();
        time.Advance(TimeSpan.FromMinutes(2)); // A long request: the window starts when it completes.

        lease.Dispose();
        time.Advance(Window - TimeSpan.FromTicks(1));
        limiter.AvailablePermits.Should().Be(0);
        time.Advance(TimeSpan.FromTicks(1));
        limiter.AvailablePermits.Should().Be(1);
    }

    [Fact]
    public async Task A_permit_returned_unused_is_available_at_once()
    {
        var time = FakeTime.Create();
        using var limiter = new QuotaLimiter(1, Window, 10, time);
        var lease = await limiter.AcquireAsync();

        lease.ReturnUnused();

        limiter.AvailablePermits.Should().Be(1);
        limiter.InFlightCount.Should().Be(0);
    }

    [Fact]
    public async Task Releasing_a_lease_twice_releases_it_once()
    {
        var time = FakeTime.Create();
        using var limiter = new QuotaLimiter(2, Window, 10, time);
        var lease = await limiter.AcquireAsync();
        _ = await limiter.AcquireAsync();

        lease.Dispose();
        lease.Dispose();
        lease.ReturnUnused();

        limiter.InFlightCount.Should().Be(1);
        limiter.AvailablePermits.Should().Be(0);
    }

    [Fact]
    public async Task Waiters_are_served_first_in_first_out()
    {
        var time = FakeTime.Create();
        using var limiter = new QuotaLimiter(1, Window, 10, time);
        var held = await limiter.AcquireAsync();
        var waiters = Enumerable.Range(0, 5).Select(_ => limiter.AcquireAsync().AsTask()).ToList();

        held.ReturnUnused();
        for (var i = 0; i < waiters.Count; i++)
        {
            waiters.Select(w => w.IsCompleted).Should().Equal(Enumerable.Range(0, waiters.Count).Select(j => j <= i), "waiter {0} is served, and only it", i);
            (await waiters[i]).ReturnUnused();
        }
    }

    [Fact]
    public async Task Waiters_are_granted_when_the_window_of_a_used_permit_ends()
    {
        var time = FakeTime.Create();
        using var limiter = new QuotaLimiter(2, Window, 10, time);
        (await limiter.AcquireAsync()).Dispose();
        time.Advance(TimeSpan.FromMinutes(1));
        (await limiter.AcquireAsync()).Dispose();
        var first = limiter.AcquireAsync().AsTask();
        var second = limiter.AcquireAsync().AsTask();

        time.NextDue().Should().Be(time.GetUtcNow() + TimeSpan.FromMinutes(4));
        time.Advance(TimeSpan.FromMinutes(4));
        first.IsCompleted.Should().BeTrue();
        second.IsCompleted.Should().BeFalse();
        time.Advance(TimeSpan.FromMinutes(1));
        second.IsCompleted.Should().BeTrue();
        (await first).Dispose();
        (await second).Dispose();
    }

    [Fact]
    public async Task A_full_queue_refuses_at_once_with_a_failed_lease_saying_when_to_retry()
    {
        var time = FakeTime.Create();
        using var limiter = new QuotaLimiter(1, Window, 2, time);
        (await limiter.AcquireAsync()).Dispose();
        var waiting = new[] { limiter.AcquireAsync().AsTask(), limiter.AcquireAsync().AsTask() };

        var refused = limiter.AcquireAsync();

        refused.IsCompletedSuccessfully.Should().BeTrue("a full queue answers at once");
        using var lease = await refused;
        lease.IsAcquired.Should().BeFalse();
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter).Should().BeTrue();
        retryAfter.Should().Be(3 * Window, "the used permit frees in a window, then each of the two waiters holds one for a window");
        lease.TryGetMetadata(MetadataName.ReasonPhrase, out var reason).Should().BeTrue();
        reason.Should().Contain("QueueLimit 2").And.Contain("1 requests per 00:05:00");
        lease.MetadataNames.Should().BeEquivalentTo(MetadataName.RetryAfter.Name, MetadataName.ReasonPhrase.Name);
        limiter.QueuedCount.Should().Be(2);
        waiting.Should().OnlyContain(t => !t.IsCompleted);
    }

    [Fact]
    public async Task A_queue_limit_of_zero_refuses_as_soon_as_the_permits_are_used()
    {
        var time = FakeTime.Create();
        using var limiter = new QuotaLimiter(1, Window, 0, time);
        _ = await limiter.AcquireAsync();

        using var lease = await limiter.AcquireAsync();

        lease.IsAcquired.Should().BeFalse();
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter).Should().BeTrue();
        retryAfter.Should().Be(Window, "the permit in flight frees one window after its request completes, at the earliest");
    }

    [Fact]
    public async Task A_cancelled_waiter_leaves_the_queue_and_the_next_one_is_served()
    {
        var time = FakeTime.Create();
        using var limiter = new QuotaLimiter(1, Window, 10, time);
        using var cts = new CancellationTokenSource();
        var held = await limiter.AcquireAsync();
        var first = limiter.AcquireAsync(cancellationToken: cts.Token).AsTask();
        var second = limiter.AcquireAsync().AsTask();

        await cts.CancelAsync();

        await FluentActions.Awaiting(() => first.Guard()).Should().ThrowAsync<OperationCanceledException>();
        limiter.QueuedCount.Should().Be(1);
        held.ReturnUnused();
        second.IsCompleted.Should().BeTrue("the cancelled waiter took no permit");
        (await second).ReturnUnused();
        limiter.AvailablePermits.Should().Be(1);
        limiter.InFlightCount.Should().Be(0);
    }

    [Fact]
    public async Task Cancelling_after_the_grant_does_not_take_the_lease_back()
    {
        var time = FakeTime.Create();
        using var limiter = new QuotaLimiter(1, Window, 10, time);
        using var cts = new CancellationTokenSource();

        var lease = await limiter.AcquireAsync(cancellationToken: cts.Token);
        await cts.CancelAsync();

        limiter.InFlightCount.Should().Be(1);
        lease.ReturnUnused();
        limiter.AvailablePermits.Should().Be(1);
    }

    [Fact]
    public async Task An_already_cancelled_token_queues_nothing()
    {
        var time = FakeTime.Create();
        using var limiter = new QuotaLimiter(1, Window, 10, time);
        _ = await limiter.AcquireAsync();

        var act = async () => await limiter.AcquireAsync(cancellationToken: new CancellationToken(canceled: true));

        await act.Should().ThrowAsync<OperationCanceledException>();
        limiter.QueuedCount.Should().Be(0);
    }

    [Fact]
    public async Task Cancelling_many_waiters_concurrently_with_releases_loses_no_permit()
    {
        var time = FakeTime.Create();
        using var limiter = new QuotaLimiter(5, Window, 1000, time);
        var held = new List<RateLimitLease>();
        for (var i = 0; i < 5; i++)
        {
            held.Add(await limiter.AcquireAsync());
        }

        var sources = Enumerable.Range(0, 200).Select(_ => new CancellationTokenSource()).ToList();
        var waiters = sources.Select(s => limiter.AcquireAsync(cancellationToken: s.Token).AsTask()).ToList();

        var cancelling = Task.Run(() => Parallel.ForEach(sources.Where((_, i) => i % 2 == 0), s => s.Cancel()));
        foreach (var lease in held)
        {
            lease.ReturnUnused();
        }

        await cancelling.Guard();
        while (true)
        {
            await TestWait.UntilAsync(() => waiters.Count(w => !w.IsCompleted) == limiter.QueuedCount, "every waiter is either queued or done");
            var granted = waiters.Where(w => w.IsCompletedSuccessfully).ToList();
            if (granted.Count == 0)
            {
                break;
            }

            foreach (var task in granted)
            {
                waiters.Remove(task);
                (await task).ReturnUnused();
            }
        }

        waiters.Should().OnlyContain(w => w.IsCanceled);
        limiter.QueuedCount.Should().Be(0);
        limiter.InFlightCount.Should().Be(0);
        limiter.AvailablePermits.Should().Be(5);
        sources.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task A_cancellation_racing_a_grant_never_deadlocks_or_loses_a_permit()
    {
        // Not disposed on failure: a deadlocked limiter would hang Dispose, and the test must fail, not hang.
        var time = FakeTime.Create();
        var limiter = new QuotaLimiter(1, Window, 10, time);
        for (var round = 0; round < 1000; round++)
        {
            var held = await limiter.AcquireAsync();
            using var cts = new CancellationTokenSource();
            var waiter = limiter.AcquireAsync(cancellationToken: cts.Token).AsTask();
            using var start = new Barrier(2);

            var cancel = Task.Run(() =>
            {
                start.SignalAndWait();
                cts.Cancel();
            });
            var release = Task.Run(() =>
            {
                start.SignalAndWait();
                held.ReturnUnused();
            });

            await Task.WhenAll(cancel, release).WaitAsync(TimeSpan.FromSeconds(10));
            try
            {
                (await waiter.WaitAsync(TimeSpan.FromSeconds(10))).ReturnUnused();
            }
            catch (OperationCanceledException)
            {
                // Cancelled before the grant: it took nothing.
            }

            limiter.InFlightCount.Should().Be(0, "round {0}", round);
            limiter.QueuedCount.Should().Be(0);
            limiter.AvailablePermits.Should().Be(1);
        }

        limiter.Dispose();
    }

    [Fact]
    public async Task No_window_span_ever_holds_more_than_the_limit_whatever_the_arrivals_and_latencies()
    {
        // A deterministic simulation in fake time: requests arrive at random instants, wait for a permit, hold it for a
        // random latency (the request in flight) and release it. The test is the scheduler: it moves the clock to the
        // next arrival, completion or limiter timer, and records the instant each permit is granted.
        var time = FakeTime.Create();
        var window = TimeSpan.FromSeconds(60);
        using var limiter = new QuotaLimiter(10, window, 10_000, time);
        var random = new Random(12345);
        var start = time.GetUtcNow();
        var arrivals = new Queue<(int Index, DateTimeOffset At, TimeSpan Hold)>(Enumerable.Range(0, 400)
            .Select(i => (Index: i, At: start + TimeSpan.FromSeconds(random.Next(0, 1200)), Hold: TimeSpan.FromMilliseconds(random.Next(0, 45_000))))
            .OrderBy(a => a.At).ThenBy(a => a.Index));
        var waiting = new List<(int Index, TimeSpan Hold, Task<RateLimitLease> Lease)>();
        var holding = new List<(DateTimeOffset Until, RateLimitLease Lease)>();
        var grants = new List<(int Order, DateTimeOffset At)>();
        var arrivalOrder = 0;

        while (arrivals.Count > 0 || waiting.Count > 0 || holding.Count > 0)
        {
            var now = time.GetUtcNow();
            var changed = true;
            while (changed)
            {
                changed = false;
                while (arrivals.Count > 0 && arrivals.Peek().At <= now)
                {
                    var arrival = arrivals.Dequeue();
                    waiting.Add((arrivalOrder++, arrival.Hold, limiter.AcquireAsync().AsTask()));
                    changed = true;
                }

                foreach (var granted in waiting.Where(w => w.Lease.IsCompleted).ToList())
                {
                    waiting.Remove(granted);
                    grants.Add((granted.Index, now));
                    holding.Add((now + granted.Hold, await granted.Lease));
                    changed = true;
                }

                foreach (var done in holding.Where(h => h.Until <= now).ToList())
                {
                    holding.Remove(done);
                    done.Lease.Dispose(); // May grant waiters at once.
                    changed = true;
                }
            }

            var next = new[] { arrivals.Count > 0 ? arrivals.Peek().At : (DateTimeOffset?)null, holding.Count > 0 ? holding.Min(h => h.Until) : null, time.NextDue() }
                .Where(t => t is not null).Select(t => t!.Value).DefaultIfEmpty(now).Min();
            if (next == now && waiting.Count > 0 && holding.Count == 0 && arrivals.Count == 0 && time.NextDue() is null)
            {
                throw new Xunit.Sdk.XunitException("Requests wait for a permit but nothing can free one.");
            }

            time.Advance(next - now);
        }

        grants.Should().HaveCount(400);
        grants.Select(g => g.Order).Should().BeInAscendingOrder("permits are granted first in, first out");
        AssertNoSpanHoldsMore([.. grants.Select(g => g.At).Order()], window, 10);
        limiter.InFlightCount.Should().Be(0);
        limiter.QueuedCount.Should().Be(0);
    }

    [Fact]
    public async Task Disposing_fails_the_waiters_and_refuses_new_requests()
    {
        var time = FakeTime.Create();
        var limiter = new QuotaLimiter(1, Window, 10, time);
        _ = await limiter.AcquireAsync();
        var waiter = limiter.AcquireAsync().AsTask();

        limiter.Dispose();
        limiter.Dispose();

        await FluentActions.Awaiting(() => waiter.Guard()).Should().ThrowAsync<ObjectDisposedException>();
        var act = async () => await limiter.AcquireAsync();
        await act.Should().ThrowAsync<ObjectDisposedException>();
    }

    [Fact]
    public void Invalid_settings_are_argument_errors()
    {
        FluentActions.Invoking(() => new QuotaLimiter(0, Window, 1)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new QuotaLimiter(1, TimeSpan.Zero, 1)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new QuotaLimiter(1, Window, -1)).Should().Throw<ArgumentOutOfRangeException>();
    }

    internal static void AssertNoSpanHoldsMore(IReadOnlyList<DateTimeOffset> sortedTimes, TimeSpan window, int limit)
    {
        // For every span start s taken at each recorded time, count the times in [s, s + window).
        var end = 0;
        for (var start = 0; start < sortedTimes.Count; start++)
        {
            end = Math.Max(end, start);
            while (end < sortedTimes.Count && sortedTimes[end] < sortedTimes[start] + window)
            {
                end++;
            }

            (end - start).Should().BeLessThanOrEqualTo(limit, "the span starting at {0:O} may hold at most {1}", sortedTimes[start], limit);
        }
    }
}
