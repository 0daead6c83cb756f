namespace TrainingApis.Core;

/// <summary>One problem a server named in an error response.</summary>
/// <param name="Field">The field or row the problem is about, when the server said.</param>
/// <param name="Message">What is wrong.</param>
public sealed record ApiFieldError(string? Field, string Message)
{
    /// <summary>Returns <c>field: message</c>, or the message alone.</summary>
    public override string ToString() => Field is null ? Message : $"{Field}: {Message}";
}
