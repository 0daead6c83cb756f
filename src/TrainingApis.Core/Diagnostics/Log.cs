using Microsoft.Extensions.Logging;

namespace TrainingApis.Core.Diagnostics;

/// <summary>
/// The pipeline's log messages. Only methods, paths without query, statuses, counts, durations and the values of
/// allow-listed headers (<see cref="HeaderAllowList"/>) are written — never another header's value, a body, a key, a
/// password or a token.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "{Service} {Method} {Path} attempt {Attempt} answered {StatusCode} in {ElapsedMs:0.0} ms")]
    public static partial void AttemptCompleted(ILogger logger, string service, string method, string path, int attempt, int statusCode, double elapsedMs);

    [LoggerMessage(2, LogLevel.Debug, "{Service} {Method} {Path} attempt {Attempt} failed after {ElapsedMs:0.0} ms: {ErrorType}")]
    public static partial void AttemptFailed(ILogger logger, string service, string method, string path, int attempt, double elapsedMs, string errorType);

    [LoggerMessage(3, LogLevel.Information, "{Service} {Method} {Path}: retry {Retry} in {DelayMs:0} ms after {Reason}")]
    public static partial void Retrying(ILogger logger, string service, string method, string path, int retry, double delayMs, string reason);

    [LoggerMessage(4, LogLevel.Debug, "{Service} {Method} {Path} waited {WaitMs:0} ms for a quota permit")]
    public static partial void QuotaWaited(ILogger logger, string service, string method, string path, double waitMs);

    [LoggerMessage(5, LogLevel.Warning, "{Service} {Method} {Path} refused by the client-side quota: queue full")]
    public static partial void QuotaRejected(ILogger logger, string service, string method, string path);

    [LoggerMessage(6, LogLevel.Information, "{Service} {Method} {Path} answered 401: acquiring a new access token and replaying once")]
    public static partial void ReplayingAfterUnauthorized(ILogger logger, string service, string method, string path);

    [LoggerMessage(7, LogLevel.Warning, "{Service} {Method} {Path} gave up after {Attempts} attempts: {Outcome}")]
    public static partial void GaveUp(ILogger logger, string service, string method, string path, int attempts, string outcome);

    [LoggerMessage(8, LogLevel.Trace, "{Service} {Method} {Path} attempt {Attempt} headers: request [{RequestHeaders}], response [{ResponseHeaders}]")]
    public static partial void AttemptHeaders(ILogger logger, string service, string method, string path, int attempt, string requestHeaders, string responseHeaders);
}
