using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;

namespace TrainingApis.Core.RateLimiting;

/// <summary>
/// A client-side quota as a <see cref="RateLimiter"/>: never more than <see cref="PermitLimit"/> requests in any span of
/// <see cref="Window"/>. Waiters are served first in, first out; the queue is bounded; a cancelled waiter leaves the
/// queue and consumes nothing. Composes with anything that takes a <see cref="RateLimiter"/> (Polly's rate limiter
/// strategy, <see cref="RateLimiter.CreateChained"/>, <c>UseQuotaLimiter</c>).
/// </summary>
/// <remarks>
/// <para>
/// A permit counts from the moment it is granted until <see cref="Window"/> after its request completed — disposing
/// the lease marks the request completed — so that a server counting arrivals in any window alignment never sees more
/// than the limit, whatever the latency. None of the built-in limiters does this: a fixed or sliding window counts a
/// permit from its grant only, a concurrency limiter not at all once released.
/// </para>
/// <para>
/// When the queue is full, <see cref="RateLimiter.AcquireAsync"/> and <see cref="RateLimiter.AttemptAcquire"/> return a
/// lease whose <see cref="RateLimitLease.IsAcquired"/> is <see langword="false"/>, with <see cref="MetadataName.RetryAfter"/>
/// (an estimate of when permits free up) and <see cref="MetadataName.ReasonPhrase"/>; the SDK's pipeline turns it into
/// <see cref="ApiRateLimitException"/>. All timing runs on the given <see cref="TimeProvider"/>.
/// </para>
/// </remarks>
public sealed class QuotaLimiter : RateLimiter
{
    private static readonly RateLimitLease EmptyLease = new QuotaLease(null, 0);

    private readonly object _gate = new();
    private readonly TimeProvider _timeProvider;
    private readonly Queue<(long At, int Count)> _releasedAt = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private readonly ConcurrentQueue<QuotaSettingsConflict> _conflicts = new();
    private ITimer? _timer;
    private int _inFlight;
    private int _released;
    private int _queuedPermits;
    private long _idleSince;
    private long? _lastSentAt;
    private long _successfulLeases;
    private long _failedLeases;
    private bool _disposed;

    /// <summary>Creates a limiter.</summary>
    /// <param name="permitLimit">Requests allowed in any span of <paramref name="window"/>; at least 1.</param>
    /// <param name="window">The span the limit applies to; positive.</param>
    /// <param name="queueLimit">Permits (requests) that may wait at once; 0 refuses as soon as the permits are used.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">A limit is out of range.</exception>
    public QuotaLimiter(int permitLimit, TimeSpan window, int queueLimit, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permitLimit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(queueLimit);
        PermitLimit = permitLimit;
        Window = window;
        QueueLimit = queueLimit;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _idleSince = _timeProvider.GetTimestamp();
    }

    /// <summary>
    /// Requests allowed in any span of <see cref="Window"/>. A limiter shared through <see cref="QuotaLimiterRegistry"/>
    /// may be tightened when another client of its partition asks for a stricter limit.
    /// </summary>
    public int PermitLimit { get; private set; }

    /// <summary>The span the limit applies to.</summary>
    public TimeSpan Window { get; private set; }

    /// <summary>Permits (requests) that may wait at once; one more is refused at once.</summary>
    public int QueueLimit { get; private set; }

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

    /// <summary>Permits granted whose requests have not completed (whose leases are not disposed).</summary>
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

