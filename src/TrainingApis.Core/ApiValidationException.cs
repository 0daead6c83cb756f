namespace TrainingApis.Core;

/// <summary>
/// The server rejected the request as invalid (400 or 422), or answered that an operation did not succeed.
/// <see cref="Errors"/> lists the problems it named.
/// </summary>
public class ApiValidationException : ApiException
{
    /// <summary>Creates an exception with a message.</summary>
    public ApiValidationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    public ApiValidationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception from the details of a failed call and the problems the server named.</summary>
    public ApiValidationException(string message, ApiErrorDetails details, IReadOnlyList<ApiFieldError>? errors = null, Exception? innerException = null)
        : base(message, details, innerException)
    {
        Errors = errors ?? [];
    }

    /// <summary>The problems the server named, each with its field when it gave one. Empty when it named none.</summary>
    public IReadOnlyList<ApiFieldError> Errors { get; } = [];
}
