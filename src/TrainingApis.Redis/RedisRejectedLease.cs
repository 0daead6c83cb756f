using System.Threading.RateLimiting;

namespace TrainingApis.Redis;

/// <summary>A refused request's lease: <see cref="MetadataName.RetryAfter"/> estimates the wait, <see cref="MetadataName.ReasonPhrase"/> says why.</summary>
internal sealed class RedisRejectedLease(TimeSpan retryAfter, string reason) : RateLimitLease
{
    public override bool IsAcquired => false;

    public override IEnumerable<string> MetadataNames => [MetadataName.RetryAfter.Name, MetadataName.ReasonPhrase.Name];

    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter
            : metadataName == MetadataName.ReasonPhrase.Name ? reason
            : null;
        return metadata is not null;
    }
}
