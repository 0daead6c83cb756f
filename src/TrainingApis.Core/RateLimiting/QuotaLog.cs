using Microsoft.Extensions.Logging;

namespace TrainingApis.Core.RateLimiting;

/// <summary>The quota's log messages. A partition is named by its configured key or a hash of the credential, never the credential.</summary>
internal static partial class QuotaLog
{
    [LoggerMessage(20, LogLevel.Warning, "Two {Service} clients share the quota partition {Partition} with different limits: {InForce} and {Requested}. The stricter applies to both: {Applied}.")]
    public static partial void DifferentLimits(ILogger logger, string service, string partition, string inForce, string requested, string applied);
}
