using System.Collections.Concurrent;

namespace TrainingApis.Core.Http;

/// <summary>
/// Reusable cancellation sources that cancel themselves after a delay on a given clock. A source with a timer, the
/// timer and the registrations made on its token cost some 400 bytes; every call needs one for its total timeout and
/// one per attempt, so they are kept for the next call instead, as Polly's timeout strategy does. Only on the system
/// clock: <see cref="CancellationTokenSource.TryReset"/> cannot stop the timer of another clock, so those are disposed.
/// </summary>
internal sealed class TimeoutSources(TimeProvider timeProvider)
{
    private const int MaxKept = 64;
    private readonly ConcurrentQueue<CancellationTokenSource> _free = new();
    private readonly bool _reusable = timeProvider == TimeProvider.System;

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
}
