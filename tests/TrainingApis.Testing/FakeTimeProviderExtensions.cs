using System.Collections;
using System.Diagnostics;
using System.Reflection;

namespace TrainingApis.Testing;

/// <summary>
/// What the tests need of <see cref="FakeTimeProvider"/> beyond its public API: the armed timers, and
/// <see cref="RunAsync(FakeTimeProvider, Task, TimeSpan?)"/>, which lets a task run to completion in fake time.
/// </summary>
public static class FakeTimeProviderExtensions
{
    // FakeTimeProvider keeps its armed timers in an internal set (lock it to read). Read by reflection: the package
    // version is pinned, and a test of this class fails at once if a new version moves them.
    private static readonly FieldInfo WaitersField =
        typeof(FakeTimeProvider).GetField("Waiters", BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new MissingFieldException(typeof(FakeTimeProvider).FullName, "Waiters");

    private static readonly PropertyInfo WakeupTimeProperty = WaiterProperty("WakeupTime");

    private static readonly PropertyInfo ScheduledOnProperty = WaiterProperty("ScheduledOn");

    /// <summary>How long the test's work may stay busy before the clock moves anyway (a thread blocked in it, a busy loop).</summary>
    private static readonly TimeSpan BusyLimit = TimeSpan.FromSeconds(10);

    /// <summary>How long the test's work may stay calm, with the thread pool's queue busy at every look, before it counts as idle.</summary>
    private static readonly TimeSpan CalmLimit = TimeSpan.FromSeconds(2);

    /// <summary>How long nothing may happen (no timer armed, the task not done) before RunAsync gives up.</summary>
    private static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(30);

    extension(FakeTimeProvider time)
    {
        /// <summary>Timers armed now (periodic ones included; disposed, fired one-shot and never-due ones not).</summary>
        public int ActiveTimerCount => Timers(time).Count;

        /// <summary>The earliest time a timer is due, or null when none is armed.</summary>
        public DateTimeOffset? NextDue()
        {
            var timers = Timers(time);
            return timers.Count == 0 ? null : new DateTimeOffset(timers.Min(t => t.WakeupTicks), time.GetUtcNow().Offset);
        }

        /// <summary>
        /// Lets <paramref name="task"/> run to completion in fake time: each time the test's work is idle (no thread runs
        /// it, none is about to, no timer was armed meanwhile), the clock jumps to the next due timer, which fires.
        /// Throws <see cref="TimeoutException"/> when the next timer is more than <paramref name="maxVirtualTime"/>
        /// (default 30 days) of fake time away, or when no timer is armed and the task makes no progress for 30 s.
        /// </summary>
        public async Task<T> RunAsync<T>(Task<T> task, TimeSpan? maxVirtualTime = null)
        {
            await time.RunAsync((Task)task, maxVirtualTime);
            return await task;
        }

        /// <inheritdoc cref="RunAsync{T}(FakeTimeProvider, Task{T}, TimeSpan?)"/>
        public Task RunAsync(Task task, TimeSpan? maxVirtualTime = null)
        {
            ArgumentNullException.ThrowIfNull(time);
            ArgumentNullException.ThrowIfNull(task);
            var tracked = TestFlow.Current;

            // Work the caller starts from now on is tracked even if this task's was not (a synchronous method, so the
            // mark stays with the caller).
            TestFlow.Track();
            var limit = time.GetUtcNow() + (maxVirtualTime ?? TimeSpan.FromDays(30));

            // The driver runs outside the test's flow, so that its own polling is never taken for the test's work.
            Task driver;
            using (ExecutionContext.SuppressFlow())
            {
                driver = Task.Run(() => DriveAsync(time, task, tracked, limit));
            }

            return Completion(driver, task);
        }
    }

    private static async Task Completion(Task driver, Task task)
    {
        await driver.ConfigureAwait(false);
        await task.ConfigureAwait(false);
    }

    private static async Task DriveAsync(FakeTimeProvider time, Task task, TestFlow? flow, DateTimeOffset limit)
    {
        var stalledSince = Stopwatch.GetTimestamp();
        while (!task.IsCompleted)
        {
            await UntilIdleAsync(time, task, flow).ConfigureAwait(false);
            if (task.IsCompleted)
            {
                break;
            }

            if (time.NextDue() is not { } due)
            {
                if (Stopwatch.GetElapsedTime(stalledSince) > StallLimit)
                {
                    throw new TimeoutException("The task made no progress and no timer is armed.");
                }

                continue;
            }

            if (due > limit)
            {
                throw new TimeoutException($"The task did not complete by {limit:O} of fake time; the next timer is due at {due:O}.");
            }

            var now = time.GetUtcNow();
            time.Advance(due > now ? due - now : TimeSpan.Zero);
            stalledSince = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>
    /// Returns once the test's work is idle: no thread ran code of its flow or started to, the armed timers stayed the
    /// same, and the thread pool's queue was seen empty (at some instant) in two polling windows, and all that for at
    /// least four times the longest window seen. Then no continuation of the flow is running (a descheduled one still
    /// counts as running) or waiting in the queue (it would have had to start, or the queue could not be empty), and
    /// none can be queued without one running. The one blind spot, a work item just taken from the queue by a thread
    /// that has not yet switched to the flow's context, is covered by the minimum calm: a thread descheduled in that
    /// gap is as likely to be delayed as the polling itself, so the wait grows with the machine's load (windows of 1 ms
    /// when idle, tens of ms under load). Only a flow that stays calm for 2 s while other work keeps the queue busy at
    /// every look counts as idle without the queue proof. Without a tracked flow (work started before any
    /// <see cref="FakeTime.Track"/>), only the timers and the queue can be watched: three windows and at least 50 ms.
    /// </summary>
    private static async Task UntilIdleAsync(FakeTimeProvider time, Task task, TestFlow? flow)
    {
        var started = Stopwatch.GetTimestamp();
        long? calmSince = null;
        var emptyQueueWindows = 0;
        var longestWindow = TimeSpan.Zero;
        var windowsNeeded = flow is null ? 3 : 2;
        var calmFloor = flow is null ? TimeSpan.FromMilliseconds(50) : TimeSpan.Zero;
        while (!task.IsCompleted)
        {
            var before = Snapshot.Take(time, flow);
            await Task.Delay(1).ConfigureAwait(false);
            var queueEmpty = SawEmptyQueue();
            var after = Snapshot.Take(time, flow);
            var window = Stopwatch.GetElapsedTime(before.At, after.At);
            longestWindow = window > longestWindow ? window : longestWindow;

            if (before != after || before.Active > 0)
            {
                calmSince = null;
                emptyQueueWindows = 0;
                if (Stopwatch.GetElapsedTime(started) > BusyLimit)
                {
                    return;
                }

                continue;
            }

            calmSince ??= before.At;
            emptyQueueWindows += queueEmpty ? 1 : 0;
            var calm = Stopwatch.GetElapsedTime(calmSince.Value);
            var calmNeeded = longestWindow * 4 > calmFloor ? longestWindow * 4 : calmFloor;
            if ((emptyQueueWindows >= windowsNeeded && calm >= calmNeeded) || calm >= CalmLimit)
            {
                return;
            }
        }
    }

    // Looks at the thread pool's queue a few times (other tests' work comes and goes): was it empty at one instant?
    private static bool SawEmptyQueue()
    {
        for (var i = 0; i < 64; i++)
        {
            if (ThreadPool.PendingWorkItemCount == 0)
            {
                return true;
            }

            Thread.Yield();
        }

        return false;
    }

    private static List<(long WakeupTicks, long ScheduledOn)> Timers(FakeTimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var waiters = (IEnumerable)WaitersField.GetValue(time)!;
        lock (waiters)
        {
            var timers = new List<(long, long)>();
            foreach (var waiter in waiters)
            {
                timers.Add(((long)WakeupTimeProperty.GetValue(waiter)!, (long)ScheduledOnProperty.GetValue(waiter)!));
            }

            return timers;
        }
    }

    private static PropertyInfo WaiterProperty(string name) =>
        WaitersField.FieldType.GetGenericArguments().SingleOrDefault()?.GetProperty(name, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
        ?? throw new MissingMemberException(typeof(FakeTimeProvider).FullName, "Waiters: " + name);

    private readonly record struct Snapshot(long Entries, int Active, int TimerCount, long TimerHash, long At)
    {
        public bool Equals(Snapshot other) =>
            Entries == other.Entries && Active == other.Active && TimerCount == other.TimerCount && TimerHash == other.TimerHash;

        public override int GetHashCode() => HashCode.Combine(Entries, Active, TimerCount, TimerHash);

        public static Snapshot Take(FakeTimeProvider time, TestFlow? flow)
        {
            var timers = FakeTimeProviderExtensions.Timers(time);
            var hash = 17L;
            foreach (var (wakeup, scheduledOn) in timers.OrderBy(t => t.WakeupTicks).ThenBy(t => t.ScheduledOn))
            {
                hash = unchecked((hash * 31) + wakeup);
                hash = unchecked((hash * 31) + scheduledOn);
            }

            return new Snapshot(flow?.Entries ?? 0, flow?.Active ?? 0, timers.Count, hash, Stopwatch.GetTimestamp());
        }
    }
}
