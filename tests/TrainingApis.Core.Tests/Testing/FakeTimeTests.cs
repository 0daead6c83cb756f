using TrainingApis.Core.Tests.TestSupport;
using TrainingApis.Testing;

namespace TrainingApis.Core.Tests.Testing;

/// <summary>The fake clock every test of the solution relies on: FakeTimeProvider and the helpers of TrainingApis.Testing.</summary>
public sealed class FakeTimeTests
{
    [Fact]
    public void Create_starts_the_clock_at_the_tests_epoch_and_it_moves_only_when_advanced()
    {
        var time = FakeTime.Create();
        var stamp = time.GetTimestamp();

        time.GetUtcNow().Should().Be(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        time.Advance(TimeSpan.FromMinutes(3));

        time.GetUtcNow().Should().Be(FakeTime.Start.AddMinutes(3));
        time.GetElapsedTime(stamp).Should().Be(TimeSpan.FromMinutes(3));
        time.LocalTimeZone.Should().Be(TimeZoneInfo.Utc);
        FluentActions.Invoking(() => time.Advance(TimeSpan.FromTicks(-1))).Should().Throw<ArgumentOutOfRangeException>();
        FakeTime.Create(new DateTimeOffset(2026, 2, 3, 4, 5, 6, TimeSpan.Zero)).GetUtcNow().Should().Be(new DateTimeOffset(2026, 2, 3, 4, 5, 6, TimeSpan.Zero));
    }

    [Fact]
    public void NextDue_and_ActiveTimerCount_see_the_armed_timers()
    {
        var time = FakeTime.Create();
        var start = time.GetUtcNow();
        var fired = new List<string>();
        using var late = time.CreateTimer(_ => fired.Add("late"), null, TimeSpan.FromSeconds(30), Timeout.InfiniteTimeSpan);
        using var early = time.CreateTimer(_ => fired.Add("early"), null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);
        using var never = time.CreateTimer(_ => fired.Add("never"), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        using var periodic = time.CreateTimer(_ => fired.Add("periodic"), null, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5));

        time.ActiveTimerCount.Should().Be(3, "the never-due timer is not armed");
        time.NextDue().Should().Be(start.AddSeconds(10));

        time.Advance(TimeSpan.FromSeconds(10));
        time.NextDue().Should().Be(start.AddSeconds(30));
        time.Advance(TimeSpan.FromMinutes(1));

        fired.Should().Equal("early", "late");
        time.ActiveTimerCount.Should().Be(1, "only the periodic timer stays armed");
        time.NextDue().Should().Be(start.AddMinutes(5));
        periodic.Dispose();
        time.ActiveTimerCount.Should().Be(0);
        time.NextDue().Should().BeNull();
    }

    [Fact]
    public void A_timer_due_now_fires_at_once_inside_CreateTimer()
    {
        // Unlike a real timer (which fires soon, on another thread), FakeTimeProvider fires a timer armed with due time
        // zero inside CreateTimer/Change, on the caller's thread. The code under test never arms one under a lock it
        // also takes in the callback (QuotaLimiter arms its timer only for a positive due time).
        var time = FakeTime.Create();
        var firedOn = -1;

        using var timer = time.CreateTimer(_ => firedOn = Environment.CurrentManagedThreadId, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);

        firedOn.Should().Be(Environment.CurrentManagedThreadId);
        time.ActiveTimerCount.Should().Be(0);
    }

    [Fact]
    public async Task RunAsync_drives_delays_in_fake_time()
    {
        var time = FakeTime.Create();
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
        var time = FakeTime.Create();

        var act = () => time.RunAsync(Task.Delay(TimeSpan.FromDays(2), time), TimeSpan.FromDays(1));

        await act.Should().ThrowAsync<TimeoutException>();
    }

    [Fact]
    public async Task Polly_and_cancellation_timers_run_on_the_fake_clock()
    {
        var time = FakeTime.Create();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10), time);
        var start = time.GetUtcNow();

        var act = () => time.RunAsync(Task.Delay(Timeout.InfiniteTimeSpan, cts.Token));

        await act.Should().ThrowAsync<OperationCanceledException>();
        time.GetUtcNow().Should().Be(start.AddSeconds(10));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(150)]
    public async Task RunAsync_does_not_jump_past_a_timer_that_a_running_continuation_is_about_to_arm(int busyMilliseconds)
    {
        // The flaky failure this guards against: a retry's continuation still running (or descheduled on a loaded
        // machine) when the driver looked, the total timeout the only timer armed, and the clock jumped to it before
        // the backoff was armed. The continuation here holds its thread for real time before arming the near timer.
        var time = FakeTime.Create();
        var start = time.GetUtcNow();

        async Task<TimeSpan> Work()
        {
            using var total = new CancellationTokenSource(TimeSpan.FromSeconds(25), time);
            await Task.Yield();
            Thread.Sleep(busyMilliseconds);
            await Task.Delay(TimeSpan.FromSeconds(0.5), time, total.Token);
            await Task.Run(() => Thread.Sleep(busyMilliseconds));
            await Task.Delay(TimeSpan.FromSeconds(0.5), time, total.Token);
            return time.GetUtcNow() - start;
        }

        (await time.RunAsync(Work()).Guard()).Should().Be(TimeSpan.FromSeconds(1));
    }
}
