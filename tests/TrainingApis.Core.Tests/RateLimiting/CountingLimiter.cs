using System.Threading.RateLimiting;

namespace TrainingApis.Core.Tests.RateLimiting;

/// <summary>
/// A user's own limiter: wraps another one (a <see cref="ConcurrencyLimiter"/> by default) and counts the permits asked
/// for and the leases disposed; <see cref="Refuse"/> makes it refuse with the given metadata instead.
/// </summary>
internal sealed class CountingLimiter(RateLimiter? inner = null) : RateLimiter
{
    private readonly RateLimiter _inner = inner ?? new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = 1000, QueueLimit = 0 });
    private int _acquired;
    private int _released;

    public int Acquired => Volatile.Read(ref _acquired);

    public int Released => Volatile.Read(ref _released);

    /// <summary>When set, every request is refused with a lease carrying these metadata (RetryAfter, ReasonPhrase or none).</summary>
    public (TimeSpan? RetryAfter, string? Reason)? Refuse { get; set; }

    public override TimeSpan? IdleDuration => _inner.IdleDuration;

    public override RateLimiterStatistics? GetStatistics() => _inner.GetStatistics();

    protected override RateLimitLease AttemptAcquireCore(int permitCount) => Count(_inner.AttemptAcquire(permitCount));

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        Count(await _inner.AcquireAsync(permitCount, cancellationToken));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }
    }

    private RateLimitLease Count(RateLimitLease lease)
    {
        Interlocked.Increment(ref _acquired);
        if (Refuse is { } refuse)
        {
            lease.Dispose();
            return new Refused(refuse.RetryAfter, refuse.Reason);
        }

        return new Counted(lease, this);
    }

    private sealed class Counted(RateLimitLease inner, CountingLimiter owner) : RateLimitLease
    {
        private int _disposed;

        public override bool IsAcquired => inner.IsAcquired;

        public override IEnumerable<string> MetadataNames => inner.MetadataNames;

        public override bool TryGetMetadata(string metadataName, out object? metadata) => inner.TryGetMetadata(metadataName, out metadata);

        protected override void Dispose(bool disposing)
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Increment(ref owner._released);
                inner.Dispose();
            }
        }
    }

    private sealed class Refused(TimeSpan? retryAfter, string? reason) : RateLimitLease
    {
        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames =>
            new[] { retryAfter is null ? null : MetadataName.RetryAfter.Name, reason is null ? null : MetadataName.ReasonPhrase.Name }.OfType<string>();

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter
                : metadataName == MetadataName.ReasonPhrase.Name ? reason
                : null;
            return metadata is not null;
        }
    }
}
