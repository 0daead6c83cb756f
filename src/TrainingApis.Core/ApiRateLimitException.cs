namespace TrainingApis.Core;

/// <summary>
/// Too many requests: the server answered 429, or the client's own quota queue was full. <see cref="RetryAfter"/> says
/// how long to wait before trying again, when it is known.
/// </summary>
public class ApiRateLimitException : ApiException
{
    /// <summary>Creates an exception with a message, raised by the client's own quota; the wait is not known.</summary>
    public ApiRateLimitException(string message)
        : this(message, retryAfter: null)
    {
    }

    /// <summary>Creates an exception with a message and the wait, raised by the client's own quota.</summary>
    public ApiRateLimitException(string message, TimeSpan? retryAfter)
        : base(message)
    {
        RetryAfter = retryAfter;
        IsLocal = true;
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    public ApiRateLimitException(string message, Exception? innerException)
        : base(message, innerException)
    {
        IsLocal = true;
    }

    /// <summary>Creates an exception from a 429 response.</summary>
    public ApiRateLimitException(string message, ApiErrorDetails details, TimeSpan? retryAfter, Exception? innerException = null)
        : base(message, details, innerException)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>How long to wait before the next request, from the server's <c>Retry-After</c> or the client's quota.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary><see langword="true"/> when the client's own quota refused the request before it was sent.</summary>
    public bool IsLocal { get; }
}
