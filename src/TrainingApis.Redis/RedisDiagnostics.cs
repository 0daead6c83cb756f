using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;

namespace TrainingApis.Redis;

/// <summary>
/// The package's activity source and instruments, both named <c>TrainingApis.Redis</c>: on the container's meter when
/// it has an <see cref="IMeterFactory"/> (<see cref="For"/>), else on the package's own (<see cref="Shared"/>).
/// </summary>
internal sealed class RedisDiagnostics
{
    public const string Name = "TrainingApis.Redis";

    public static readonly ActivitySource Source = new(Name);

    private static readonly ConditionalWeakTable<IMeterFactory, RedisDiagnostics> ByMeterFactory = new();

    private RedisDiagnostics(Meter meter)
    {
        PermitsGranted = meter.CreateCounter<long>("trainingapis.redis.quota.permits_granted", "{permit}", "Permits granted by the quota shared through Redis.");
        Waits = meter.CreateCounter<long>("trainingapis.redis.quota.waits", "{request}", "Requests that waited for a permit of the quota shared through Redis.");
        RoundTrips = meter.CreateCounter<long>("trainingapis.redis.round_trips", "{command}", "Commands sent to Redis for the shared quota.");
        Fallbacks = meter.CreateCounter<long>("trainingapis.redis.quota.fallbacks", "{request}", "Requests that could not use the shared quota because Redis was unreachable.");
    }

    /// <summary>The instruments on the package's own meter, for limiters built without a container.</summary>
    public static RedisDiagnostics Shared { get; } = new(new Meter(Name));

    /// <summary>Permits granted by the shared quota (tag <c>service</c>).</summary>
    public Counter<long> PermitsGranted { get; }

    /// <summary>Requests that had to wait for a shared permit.</summary>
    public Counter<long> Waits { get; }

    /// <summary>Commands sent to Redis (one per acquire attempt, two per release: the release and its announcement).</summary>
    public Counter<long> RoundTrips { get; }

    /// <summary>Requests served by the local fallback quota (or refused by FailFast) because Redis was unreachable.</summary>
    public Counter<long> Fallbacks { get; }

    /// <summary>The instruments on a meter of the container's <see cref="IMeterFactory"/> (one per factory, which owns it); <see cref="Shared"/> without one.</summary>
    public static RedisDiagnostics For(IServiceProvider services) =>
        services.GetService<IMeterFactory>() is { } factory
            ? ByMeterFactory.GetValue(factory, static factory => new RedisDiagnostics(factory.Create(new MeterOptions(Name))))
            : Shared;
}
