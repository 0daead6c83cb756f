using TrainingApis.Core;

namespace Senar.Client.Users;

/// <summary>
/// A <see cref="UserAssignment"/> breaks Senar's rules; thrown before anything is sent. <see cref="Errors"/> names
/// every failing field (by its property name) at once. Never contains the password.
/// </summary>
public sealed class UserAssignmentValidationException : ArgumentException
{
    /// <summary>Creates the exception for the problems in <paramref name="errors"/>.</summary>
    /// <param name="errors">Each failing field and what is wrong with it.</param>
    /// <param name="paramName">The argument that holds the assignment.</param>
    public UserAssignmentValidationException(IReadOnlyList<ApiFieldError> errors, string? paramName = "request")
        : base(BuildMessage(errors), paramName)
    {
        Errors = errors;
    }

    /// <summary>Every problem found, each naming its field (<c>Email</c>, <c>Password</c>, <c>CollectionId</c>, …).</summary>
    public IReadOnlyList<ApiFieldError> Errors { get; }

    private static string BuildMessage(IReadOnlyList<ApiFieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return $"The user assignment is invalid ({errors.Count} problem{(errors.Count == 1 ? string.Empty : "s")}): {string.Join("; ", errors)}.";
    }
}
