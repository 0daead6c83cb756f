using TrainingApis.Core;

namespace Senar.Client.Users;

/// <summary>Senar's documented rules for <c>user_assign</c>, checked locally so a bad request never leaves the process.</summary>
internal static class UserAssignmentValidator
{
    public const int MinPasswordLength = 6;

    public static IReadOnlyList<ApiFieldError> Validate(UserAssignment request)
    {
        var errors = new List<ApiFieldError>();
        if (string.IsNullOrWhiteSpace(request.Email))
        {
            errors.Add(new(nameof(UserAssignment.Email), "is required."));
        }
        else if (!IsEmailShaped(request.Email))
        {
            errors.Add(new(nameof(UserAssignment.Email), "must be an email address such as name@example.com."));
        }
        else if (TextRules.DamagedTextProblem(request.Email) is { } emailProblem)
        {
            errors.Add(new(nameof(UserAssignment.Email), emailProblem));
        }

        Required(request.FirstName, nameof(UserAssignment.FirstName), errors);
        Required(request.LastName, nameof(UserAssignment.LastName), errors);
        if (GetPasswordProblem(request.Password) is { } passwordProblem)
        {
            errors.Add(new(nameof(UserAssignment.Password), passwordProblem));
        }

        Required(request.Organization, nameof(UserAssignment.Organization), errors);
        if (request.CollectionId <= 0)
        {
            errors.Add(new(nameof(UserAssignment.CollectionId), $"must be a positive collection id (was {request.CollectionId})."));
        }

        return errors;
    }

    /// <summary>What is wrong with a password under Senar's rule (never quoting it), or null.</summary>
    public static string? GetPasswordProblem(string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return "is required.";
        }

        var problems = new List<string>(3);
        if (password.Length < MinPasswordLength)
        {
            problems.Add($"at least {MinPasswordLength} characters (it has {password.Length})");
        }

        if (!password.Any(char.IsLetter))
        {
            problems.Add("letters");
        }

        if (!password.Any(char.IsAsciiDigit))
        {
            problems.Add("at least one digit (0-9)");
        }

        return problems.Count == 0 ? null : $"must have {string.Join(", ", problems)}.";
    }

    /// <summary>One <c>@</c>, a non-empty local part, a dotted domain, no spaces: the shape, not deliverability.</summary>
    public static bool IsEmailShaped(string email)
    {
        if (email.Length > 254 || email.Any(char.IsWhiteSpace) || email.Any(char.IsControl))
        {
            return false;
        }

        var at = email.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != email.LastIndexOf('@') || at == email.Length - 1)
        {
            return false;
        }

        var domain = email.AsSpan(at + 1);
        var dot = domain.IndexOf('.');
        return dot > 0 && domain[^1] != '.' && !domain.Contains("..", StringComparison.Ordinal) && !email.AsSpan(0, at).EndsWith(".");
    }

    private static void Required(string? value, string field, List<ApiFieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new(field, "is required."));
        }
        else if (TextRules.DamagedTextProblem(value) is { } problem)
        {
            errors.Add(new(field, problem));
        }
    }
}
