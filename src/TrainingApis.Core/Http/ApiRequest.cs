namespace TrainingApis.Core.Http;

/// <summary>Per-request markers the pipeline reads from <see cref="HttpRequestMessage.Options"/>.</summary>
public static class ApiRequest
{
    /// <summary>Set on requests whose effect must not happen twice (an upload, a registration).</summary>
    public static readonly HttpRequestOptionsKey<bool> NonIdempotentKey = new("TrainingApis.NonIdempotent");

    /// <summary>Set on requests whose response body is streamed by the caller instead of buffered.</summary>
    public static readonly HttpRequestOptionsKey<bool> StreamingKey = new("TrainingApis.Streaming");

    /// <summary>The public operation a request belongs to, for logs, traces and metrics.</summary>
    public static readonly HttpRequestOptionsKey<string> OperationKey = new("TrainingApis.Operation");

    /// <summary>
    /// Marks the request as not idempotent: it is retried only when it provably was not processed (a 429, a refused
    /// connection), never after a timeout, a reset or a 5xx.
    /// </summary>
    public static HttpRequestMessage MarkNonIdempotent(this HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Options.Set(NonIdempotentKey, true);
        return request;
    }

    /// <summary>Marks the response of the request as streamed: the pipeline hands it over unread.</summary>
    public static HttpRequestMessage MarkStreaming(this HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Options.Set(StreamingKey, true);
        return request;
    }

    /// <summary>Names the public operation the request belongs to (e.g. <c>Reports.GetUsers</c>).</summary>
    public static HttpRequestMessage WithOperation(this HttpRequestMessage request, string operation)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Options.Set(OperationKey, operation);
        return request;
    }

    /// <summary>Whether the request was marked with <see cref="MarkNonIdempotent"/>.</summary>
    public static bool IsNonIdempotent(this HttpRequestMessage request) =>
        request is not null && request.Options.TryGetValue(NonIdempotentKey, out var value) && value;

    /// <summary>Whether the request was marked with <see cref="MarkStreaming"/>.</summary>
    public static bool IsStreaming(this HttpRequestMessage request) =>
        request is not null && request.Options.TryGetValue(StreamingKey, out var value) && value;

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
