namespace TrainingApis.Core;

/// <summary>
/// The client-side quota: never more than <see cref="PermitLimit"/> requests in any span of <see cref="Window"/>,
/// shared by every client that uses the same credential in the process.
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
    }
}
