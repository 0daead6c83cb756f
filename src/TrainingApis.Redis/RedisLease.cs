using System.Threading.RateLimiting;

namespace TrainingApis.Redis;

/// <summary>A permit of the quota shared through Redis. Disposing it marks the request completed: it counts one window from then.</summary>
internal sealed class RedisLease(RedisQuotaLimiter.RedisRelease? release) : RateLimitLease
{
    private RedisQuotaLimiter.RedisRelease? _release = release;

    /// <summary>The lease of a call that asks for no permit or whose quota is off.</summary>
    public static RedisLease Empty { get; } = new(null);

    public override bool IsAcquired => true;

    public override IEnumerable<string> MetadataNames => [];

    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        metadata = null;
        return false;
    }

    protected override void Dispose(bool disposing) => Interlocked.Exchange(ref _release, null)?.Release();
}