    /// <summary>
    /// How long no permit has counted and nothing has waited: null while a request is in flight, waits, or completed
    /// less than <see cref="Window"/> ago.
    /// </summary>
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_gate)
            {
                if (_inFlight > 0 || _waiters.Count > 0)
                {
                    return null;
                }

                var now = _timeProvider.GetTimestamp();
                Prune(now);
                if (_released > 0)
                {
                    return null;
                }

                var idle = _timeProvider.GetElapsedTime(_idleSince, now);
                if (_lastSentAt is { } sent)
                {
                    var sinceExpiry = _timeProvider.GetElapsedTime(sent, now) - Window;
                    idle = sinceExpiry < idle ? sinceExpiry : idle;
                }

                return idle < TimeSpan.Zero ? TimeSpan.Zero : idle;
            }
        }
    }

    private int Used => _inFlight + _released;

    /// <inheritdoc/>
    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_gate)
        {
            Prune(_timeProvider.GetTimestamp());
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = Math.Max(0, PermitLimit - Used),
                CurrentQueuedCount = _queuedPermits,
                TotalFailedLeases = _failedLeases,
                TotalSuccessfulLeases = _successfulLeases,
            };
        }
    }

    /// <inheritdoc/>
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_gate)
        {
            ThrowIfInvalid(permitCount);
            var now = _timeProvider.GetTimestamp();
            Prune(now);

            // Zero permits asks whether a permit is free, as the built-in limiters do.
            if (permitCount == 0 ? Used < PermitLimit : _waiters.Count == 0 && Used + permitCount <= PermitLimit)
            {
                return Grant(permitCount);
            }

            return Fail(now, permitCount, $"The client-side quota of {PermitLimit} requests per {Window} has no free permit now.");
        }
    }

    /// <inheritdoc/>
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<RateLimitLease>(cancellationToken);
        }

        Waiter waiter;
        lock (_gate)
        {
            ThrowIfInvalid(permitCount);
            var now = _timeProvider.GetTimestamp();
            Prune(now);
            if (_waiters.Count == 0 && Used + Math.Max(permitCount, 1) <= PermitLimit)
            {
                return new ValueTask<RateLimitLease>(Grant(permitCount));
            }

            if (_queuedPermits + permitCount > QueueLimit)
            {
                return new ValueTask<RateLimitLease>(Fail(
                    now,
                    permitCount,
                    $"The client-side quota of {PermitLimit} requests per {Window} is exhausted and {_waiters.Count} requests are already waiting (QueueLimit {QueueLimit})."));
            }

            waiter = new Waiter(this, permitCount);
            waiter.Node = _waiters.AddLast(waiter);
            _queuedPermits += permitCount;
            ScheduleTimer(now);
        }

        if (cancellationToken.CanBeCanceled)
        {
            waiter.Registration = cancellationToken.UnsafeRegister(static (state, token) => ((Waiter)state!).Cancel(token), waiter);
        }

        return new ValueTask<RateLimitLease>(waiter.Completion.Task);
    }

    /// <summary>Stops the timer; waiting requests fail with <see cref="ObjectDisposedException"/>, later ones too.</summary>
    protected override void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

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
            _queuedPermits = 0;
        }

        foreach (var waiter in abandoned)
        {
            waiter.Registration.Dispose();
            waiter.Completion.TrySetException(new ObjectDisposedException(nameof(QuotaLimiter)));
        }
    }

    /// <inheritdoc/>
    protected override ValueTask DisposeAsyncCore()
    {
        Dispose(true);
        return default;
    }

    /// <summary>
    /// Applies settings at least as strict as both the current ones and <paramref name="other"/>: the smaller permit
    /// limit over the longer window (which keeps both limits) and the smaller queue bound. When <paramref name="other"/>
    /// differs from the settings in force, records <paramref name="conflict"/>(in force) for the pipeline to log.
    /// </summary>
    internal void Tighten(QuotaSettings other, Func<QuotaSettings, QuotaSettingsConflict> conflict)
    {
        List<Waiter>? refused = null;
        QuotaSettings applied;
        lock (_gate)
        {
            var current = new QuotaSettings(PermitLimit, Window, QueueLimit);
            if (other == current)
            {
                return;
            }

            _conflicts.Enqueue(conflict(current));
            applied = current.Strictest(other);
            if (applied == current)
            {
                return;
            }

            (PermitLimit, Window, QueueLimit) = (applied.PermitLimit, applied.Window, applied.QueueLimit);

            // A waiter asking for more permits than the new limit could never be served: it fails now.
            for (var node = _waiters.First; node is not null;)
            {
                var next = node.Next;
                if (node.Value.Count > PermitLimit)
                {
                    _waiters.Remove(node);
                    _queuedPermits -= node.Value.Count;
                    (refused ??= []).Add(node.Value);
                }

                node = next;
            }

            GrantWaiters(_timeProvider.GetTimestamp());
        }

        foreach (var waiter in refused ?? [])
        {
            waiter.Registration.Dispose();
            waiter.Completion.TrySetException(new ArgumentOutOfRangeException(
                "permitCount", waiter.Count, $"The permit limit was lowered to {applied.PermitLimit} while the request waited."));
        }
    }

    /// <summary>Takes a settings conflict recorded by <see cref="QuotaLimiterRegistry"/>, for the pipeline to log.</summary>
    internal bool TryTakeConflict(out QuotaSettingsConflict conflict)
    {
        if (_conflicts.IsEmpty)
        {
            conflict = null!;
            return false;
        }

        return _conflicts.TryDequeue(out conflict!);
    }

    internal void Release(int count, bool sent)
    {
        lock (_gate)
        {
            _inFlight -= count;
            var now = _timeProvider.GetTimestamp();
            if (sent && count > 0)
            {
                _releasedAt.Enqueue((now, count));
                _released += count;
                _lastSentAt = now;
            }

            if (_inFlight == 0)
            {
                _idleSince = now;
            }

            if (!_disposed)
            {
                GrantWaiters(now);
            }
        }
    }

    // Callers hold _gate.
    private void ThrowIfInvalid(int permitCount)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (permitCount > PermitLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(permitCount), permitCount, $"At most {PermitLimit} permits can be acquired at once.");
        }
    }

    // Callers hold _gate.
    private RateLimitLease Grant(int permitCount)
    {
        _successfulLeases++;
        if (permitCount == 0)
        {
            return EmptyLease;
        }

        _inFlight += permitCount;
        return new QuotaLease(this, permitCount);
    }

    // Callers hold _gate.
    private RateLimitLease Fail(long now, int permitCount, string reason)
    {
        _failedLeases++;
        var wait = EstimateWait(now, _queuedPermits + permitCount);
        return new RejectedLease(wait, string.Create(CultureInfo.InvariantCulture, $"{reason} Try again in about {wait}."));
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
            _queuedPermits -= waiter.Count;

            // A larger request at the head may have held back smaller ones behind it.
            GrantWaiters(_timeProvider.GetTimestamp());
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
        while (_waiters.First is { } first && Used + Math.Max(first.Value.Count, 1) <= PermitLimit)
        {
            _waiters.RemoveFirst();
            var waiter = first.Value;
            _queuedPermits -= waiter.Count;
            var lease = Grant(waiter.Count);

            // Unregister, never Dispose, under the lock: Dispose waits for a cancellation callback that is running, and
            // that callback waits for this lock (RemoveWaiter) — a deadlock. A callback that runs anyway finds the waiter
            // gone from the queue and does nothing.
            waiter.Registration.Unregister();
            if (!waiter.Completion.TrySetResult(lease))
            {
                _inFlight -= waiter.Count;
                _successfulLeases--;
            }
        }

        ScheduleTimer(now);
    }

    // Callers hold _gate.
    private void Prune(long now)
    {
        while (_releasedAt.Count > 0 && _timeProvider.GetElapsedTime(_releasedAt.Peek().At, now) >= Window)
        {
            _released -= _releasedAt.Dequeue().Count;
        }
    }

    // Callers hold _gate.
    private void ScheduleTimer(long now)
    {
        if (_waiters.Count == 0 || _releasedAt.Count == 0)
        {
            return; // Nothing waits, or only in-flight requests hold permits: their release reschedules.
        }

        var due = Window - _timeProvider.GetElapsedTime(_releasedAt.Peek().At, now);
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

    // Callers hold _gate. When the first counting permit frees up, plus a window for each full limit queued ahead.
    private TimeSpan EstimateWait(long now, int permitsAhead)
    {
        // With no completed request counting, permits are held in flight: each frees a window after it completes.
        var first = _releasedAt.Count > 0 ? Window - _timeProvider.GetElapsedTime(_releasedAt.Peek().At, now) : Window;
        if (first < TimeSpan.Zero)
        {
            first = TimeSpan.Zero;
        }

        return first + (Window * ((permitsAhead - 1) / PermitLimit));
    }

    private sealed class Waiter(QuotaLimiter owner, int count)
    {
        public int Count { get; } = count;

        public TaskCompletionSource<RateLimitLease> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }

        public CancellationTokenRegistration Registration { get; set; }

        public void Cancel(CancellationToken token) => owner.RemoveWaiter(this, token);
    }
}
