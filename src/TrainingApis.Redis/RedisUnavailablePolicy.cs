namespace TrainingApis.Redis;

/// <summary>What a client does while the Redis server that shares its quota cannot be reached.</summary>
public enum RedisUnavailablePolicy
{
    /// <summary>
    /// The default: each instance falls back to a local quota of <c>PermitLimit ÷ ExpectedInstances</c> (at least 1)
    /// per window, logs one warning per outage and returns to the shared quota as soon as Redis answers again.
    /// </summary>
    FallBackToLocal = 0,

    /// <summary>Every call fails at once with <see cref="TrainingApis.Core.ApiRateLimitException"/> (nothing is sent) until Redis answers again.</summary>
    FailFast = 1,
}
