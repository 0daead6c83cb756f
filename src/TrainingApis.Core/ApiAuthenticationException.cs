namespace TrainingApis.Core;

/// <summary>
/// The server refused the credentials (401) or the permission (403), or a login failed. Check the API key, the
/// username and password, or the rights of the account.
/// </summary>
public class ApiAuthenticationException : ApiException
{
    /// <summary>Creates an exception with a message.</summary>
    public ApiAuthenticationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    public ApiAuthenticationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception from the details of a failed call.</summary>
    public ApiAuthenticationException(string message, ApiErrorDetails details, Exception? innerException = null)
        : base(message, details, innerException)
    {
    }
}
