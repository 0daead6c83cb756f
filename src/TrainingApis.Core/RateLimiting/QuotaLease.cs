using System.Threading.RateLimiting;

namespace TrainingApis.Core.RateLimiting;

/// <summary>
/// A granted permit of a <see cref="QuotaLimiter"/>. Dispose it when the request has completed: the permit then counts
/// against the quota for one window from that moment. Carries no metadata.
/// </summary>
internal sealed class QuotaLease : RateLimitLease
{
    private QuotaLimiter? _owner;
    private readonly int _count;

    internal QuotaLease(QuotaLimiter? owner, int count)
    {
        _owner = owner;
        _count = count;
    }

    /// <summary>Always <see langword="true"/>: a refused request gets a different lease.</summary>
    public override bool IsAcquired => true;

    /// <summary>None: a granted quota lease carries no metadata.</summary>
    public override IEnumerable<string> MetadataNames => [];

    /// <inheritdoc/>
    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        metadata = null;
        return false;
    }

    /// <summary>Gives the permit back unused, for a request that was never sent; it does not count against the quota.</summary>
    public void ReturnUnused() => Interlocked.Exchange(ref _owner, null)?.Release(_count, sent: false);

    /// <summary>Marks the request completed: the permit counts against the quota for one window from now. Idempotent.</summary>
    protected override void Dispose(bool disposing) => Interlocked.Exchange(ref _owner, null)?.Release(_count, sent: true);
}
