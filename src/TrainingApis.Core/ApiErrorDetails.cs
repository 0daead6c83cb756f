using System.Net;

namespace TrainingApis.Core;

/// <summary>The facts about a failed call from which an <see cref="ApiException"/> is built.</summary>
public sealed record ApiErrorDetails
{
    /// <summary>The HTTP status, or <see langword="null"/> when no response was received.</summary>
    public HttpStatusCode? StatusCode { get; init; }

    /// <summary>The error code from the body.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The request id from the response headers.</summary>
    public string? RequestId { get; init; }

    /// <summary>The raw body, truncated and with known secrets masked.</summary>
    public string? ResponseBody { get; init; }

    /// <summary>The HTTP method.</summary>
    public string? Method { get; init; }

    /// <summary>The request address without its query string.</summary>
    public Uri? RequestUri { get; init; }

    /// <summary>Whether a later attempt may succeed.</summary>
    public bool IsTransient { get; init; }
}
