using System.Runtime.CompilerServices;
using TrainingApis.Core;

namespace Symtrain.Client.Internal;

/// <summary>Argument checks made before any I/O, naming the argument.</summary>
internal static class Guard
{
    /// <summary>Throws when <paramref name="value"/> is null, blank, or holds a control character, U+FFFD, U+FEFF or a lone surrogate.</summary>
    public static void Id([System.Diagnostics.CodeAnalysis.NotNull] string? value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        if (IdProblem(value) is { } problem)
        {
            throw new ArgumentException($"{paramName} {problem}", paramName);
        }
    }

    /// <summary>
    /// What is wrong with an identifier (a phrase completing its name), or null when it is acceptable: null, blank, or
    /// damaged text (<see cref="TextRules.DamagedTextProblem"/>).
    /// </summary>
    public static string? IdProblem(string? value)
    {
        if (value is null)
        {
            return "is required.";
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            return "must not be empty or whitespace.";
        }

        // U+FFFD, U+FEFF (the first cell of a file saved with a byte order mark) and lone surrogates are in no id either.
        return HasControlCharacter(value) ? "must not contain line breaks (CR, LF) or other control characters." : TextRules.DamagedTextProblem(value);
    }

    /// <summary>Whether <paramref name="value"/> contains a control character (CR, LF, tab, NUL and the like).</summary>
    public static bool HasControlCharacter(string value)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Throws one <see cref="ArgumentException"/> listing every problem, when there are any.</summary>
    public static void ThrowIfAny(List<string> problems, string paramName)
    {
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), paramName);
        }
    }
}
