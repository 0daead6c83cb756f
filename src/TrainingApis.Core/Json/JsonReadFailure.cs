using System.Text.Json;

namespace TrainingApis.Core.Json;

/// <summary>
/// Says why a JSON response could not be read, for the "returned a response that is not …" messages: the kind of
/// problem (invalid JSON, a type mismatch, an invalid value), the JSON path, and the row of a list.
/// </summary>
/// <example>
/// <c>row 4: a type mismatch at $[3].totalPoints: expected a number, found an object</c>;
/// <c>invalid JSON at line 1, byte 17</c>.
/// </example>
internal static class JsonReadFailure
{
    private static readonly Dictionary<string, string> Articles = new() { ["Null"] = "null", ["String"] = "a string", ["Number"] = "a number",
        ["True"] = "a boolean", ["False"] = "a boolean", ["StartObject"] = "an object", ["StartArray"] = "an array" };

    /// <summary>Describes <paramref name="cause"/>, an exception thrown while reading a JSON body, in one phrase.</summary>
    /// <param name="cause">What the serializer, a converter or a list reader threw.</param>
    /// <returns>A phrase without a final period, the row (from 1) first when known: from a row reader, or a path's list index (<c>$[3]</c> is row 4).</returns>
    public static string Describe(Exception cause)
    {
        ArgumentNullException.ThrowIfNull(cause);
        var path = (cause as JsonException)?.Path is { Length: > 0 } p ? p : null; // A row's own path ($.name) after a row reader.
        var (row, problem) = cause is JsonRowException rowException ? (rowException.RowNumber, rowException.InnerException!)
            : (JsonRowException.TrySplitListPath(path, out var index, out _) ? index + 1 : (long?)null, cause);
        var text = problem is not JsonException json ? $"{problem.GetType().Name}: {WithoutPosition(problem.Message)}"
            : json.GetType() != typeof(JsonException) || json.InnerException is JsonException || (path is null && json.LineNumber is not null)
                // The reader's own exception, the serializer's copy of it with a path, or a position without a path: bad
                // syntax. The reader's words are left out: they quote bytes of the body, which may hold a secret.
                ? $"invalid JSON{(json.LineNumber is { } line ? $" at line {line + 1}, byte {json.BytePositionInLine + 1}" : null)}{(path is null or "$" ? null : $" (in {path})")}"
            : json.InnerException is InvalidOperationException or FormatException or OverflowException
                || json.Message.StartsWith("The JSON value could not be converted to ", StringComparison.Ordinal)
                ? $"a type mismatch at {path ?? "$"}: {Mismatch(json)}"
            : path is null ? WithoutPosition(json.Message) : $"an invalid value at {path}: {WithoutPosition(json.Message)}";
        return row is { } number ? $"row {number}: {text}" : text;
    }

    /// <summary>A type's name as a reader would say it: <c>SenarActivity</c>, <c>list of SenarActivity</c>, <c>Int32</c>.</summary>
    public static string Name(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        type = Nullable.GetUnderlyingType(type) ?? type;
        Type[] arguments = type.IsArray ? [type.GetElementType()!] : type.IsGenericType ? type.GetGenericArguments() : [];
        var name = type.IsGenericType ? type.Name.Split('`')[0] : type.Name;
        return type.IsArray || (arguments.Length == 1 && name is "List" or "IReadOnlyList" or "IList" or "IEnumerable" or "ICollection" or "IReadOnlyCollection")
            ? $"list of {Name(arguments[0])}"
            : arguments.Length > 0 ? $"{name}<{string.Join(", ", arguments.Select(Name))}>" : name;
    }

    // The reader's own words say what was wanted and found, "Cannot get the value of a token type 'Null' as a number."
    // (the serializer's "could not be converted to X" may name the enclosing type instead of the property's).
    private static string Mismatch(JsonException json) => json.InnerException?.Message.Split('\'') is [var head, var found, var rest]
        && head.EndsWith("token type ", StringComparison.Ordinal) && rest.StartsWith(" as ", StringComparison.Ordinal)
        ? $"expected {rest[4..].TrimEnd('.')}, found {Articles.GetValueOrDefault(found, found)}"
        : WithoutPosition(json.InnerException?.Message ?? json.Message);

    // The serializer appends " Path: $.x | LineNumber: 0 | BytePositionInLine: 5." and the reader " LineNumber: …": the
    // description says the position once, its own way.
    private static string WithoutPosition(string message) => message.Split([" Path: ", " LineNumber: "], 2, StringSplitOptions.None)[0].TrimEnd();
}
