namespace TrainingApis.Cli.Output;

/// <summary>
/// The transport under the SDK's pipeline (below its quota limiter): it sees when each request really goes out and
/// finishes, so the tool can tell a quota wait from a slow response and estimate the time to the next permit. The SDK
/// counts a permit until one window after its request completes, so with <c>limit</c> requests finished in the last
/// window and none in flight, the next permit comes when the oldest of them is one window old.
/// </summary>
internal sealed class QuotaMonitor(HttpMessageHandler inner, int limit, TimeSpan window, bool enabled, TimeProvider time) : DelegatingHandler(inner)
{
    private readonly Queue<DateTimeOffset> _completed = new();
    private readonly Lock _gate = new();
    private int _inFlight;

    /// <summary>Requests that reached the network.</summary>
    public int Requests { get; private set; }

    /// <summary>
    /// When the caller waits for the quota: the time to the next permit (zero when it is due now); null when no quota wait
    /// is likely (a request is in flight, or fewer than the limit finished in the last window).
    /// </summary>
    public TimeSpan? NextPermitIn()
    {
        if (!enabled)
        {
            return null;
        }

        var now = time.GetUtcNow();
        lock (_gate)
        {
            while (_completed.Count > 0 && _completed.Peek() + window <= now)
            {
                _completed.Dequeue();
            }

            if (_inFlight > 0 || _completed.Count < limit)
            {
                return null;
            }

            var due = _completed.Peek() + window - now;
            return due > TimeSpan.Zero ? due : TimeSpan.Zero;
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _inFlight++;
            Requests++;
        }

        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _inFlight--;
                _completed.Enqueue(time.GetUtcNow());
                while (_completed.Count > limit)
                {
                    _completed.Dequeue();
                }
            }
        }
    }
}
