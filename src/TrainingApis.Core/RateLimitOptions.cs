namespace TrainingApis.Core;

/// <summary>
/// The client-side quota: never more than <see cref="PermitLimit"/> requests in any span of <see cref="Window"/>,
/// shared by every client of the same partition in the process — by default the credential, else
/// <see cref="PartitionKey"/>. When clients of one partition ask for different limits, the stricter applies to all of
/// them and a warning is logged naming both.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Whether the quota applies. Default on (Symtrain); the Senar client turns it off by default.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Requests allowed in any span of <see cref="Window"/>. Default 100.</summary>
    public int PermitLimit { get; set; } = 100;

    /// <summary>The span the limit applies to. Default 5 minutes.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Requests that may wait for a permit at once; one more is refused at once with <see cref="ApiRateLimitException"/>.
    /// Default 1000.
    /// </summary>
    public int QueueLimit { get; set; } = 1000;

    /// <summary>
    /// The partition whose quota this client shares with every client of the same service (Symtrain or Senar) that
    /// names it. Default null: the credential — the Symtrain API key, the Senar base address and username — so each key
    /// has a quota of its own. Symtrain's FAQ counts its limit per API key, its overview per IP address: clients whose
    /// different keys leave through one egress address set the same value here (e.g. <c>"egress-1"</c>) to share one quota.
    /// It appears in log messages, so it should not be a secret (the credential it replaces never does: only a hash).
    /// </summary>
    public string? PartitionKey { get; set; }

    internal void Validate(string prefix, List<string> errors)
    {
        if (!Enabled)
        {
            return;
        }

        if (PermitLimit <= 0)
        {
            errors.Add($"{prefix}.PermitLimit must be positive (was {PermitLimit}).");
        }

        if (Window <= TimeSpan.Zero)
        {
            errors.Add($"{prefix}.Window must be positive (was {Window}).");
        }

        if (QueueLimit < 0)
        {
            errors.Add($"{prefix}.QueueLimit must not be negative (was {QueueLimit}).");
        }

        if (PartitionKey is not null && string.IsNullOrWhiteSpace(PartitionKey))
        {
            errors.Add($"{prefix}.PartitionKey must not be empty or white space; leave it unset (null) to partition by the credential.");
        }
    }
}
