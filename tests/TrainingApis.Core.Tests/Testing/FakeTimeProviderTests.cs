using TrainingApis.Core.Tests.TestSupport;
using TrainingApis.Testing;

namespace TrainingApis.Core.Tests.Testing;

/// <summary>The fake clock every test of the solution relies on.</summary>
public sealed class FakeTimeProviderTests
{
    [Fact]
    public void The_clock_moves_only_when_advanced()
    {
        var start = new DateTimeOffset(2026, 2, 3, 4, 5, 6, TimeSpan.Zero);
        var time = new FakeTimeProvider(start);
        var stamp = time.GetTimestamp();

        time.GetUtcNow().Should().Be(start);
        time.Advance(TimeSpan.FromMinutes(3));

        time.GetUtcNow().Should().Be(start.AddMinutes(3));
        time.GetElapsedTime(stamp).Should().Be(TimeSpan.FromMinutes(3));
        time.LocalTimeZone.Should().Be(TimeZoneInfo.Utc);
        FluentActions.Invoking(() => time.Advance(TimeSpan.FromTicks(-1))).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Timers_fire_in_due_order_at_their_due_time()
    {
        var time = new FakeTimeProvider();
        var start = time.GetUtcNow();
        var fired = new List<(string Name, TimeSpan At)>();
        using var late = time.CreateTimer(_ => fired.Add(("late", time.GetUtcNow() - start)), null, TimeSpan.FromSeconds(30), Timeout.InfiniteTimeSpan);
        using var early = time.CreateTimer(_ => fired.Add(("early", time.GetUtcNow() - start)), null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);
        using var never = time.CreateTimer(_ => fired.Add(("never", time.GetUtcNow() - start)), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        time.NextDue().Should().Be(start.AddSeconds(10));
        time.Advance(TimeSpan.FromMinutes(1));

        fired.Should().Equal(("early", TimeSpan.FromSeconds(10)), ("late", TimeSpan.FromSeconds(30)));
        time.NextDue().Should().BeNull();
        time.ActiveTimerCount.Should().Be(0);
    }

    [Fact]
    public void A_periodic_timer_fires_once_per_period()
    {
        var time = new FakeTimeProvider();
        var count = 0;
        using var timer = time.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));

        time.Advance(TimeSpan.FromSeconds(7));

        count.Should().Be(4, "at 1, 3, 5 and 7 seconds");
    }

    [Fact]
    public void A_timer_armed_by_a_callback_fires_in_the_same_advance_when_due()
    {
        var time = new FakeTimeProvider();
        var fired = new List<TimeSpan>();
        var start = time.GetUtcNow();
        ITimer? second = null;
        using var first = time.CreateTimer(
            _ =>
            {
                fired.Add(time.GetUtcNow() - start);
                second = time.CreateTimer(_ => fired.Add(time.GetUtcNow() - start), null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
            },
            null,
            TimeSpan.FromSeconds(5),
            Timeout.InfiniteTimeSpan);

        time.Advance(TimeSpan.FromSeconds(20));

        fired.Should().Equal(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));
        time.GetUtcNow().Should().Be(start.AddSeconds(20));
        second!.Dispose();
    }

    [Fact]
    public void Change_and_Dispose_behave_like_a_real_timer()
    {
        var time = new FakeTimeProvider();
        var count = 0;
        var timer = time.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);

        timer.Change(TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan).Should().BeTrue();
        time.Advance(TimeSpan.FromSeconds(6));
        count.Should().Be(0);
        time.Advance(TimeSpan.FromSeconds(4));
        count.Should().Be(1);

        timer.Dispose();
        timer.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan).Should().BeFalse();
        time.Advance(TimeSpan.FromSeconds(5));
        count.Should().Be(1);
    }

    [Fact]
    public async Task A_timer_due_now_fires_soon_on_another_thread()
    {
        var time = new FakeTimeProvider();
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        using var timer = time.CreateTimer(_ => fired.TrySetResult(), null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);

        await fired.Task.Guard();

        fired.Task.IsCompletedSuccessfully.Should().BeTrue();
        time.ActiveTimerCount.Should().Be(0);
    }

    [Fact]
    public void The_clock_never_goes_back_when_it_was_moved_on_during_an_advance()
    {
        // Another thread (or, here, a timer callback) moves the clock further while an advance is firing timers: the
        // advance must not then set the clock back to its own, earlier, target.
        var time = new FakeTimeProvider();
        var start = time.GetUtcNow();
        using var timer = time.CreateTimer(_ => time.Advance(TimeSpan.FromSeconds(20)), null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);

        time.Advance(TimeSpan.FromSeconds(10));

        time.GetUtcNow().Should().Be(start.AddSeconds(25));
    }

    [Fact]
    public async Task RunAsync_drives_delays_in_fake_time()
    {
        var time = new FakeTimeProvider();
        var start = time.GetUtcNow();

        async Task<int> Work()
        {
            await Task.Delay(TimeSpan.FromHours(1), time);
            await Task.Delay(TimeSpan.FromMinutes(30), time);
            return 42;
        }

        (await time.RunAsync(Work())).Should().Be(42);
        time.GetUtcNow().Should().Be(start.AddMinutes(90));
    }

    [Fact]
    public async Task RunAsync_gives_up_past_the_virtual_time_limit()
    {
        var time = new FakeTimeProvider();

        var act = () => time.RunAsync(Task.Delay(TimeSpan.FromDays(2), time), TimeSpan.FromDays(1));

        await act.Should().ThrowAsync<TimeoutException>();
    }

    [Fact]
    public async Task Polly_and_cancellation_timers_run_on_the_fake_clock()
    {
        var time = new FakeTimeProvider();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10), time);
        var start = time.GetUtcNow();

        var act = () => time.RunAsync(Task.Delay(Timeout.InfiniteTimeSpan, cts.Token));

        await act.Should().ThrowAsync<OperationCanceledException>();
        time.GetUtcNow().Should().Be(start.AddSeconds(10));
    }
}
