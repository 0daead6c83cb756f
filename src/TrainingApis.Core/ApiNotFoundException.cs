namespace TrainingApis.Core;

/// <summary>The server answered 404: the organization, user, simulation, task or path does not exist.</summary>
public class ApiNotFoundException : ApiException
{
    /// <summary>Creates an exception with a message.</summary>
    public ApiNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    public ApiNotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception from the details of a failed call.</summary>
    public ApiNotFoundException(string message, ApiErrorDetails details, Exception? innerException = null)
        : base(message, details, innerException)
    {
    }
}
