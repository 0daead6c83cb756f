namespace TrainingApis.Core.RateLimiting;

/// <summary>A permit of a <see cref="QuotaLimiter"/>. Dispose it when the request has completed.</summary>
public sealed class QuotaLease : IDisposable
{
    private QuotaLimiter? _owner;

    internal QuotaLease(QuotaLimiter owner) => _owner = owner;

    /// <summary>Releases the permit; it counts against the quota for one window from now.</summary>
    public void Dispose() => Interlocked.Exchange(ref _owner, null)?.Release(sent: true);

    /// <summary>Gives the permit back unused, for a request that was never sent; it does not count against the quota.</summary>
    public void ReturnUnused() => Interlocked.Exchange(ref _owner, null)?.Release(sent: false);
}
