using System.Globalization;

namespace TrainingApis.Core.Http;

/// <summary>
/// The message of every <see cref="TimeoutException"/> of a call: the service, the operation and where it was sent
/// (method, scheme, host and path; never the query, which may carry a secret), the time the call really took on the
/// client's clock, what ended it, and the settings that bounded it, e.g. <c>Symtrain Reports.GetUsers (POST
/// https://api.symtrain.com/v2/report/users) timed out after 405.5 s: attempt 4 of 4 reached AttemptTimeout
/// (SymtrainClientOptions.Timeout = 600 s; AttemptTimeout = 100 s; Retry.MaxRetries = 3). Raise AttemptTimeout if the
/// service is slow, or check that api.symtrain.com answers.</c>
/// </summary>
internal static class TimeoutMessage
{
    /// <summary>Builds the message.</summary>
    /// <param name="serviceName">The service, e.g. <c>Symtrain</c>.</param>
    /// <param name="request">The request that timed out.</param>
    /// <param name="elapsed">The time since the call began, on the client's clock.</param>
    /// <param name="cause">What ended it, e.g. <c>attempt 4 of 4 reached AttemptTimeout</c>.</param>
    /// <param name="options">The options that bounded the call; null when not known (then no settings are listed).</param>
    /// <param name="setting">The setting that ended the call, to raise if the service is slow: <c>Timeout</c> or <c>AttemptTimeout</c>.</param>
    public static string Create(string serviceName, HttpRequestMessage request, TimeSpan elapsed, string cause, ApiClientOptions? options, string setting)
    {
        var host = request.RequestUri is { IsAbsoluteUri: true } uri ? uri.Authority : options?.BaseAddress?.Authority ?? serviceName;
        var settings = options is null
            ? string.Empty
            : $" ({options.Name}.Timeout = {Seconds(options.Timeout)}; AttemptTimeout = {Seconds(options.AttemptTimeout)}; Retry.MaxRetries = {options.Retry.MaxRetries})";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{serviceName} {request.GetOperation()} ({Target(request)}) timed out after {elapsed.TotalSeconds:0.0} s: {cause}{settings}. Raise {setting} if the service is slow, or check that {host} answers.");
    }

    /// <summary>
    /// The attempts made when fewer than the retries allow (1 + <c>Retry.MaxRetries</c>), and why no more were made, e.g.
    /// <c>2 of 4 attempts made: the next retry did not fit in what was left of Timeout</c> after an attempt's timeout, or
    /// <c>1 of 4 attempts made: the remaining retries did not fit in it</c> after the call's; null when all were made.
    /// </summary>
    /// <param name="request">The request that timed out.</param>
    /// <param name="attempts">The attempts sent.</param>
    /// <param name="options">The options that bounded the call.</param>
    /// <param name="attemptTimedOut">Whether the last attempt's own timeout ended the call (else the call's Timeout did).</param>
    public static string? AttemptsNotMade(HttpRequestMessage request, int attempts, ApiClientOptions options, bool attemptTimedOut)
    {
        var allowed = 1 + options.Retry.MaxRetries;
        if (attempts < 1 || attempts >= allowed)
        {
            return null;
        }

        // The retry rules decline a timed-out attempt for these two reasons only (ApiResilience).
        var why = !attemptTimedOut ? ": the remaining retries did not fit in it"
            : request.IsNonIdempotent() ? ": a request that is not idempotent is not retried after a timeout, as it may have been processed"
            : options.Timeout != Timeout.InfiniteTimeSpan ? ": the next retry did not fit in what was left of Timeout"
            : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{attempts} of {allowed} attempts made{why}");
    }

    /// <summary>A duration as messages show a setting: <c>100 s</c>, <c>0.25 s</c>, or <c>infinite</c>.</summary>
    public static string Seconds(TimeSpan value) =>
        value == Timeout.InfiniteTimeSpan ? "infinite" : string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds:0.###} s");

    /// <summary>The method and the address without its query, e.g. <c>POST https://api.symtrain.com/v2/report/users</c>.</summary>
    private static string Target(HttpRequestMessage request) =>
        request.RequestUri is { IsAbsoluteUri: true } uri
            ? $"{request.Method} {uri.Scheme}://{uri.Authority}{uri.AbsolutePath}" // Authority leaves out any user:password@
            : $"{request.Method} {request.GetSafePath()}";
}
