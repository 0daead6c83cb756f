using System.Net;

namespace TrainingApis.Core;

/// <summary>
/// The base of every error a TrainingApis client raises for a failed call: an error status from the server, a response
/// that could not be read, or a transport failure. Carries what is needed to act on it; never a secret.
/// </summary>
public class ApiException : Exception
{
    /// <summary>Creates an exception with a message.</summary>
    public ApiException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    public ApiException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception from the details of a failed call.</summary>
    public ApiException(string message, ApiErrorDetails details, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(details);
        StatusCode = details.StatusCode;
        ErrorCode = details.ErrorCode;
        RequestId = details.RequestId;
        ResponseBody = details.ResponseBody;
        Method = details.Method;
        RequestUri = details.RequestUri;
        IsTransient = details.IsTransient;
    }

    /// <summary>The HTTP status of the response, or <see langword="null"/> when no response was received.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The error code the server gave in its body, when it gave one.</summary>
    public string? ErrorCode { get; }

    /// <summary>The request id from the response headers (<c>x-request-id</c> and the like), for support tickets.</summary>
    public string? RequestId { get; }

    /// <summary>The raw response body, truncated to a few kilobytes, with known secrets masked.</summary>
    public string? ResponseBody { get; }

    /// <summary>The HTTP method of the failed request.</summary>
    public string? Method { get; }

    /// <summary>The address of the failed request, without its query string (which may carry tokens).</summary>
    public Uri? RequestUri { get; }

    /// <summary>
    /// <see langword="true"/> when trying again later may succeed (408, 429, 5xx, network failures). The client has already
    /// retried within its budget when this is raised. <see langword="false"/> for a non-idempotent request (an upload)
    /// whose outcome is unknown: a 5xx answer, or a transport failure after the connection was made.
    /// </summary>
    public bool IsTransient { get; }
}
