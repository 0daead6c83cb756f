namespace TrainingApis.Core;

/// <summary>How failed attempts are retried: 408, 429, 5xx and network failures, with exponential backoff and jitter.</summary>
public sealed class RetryOptions
{
    /// <summary>Retries after the first attempt; 0 turns retrying off. Default 3.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first backoff; each next one doubles, with jitter. Default 1 second.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest computed backoff. Default 30 seconds.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest server <c>Retry-After</c> the client waits for; a longer one is cut to this. A wait past the call's
    /// remaining <c>Timeout</c> is not started: the call ends with <see cref="ApiRateLimitException"/>. Default 5 minutes.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(5);

    internal void Validate(string prefix, List<string> errors)
    {
        if (MaxRetries is < 0 or > 100)
        {
            errors.Add($"{prefix}.MaxRetries must be between 0 and 100 (was {MaxRetries}).");
        }

        if (BaseDelay < TimeSpan.Zero)
        {
            errors.Add($"{prefix}.BaseDelay must not be negative (was {BaseDelay}).");
        }

        if (MaxDelay < BaseDelay)
        {
            errors.Add($"{prefix}.MaxDelay must be at least BaseDelay (was {MaxDelay}).");
        }

        if (MaxRetryAfter < TimeSpan.Zero)
        {
            errors.Add($"{prefix}.MaxRetryAfter must not be negative (was {MaxRetryAfter}).");
        }
    }
}
