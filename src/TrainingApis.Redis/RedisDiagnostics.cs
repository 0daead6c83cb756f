using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TrainingApis.Redis;

/// <summary>The package's meter and activity source, both named <c>TrainingApis.Redis</c>.</summary>
internal static class RedisDiagnostics
{
    public const string Name = "TrainingApis.Redis";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>Permits granted by the shared quota (tag <c>service</c>).</summary>
    public static readonly Counter<long> PermitsGranted = Meter.CreateCounter<long>("trainingapis.redis.quota.permits_granted", "{permit}", "Permits granted by the quota shared through Redis.");

    /// <summary>Requests that had to wait for a shared permit.</summary>
    public static readonly Counter<long> Waits = Meter.CreateCounter<long>("trainingapis.redis.quota.waits", "{request}", "Requests that waited for a permit of the quota shared through Redis.");

    /// <summary>Commands sent to Redis (one per acquire attempt, two per release: the release and its announcement).</summary>
    public static readonly Counter<long> RoundTrips = Meter.CreateCounter<long>("trainingapis.redis.round_trips", "{command}", "Commands sent to Redis for the shared quota.");

    /// <summary>Requests served by the local fallback quota (or refused by FailFast) because Redis was unreachable.</summary>
    public static readonly Counter<long> Fallbacks = Meter.CreateCounter<long>("trainingapis.redis.quota.fallbacks", "{request}", "Requests that could not use the shared quota because Redis was unreachable.");
}
