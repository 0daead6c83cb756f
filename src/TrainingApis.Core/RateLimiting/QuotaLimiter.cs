namespace TrainingApis.Core.RateLimiting;

/// <summary>
/// A client-side quota: never more than <see cref="PermitLimit"/> requests in any span of <see cref="Window"/>.
/// Waiters are served first in, first out; the queue is bounded; a cancelled waiter leaves the queue and consumes nothing.
/// </summary>
/// <remarks>
/// A permit counts from the moment it is granted until <see cref="Window"/> after its request completed, so that a
/// server counting arrivals in any window alignment never sees more than the limit, whatever the latency.
/// </remarks>
public sealed class QuotaLimiter : IDisposable
{
    private readonly object _gate = new();
    private readonly TimeProvider _timeProvider;
    private readonly Queue<long> _releasedAt = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private ITimer? _timer;
    private int _inFlight;
    private bool _disposed;

    /// <summary>Creates a limiter.</summary>
    /// <param name="permitLimit">Requests allowed in any span of <paramref name="window"/>.</param>
    /// <param name="window">The span the limit applies to.</param>
    /// <param name="queueLimit">Requests that may wait at once.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    public QuotaLimiter(int permitLimit, TimeSpan window, int queueLimit, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permitLimit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(queueLimit);
        PermitLimit = permitLimit;
        Window = window;
        QueueLimit = queueLimit;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Requests allowed in any span of <see cref="Window"/>.</summary>
    public int PermitLimit { get; }

    /// <summary>The span the limit applies to.</summary>
    public TimeSpan Window { get; }

    /// <summary>Requests that may wait at once.</summary>
    public int QueueLimit { get; }

    /// <summary>Permits that could be granted now.</summary>
    public int AvailablePermits
    {
        get
        {
            lock (_gate)
            {
                Prune(_timeProvider.GetTimestamp());
                return Math.Max(0, PermitLimit - Used);
            }
        }
    }

    /// <summary>Requests waiting for a permit.</summary>
    public int QueuedCount
    {
        get
        {
            lock (_gate)
            {
                return _waiters.Count;
            }
        }
    }

    /// <summary>Permits granted whose requests have not completed.</summary>
    public int InFlightCount
    {
        get
        {
            lock (_gate)
            {
                return _inFlight;
            }
        }
    }

    private int Used => _inFlight + _releasedAt.Count;

    /// <summary>
    /// Waits for a permit, first in first out. Dispose the lease when the request has completed; call
    /// <see cref="QuotaLease.ReturnUnused"/> instead when the request was never sent.
    /// </summary>
    /// <exception cref="ApiRateLimitException">The queue is full; <see cref="ApiRateLimitException.RetryAfter"/> estimates the wait.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    public ValueTask<QuotaLease> AcquireAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Waiter waiter;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = _timeProvider.GetTimestamp();
            Prune(now);
            if (_waiters.Count == 0 && Used < PermitLimit)
            {
                _inFlight++;
                return new ValueTask<QuotaLease>(new QuotaLease(this));
            }

            if (_waiters.Count >= QueueLimit)
            {
                var wait = EstimateWait(now, _waiters.Count);
                throw new ApiRateLimitException(
                    $"The client-side quota of {PermitLimit} requests per {Window} is exhausted and {_waiters.Count} requests are already waiting (QueueLimit {QueueLimit}). Try again in about {wait}.",
                    wait);
            }

            waiter = new Waiter(this);
            waiter.Node = _waiters.AddLast(waiter);
            ScheduleTimer(now);
        }

        if (cancellationToken.CanBeCanceled)
        {
            waiter.Registration = cancellationToken.UnsafeRegister(static (state, token) => ((Waiter)state!).Cancel(token), waiter);
        }

        return new ValueTask<QuotaLease>(waiter.Completion.Task);
    }

    /// <summary>Stops the timer; waiting requests fail with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        List<Waiter> abandoned;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _timer?.Dispose();
            abandoned = [.. _waiters];
            _waiters.Clear();
        }

        foreach (var waiter in abandoned)
        {
            waiter.Registration.Dispose();
            waiter.Completion.TrySetException(new ObjectDisposedException(nameof(QuotaLimiter)));
        }
    }

    internal void Release(bool sent)
    {
        lock (_gate)
        {
            _inFlight--;
            var now = _timeProvider.GetTimestamp();
            if (sent)
            {
                _releasedAt.Enqueue(now);
            }

            GrantWaiters(now);
        }
    }

    private void RemoveWaiter(Waiter waiter, CancellationToken token)
    {
        lock (_gate)
        {
            if (waiter.Node?.List is null)
            {
                return; // Already granted: the caller holds a lease and returns it.
            }

            _waiters.Remove(waiter.Node);
        }

        waiter.Completion.TrySetCanceled(token);
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                GrantWaiters(_timeProvider.GetTimestamp());
            }
        }
    }

    // Callers hold _gate.
    private void GrantWaiters(long now)
    {
        Prune(now);
        while (_waiters.First is { } first && Used < PermitLimit)
        {
            _waiters.RemoveFirst();
            var waiter = first.Value;
            _inFlight++;

            // Unregister, never Dispose, under the lock: Dispose waits for a cancellation callback that is running, and
            // that callback waits for this lock (RemoveWaiter) — a deadlock. A callback that runs anyway finds the waiter
            // gone from the queue and does nothing.
            waiter.Registration.Unregister();
            if (!waiter.Completion.TrySetResult(new QuotaLease(this)))
            {
                _inFlight--;
            }
        }

        ScheduleTimer(now);
    }

    private void Prune(long now)
    {
        while (_releasedAt.Count > 0 && _timeProvider.GetElapsedTime(_releasedAt.Peek(), now) >= Window)
        {
            _releasedAt.Dequeue();
        }
    }

    private void ScheduleTimer(long now)
    {
        if (_waiters.Count == 0 || _releasedAt.Count == 0)
        {
            return; // Nothing waits, or only in-flight requests hold permits: their release reschedules.
        }

        var due = Window - _timeProvider.GetElapsedTime(_releasedAt.Peek(), now);
        if (due < TimeSpan.Zero)
        {
            due = TimeSpan.Zero;
        }

        if (_timer is null)
        {
            _timer = _timeProvider.CreateTimer(static state => ((QuotaLimiter)state!).OnTimer(), this, due, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _timer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    private TimeSpan EstimateWait(long now, int waiting)
    {
        var first = _releasedAt.Count > 0 ? Window - _timeProvider.GetElapsedTime(_releasedAt.Peek(), now) : TimeSpan.Zero;
        if (first < TimeSpan.Zero)
        {
            first = TimeSpan.Zero;
        }

        return first + (Window * (waiting / PermitLimit));
    }

    private sealed class Waiter(QuotaLimiter owner)
    {
        public TaskCompletionSource<QuotaLease> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }

        public CancellationTokenRegistration Registration { get; set; }

        public void Cancel(CancellationToken token) => owner.RemoveWaiter(this, token);
    }
}
