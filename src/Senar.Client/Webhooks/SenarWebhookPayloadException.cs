namespace Senar.Client.Webhooks;

/// <summary>
/// A webhook delivery is not a Senar payload: not JSON, not an object or an array of objects, a mix of users and
/// activities, objects that are neither, or fields of the wrong type. The message says which; answer such a delivery
/// with 400.
/// </summary>
public sealed class SenarWebhookPayloadException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public SenarWebhookPayloadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public SenarWebhookPayloadException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
