namespace TrainingApis.Testing;

/// <summary>
/// A <see cref="TimeProvider"/> whose clock moves only when told to. Timers fire, in due order, as time is advanced.
/// (Microsoft.Extensions.TimeProvider.Testing cannot be restored here.)
/// </summary>
public sealed class FakeTimeProvider : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<FakeTimer> _timers = [];
    private DateTimeOffset _now;

    public FakeTimeProvider(DateTimeOffset? start = null)
    {
        _now = start ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public int ActiveTimerCount
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count(t => t.Due is not null);
            }
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        lock (_gate)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>The earliest time a timer is due, or null when none is armed.</summary>
    public DateTimeOffset? NextDue()
    {
        lock (_gate)
        {
            return _timers.Where(t => t.Due is not null).Select(t => t.Due).Min();
        }
    }

    /// <summary>Moves the clock forward by <paramref name="delta"/>, firing every timer that falls due on the way, in order.</summary>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        DateTimeOffset target;
        lock (_gate)
        {
            target = _now + delta;
        }

        while (true)
        {
            FakeTimer? next;
            lock (_gate)
            {
                next = _timers.Where(t => t.Due is { } due && due <= target).OrderBy(t => t.Due).ThenBy(t => t.Sequence).FirstOrDefault();
                if (next is null)
                {
                    // Never backwards: another thread (a timer armed with due time zero) may have moved the clock on meanwhile.
                    if (target > _now)
                    {
                        _now = target;
                    }

                    return;
                }

                if (next.Due > _now)
                {
                    _now = next.Due!.Value;
                }

                next.Due = next.Period is { } period && period > TimeSpan.Zero ? _now + period : null;
            }

            next.Fire();
        }
    }

    /// <summary>
    /// Lets <paramref name="task"/> run to completion in fake time: waits briefly for pending continuations, then jumps
    /// the clock to the next due timer, until the task completes or <paramref name="maxVirtualTime"/> has passed.
    /// </summary>
    public async Task<T> RunAsync<T>(Task<T> task, TimeSpan? maxVirtualTime = null)
    {
        await RunAsync((Task)task, maxVirtualTime);
        return await task;
    }

    /// <inheritdoc cref="RunAsync{T}(Task{T}, TimeSpan?)"/>
    public async Task RunAsync(Task task, TimeSpan? maxVirtualTime = null)
    {
        var limit = GetUtcNow() + (maxVirtualTime ?? TimeSpan.FromDays(30));
        var idleRounds = 0;
        while (!task.IsCompleted)
        {
            // Real time only to let thread-pool continuations run; no window is waited out for real.
            await Task.WhenAny(task, Task.Delay(1));
            if (task.IsCompleted)
            {
                break;
            }

            var due = NextDue();

            // Work of the current instant still queued on the thread pool (a continuation that is about to send a request
            // or arm a timer) must run before the clock jumps, or it would run late. Bounded, so that unrelated work of
            // tests running in parallel cannot stall this one.
            var busy = ThreadPool.PendingWorkItemCount > 0 && idleRounds < MaxBusyRounds;
            if (due is null || idleRounds < 2 || busy)
            {
                idleRounds++;
                if (idleRounds > 5000)
                {
                    throw new TimeoutException("The task made no progress and no timer is armed.");
                }

                continue;
            }

            idleRounds = 0;
            if (due > limit)
            {
                throw new TimeoutException($"The task did not complete within {maxVirtualTime} of fake time.");
            }

            var now = GetUtcNow();
            Advance(due.Value > now ? due.Value - now : TimeSpan.Zero);
        }

        await task;
    }

    private void Remove(FakeTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }

    private const int MaxBusyRounds = 10;

    private long _sequence;

    private sealed class FakeTimer(FakeTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? Due { get; set; }

        public TimeSpan? Period { get; private set; }

        public long Sequence { get; private set; }

        private bool _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                if (_disposed)
                {
                    return false; // Like a real timer: a disposed timer cannot be re-armed.
                }

                Sequence = ++owner._sequence;
                Period = period == Timeout.InfiniteTimeSpan ? null : period;
                Due = dueTime == Timeout.InfiniteTimeSpan ? null : owner._now + dueTime;
            }

            if (dueTime == TimeSpan.Zero)
            {
                // Like a real timer: due now means soon, on another thread, never inside the caller's lock.
                ThreadPool.QueueUserWorkItem(static o => o.Advance(TimeSpan.Zero), owner, preferLocal: false);
            }

            return true;
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (owner._gate)
            {
                _disposed = true;
                Due = null;
            }

            owner.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }
    }
}
