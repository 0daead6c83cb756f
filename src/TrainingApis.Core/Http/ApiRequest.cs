using System.Diagnostics;

namespace TrainingApis.Core.Http;

/// <summary>Per-request markers the pipeline reads from <see cref="HttpRequestMessage.Options"/>.</summary>
internal static class ApiRequest
{
    /// <summary>Set on requests whose effect must not happen twice (an upload, a registration).</summary>
    public static readonly HttpRequestOptionsKey<bool> NonIdempotentKey = new("TrainingApis.NonIdempotent");

    /// <summary>Set on requests whose response body is streamed by the caller instead of buffered.</summary>
    public static readonly HttpRequestOptionsKey<bool> StreamingKey = new("TrainingApis.Streaming");

    /// <summary>Set on a request whose answer carries a new secret (a login's token): see <see cref="MarkSecretAnswer"/>.</summary>
    public static readonly HttpRequestOptionsKey<bool> SecretAnswerKey = new("TrainingApis.SecretAnswer");

    /// <summary>The public operation a request belongs to, for logs, traces and metrics.</summary>
    public static readonly HttpRequestOptionsKey<string> OperationKey = new("TrainingApis.Operation");

    /// <summary>
    /// The span of the multi-request operation a request belongs to (possibly null when that span is not recorded): the
    /// request's own span becomes its child.
    /// </summary>
    public static readonly HttpRequestOptionsKey<Activity?> OperationSpanKey = new("TrainingApis.OperationSpan");

    /// <summary>
    /// Marks the request as one of the requests of a multi-request operation (a page of a listing, a poll) whose span is
    /// <paramref name="operationSpan"/> (from <see cref="Diagnostics.ApiDiagnostics.StartOperation"/>; null when it is not
    /// recorded): the request's span becomes a child of the operation's span instead of standing for the operation.
    /// </summary>
    public static HttpRequestMessage WithOperationSpan(this HttpRequestMessage request, Activity? operationSpan)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Options.Set(OperationSpanKey, operationSpan);
        return request;
    }

    /// <summary>Whether the request was marked with <see cref="WithOperationSpan"/>, and the operation's span.</summary>
    public static bool TryGetOperationSpan(this HttpRequestMessage request, out Activity? operationSpan)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Options.TryGetValue(OperationSpanKey, out operationSpan);
    }

    /// <summary>Values of this request's body that are secret (a password it carries), masked in any error it gets back.</summary>
    public static readonly HttpRequestOptionsKey<IReadOnlyList<string?>> SecretsKey = new("TrainingApis.Secrets");

    /// <summary>
    /// Adds <paramref name="secrets"/> (a password the request's body carries) to the values masked wherever they
    /// appear in an error answered to this request, besides the client's own key, password and token.
    /// </summary>
    public static HttpRequestMessage WithSecrets(this HttpRequestMessage request, params string?[] secrets)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(secrets);
        request.Options.Set(SecretsKey, [.. request.GetSecrets(), .. secrets]);
        return request;
    }

    /// <summary>The values added with <see cref="WithSecrets"/>; empty when none.</summary>
    public static IReadOnlyList<string?> GetSecrets(this HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Options.TryGetValue(SecretsKey, out var secrets) && secrets is not null ? secrets : [];
    }

    /// <summary>
    /// Marks the request as not idempotent: it is retried only when it provably was not processed (a 429, a refused
    /// connection), never after a timeout, a reset or a 5xx.
    /// </summary>
    public static HttpRequestMessage MarkNonIdempotent(this HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Options(request)[NonIdempotentKey.Key] = BoxedTrue;
        return request;
    }

    /// <summary>Marks the response of the request as streamed: the pipeline hands it over unread.</summary>
    public static HttpRequestMessage MarkStreaming(this HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Options(request)[StreamingKey.Key] = BoxedTrue;
        return request;
    }

    /// <summary>
    /// Marks the request as one whose answer carries a new secret (a login's token) that no mask knows yet: the free-text
    /// values of its response headers (request ids, <c>Server</c>), where a server may echo it, are never logged.
    /// </summary>
    public static HttpRequestMessage MarkSecretAnswer(this HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Options(request)[SecretAnswerKey.Key] = BoxedTrue;
        return request;
    }

    /// <summary>Whether the request was marked with <see cref="MarkSecretAnswer"/>.</summary>
    public static bool HasSecretAnswer(this HttpRequestMessage request) =>
        request is not null && request.Options.TryGetValue(SecretAnswerKey, out var value) && value;

    /// <summary>Names the public operation the request belongs to (e.g. <c>Reports.GetUsers</c>).</summary>
    public static HttpRequestMessage WithOperation(this HttpRequestMessage request, string operation)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Options.Set(OperationKey, operation);
        return request;
    }

    private static readonly object BoxedTrue = true;

    // The options as a dictionary, to store a shared boxed value instead of boxing on every request.
    internal static IDictionary<string, object?> Options(HttpRequestMessage request) => request.Options;

    /// <summary>Whether the request was marked with <see cref="MarkNonIdempotent"/>.</summary>
    public static bool IsNonIdempotent(this HttpRequestMessage request) =>
        request is not null && request.Options.TryGetValue(NonIdempotentKey, out var value) && value;

    /// <summary>Whether the request was marked with <see cref="MarkStreaming"/>.</summary>
    public static bool IsStreaming(this HttpRequestMessage request) =>
        request is not null && (ApiRequestState.Find(request) is { Streaming: true } || (request.Options.TryGetValue(StreamingKey, out var value) && value));

    /// <summary>The operation name set with <see cref="WithOperation"/>, or the request path.</summary>
    public static string GetOperation(this HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Options.TryGetValue(OperationKey, out var value) && value is not null
            ? value
            : request.RequestUri?.IsAbsoluteUri == true ? request.RequestUri.AbsolutePath : request.RequestUri?.OriginalString ?? "unknown";
    }

    /// <summary>The request path without query, safe to log.</summary>
    public static string GetSafePath(this HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.RequestUri;
        if (uri is null)
        {
            return string.Empty;
        }

        return uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString.Split('?', 2)[0];
    }
}
