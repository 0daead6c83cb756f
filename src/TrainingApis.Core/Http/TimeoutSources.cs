using System.Collections.Concurrent;

namespace TrainingApis.Core.Http;

/// <summary>
/// Timeouts as cancellation sources that cancel themselves after a delay on a given clock, linked to the caller's token.
/// A source with a timer, the timer and the registrations made on its token cost some 400 bytes; the reading of a
/// streamed body needs one per read (its idle timeout) and one for its deadline, so they are kept for the next read
/// instead, as Polly's timeout strategy does. Only on the system clock: <see cref="CancellationTokenSource.TryReset"/>
/// cannot stop the timer of another clock, so those are disposed.
/// </summary>
internal sealed class TimeoutSources(TimeProvider timeProvider)
{
    private const int MaxKept = 64;
    private readonly ConcurrentQueue<CancellationTokenSource> _free = new();
    private readonly bool _reusable = timeProvider == TimeProvider.System;

    /// <summary>The clock of the timeouts.</summary>
    public TimeProvider TimeProvider => timeProvider;

    /// <summary>
    /// Starts a timeout of <paramref name="delay"/> (none when infinite) that <paramref name="cancellationToken"/> also
    /// cancels; dispose the scope when the work is over.
    /// </summary>
    public Scope Start(TimeSpan delay, CancellationToken cancellationToken)
    {
        if (delay == Timeout.InfiniteTimeSpan)
        {
            return new Scope(this, null, cancellationToken, default);
        }

        var source = Rent(delay);
        var link = cancellationToken.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), source);
        return new Scope(this, source, cancellationToken, link);
    }

    /// <summary>A source that cancels itself after <paramref name="delay"/>; give it back with <see cref="Return"/>.</summary>
    public CancellationTokenSource Rent(TimeSpan delay)
    {
        if (!_reusable || !_free.TryDequeue(out var source))
        {
            source = new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
        }

        source.CancelAfter(delay);
        return source;
    }

    /// <summary>Keeps <paramref name="source"/> for another call unless it was cancelled (then it is disposed).</summary>
    public void Return(CancellationTokenSource source)
    {
        // TryReset stops the timer and drops the registrations; it fails once the source was cancelled.
        if (_reusable && _free.Count < MaxKept && source.TryReset())
        {
            _free.Enqueue(source);
        }
        else
        {
            source.Dispose();
        }
    }

    /// <summary>One running timeout: the token to pass on, and whether it is the timeout (not the caller) that fired.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly TimeoutSources _owner;
        private readonly CancellationTokenSource? _source;
        private readonly CancellationToken _caller;
        private readonly CancellationTokenRegistration _link;

        internal Scope(TimeoutSources owner, CancellationTokenSource? source, CancellationToken caller, CancellationTokenRegistration link)
        {
            _owner = owner;
            _source = source;
            _caller = caller;
            _link = link;
        }

        /// <summary>Cancelled by the timeout or by the caller.</summary>
        public CancellationToken Token => _source?.Token ?? _caller;

        /// <summary>Whether the timeout fired while the caller had not cancelled.</summary>
        public bool TimedOut => _source is { IsCancellationRequested: true } && !_caller.IsCancellationRequested;

        /// <summary>Unlinks from the caller's token first (so it can no longer reach the source), then gives the source back.</summary>
        public void Dispose()
        {
            _link.Dispose();
            if (_source is not null)
            {
                _owner.Return(_source);
            }
        }
    }
}
