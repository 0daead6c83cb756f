using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TrainingApis.Core.Diagnostics;
using TrainingApis.Core.RateLimiting;

namespace TrainingApis.Core.Http;

/// <summary>What the handlers of one client's pipeline share.</summary>
internal sealed class ApiPipelineSettings
{
    /// <summary>The service named in messages and logs, e.g. <c>Symtrain</c>.</summary>
    public required string ServiceName { get; init; }

    /// <summary>Timeouts, retries and the response size cap; the options of every call unless <see cref="CurrentOptions"/> is set.</summary>
    public required ApiClientOptions Options { get; init; }

    /// <summary>
    /// Returns the options in force (through dependency injection, the client's named options, reloaded when the
    /// configuration changes), or null to use <see cref="Options"/>. Read once at the start of each call, so a reloaded
    /// setting applies to the next call, body read included, without waiting for the handler chain to rotate, and every
    /// handler of one call sees the same options.
    /// </summary>
    public Func<ApiClientOptions>? CurrentOptions { get; init; }

    /// <summary>The options in force now: <see cref="CurrentOptions"/>, else <see cref="Options"/>.</summary>
    internal ApiClientOptions Current => CurrentOptions?.Invoke() ?? Options;

    /// <summary>The clock of timeouts, backoff and the quota.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where the pipeline logs.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>The package's source and meter; none when null.</summary>
    public ApiDiagnostics? Diagnostics { get; init; }

    /// <summary>
    /// Returns the quota's limiter for the current credential — a <see cref="QuotaLimiter"/> of the partition, or a user's
    /// own (<c>UseQuotaLimiter</c>) — or null for no quota. Read per request.
    /// </summary>
    public Func<RateLimiter?>? Quota { get; init; }

    /// <summary>The source of jitter, a number in [0, 1); <see cref="Random.Shared"/> when null.</summary>
    public Func<double>? Jitter { get; init; }
}
