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
    private const string ConvertedTo = "The JSON value could not be converted to ";
    private const string TokenType = "token type '";

    /// <summary>Describes <paramref name="cause"/>, an exception thrown while reading a JSON body, in one phrase.</summary>
    /// <param name="cause">What the serializer, a converter or a list reader threw.</param>
    /// <returns>
    /// A phrase without a final period; the row (from 1) comes first when known, from the list reader or from a path
    /// starting with an array index (<c>$[3]</c> is row 4).
    /// </returns>
    public static string Describe(Exception cause)
    {
        ArgumentNullException.ThrowIfNull(cause);
        long? row = null;
        var problem = cause;
        var path = (cause as JsonException)?.Path; // A row's own path ($.name), not the serializer's in the list ($[2].name).
        if (cause is JsonRowException rowException)
        {
            row = rowException.RowNumber;
            problem = rowException.InnerException ?? rowException;
        }

        string text;
        if (problem is JsonException json && problem is not JsonRowException)
        {
            if (row is null && TryGetListIndex(path, out var index))
            {
                row = index + 1;
            }

            text = Classify(json, path);
        }
        else
        {
            text = $"{problem.GetType().Name}: {WithoutPosition(problem.Message)}";
        }

        return row is { } number ? $"row {number}: {text}" : text;
    }

    /// <summary>A type's name as a reader would say it: <c>SenarActivity</c>, <c>list of SenarActivity</c>, <c>Int32</c>.</summary>
    public static string Name(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Name(underlying);
        }

        if (type.IsArray && type.GetElementType() is { } element)
        {
            return $"list of {Name(element)}";
        }

        if (type.IsGenericType)
        {
            var arguments = type.GetGenericArguments();
            var tick = type.Name.IndexOf('`', StringComparison.Ordinal);
            var name = tick < 0 ? type.Name : type.Name[..tick];
            return arguments.Length == 1 && name is "List" or "IReadOnlyList" or "IList" or "IEnumerable" or "ICollection" or "IReadOnlyCollection"
                ? $"list of {Name(arguments[0])}"
                : $"{name}<{string.Join(", ", arguments.Select(Name))}>";
        }

        return type.Name;
    }

    private static string Classify(JsonException json, string? path)
    {
        path = string.IsNullOrEmpty(path) ? null : path;

        // The reader's own exception (a subclass), the serializer's copy of it with the path added, or a position without
        // a path (a list reader's own check of the document): bad syntax.
        if (json.GetType() != typeof(JsonException) || json.InnerException is JsonException || (path is null && json.LineNumber is not null))
        {
            var at = json.LineNumber is { } line && json.BytePositionInLine is { } position ? $" at line {line + 1}, byte {position + 1}" : string.Empty;
            // The reader's own words are left out: they quote bytes of the body, which may hold a secret.
            var inPath = path is null or "$" ? string.Empty : $" (in {path})";
            return $"invalid JSON{at}{inPath}";
        }

        var message = WithoutPosition(json.Message);
        if (json.InnerException is InvalidOperationException or FormatException or OverflowException || message.StartsWith(ConvertedTo, StringComparison.Ordinal))
        {
            // The reader's own words say what was wanted and found: "Cannot get the value of a token type 'Null' as a number."
            // (the serializer's "could not be converted to X" may name the enclosing type instead of the property's).
            var inner = json.InnerException?.Message;
            var found = inner is null ? null : Between(inner, TokenType, "'");
            var expected = inner is null ? null : Between(inner, "' as ", ".");
            var detail = (found, expected) switch
            {
                ({ } f, { } e) => $"expected {e}, found {Article(f)}",
                _ => WithoutPosition(inner ?? message),
            };
            return $"a type mismatch at {path ?? "$"}: {detail}";
        }

        return path is null ? message : $"an invalid value at {path}: {message}";
    }

    // "$[3].totalPoints" is in the list's element 3.
    private static bool TryGetListIndex(string? path, out long index)
    {
        index = 0;
        if (path is null || !path.StartsWith("$[", StringComparison.Ordinal))
        {
            return false;
        }

        var end = path.IndexOf(']', StringComparison.Ordinal);
        return end > 2 && long.TryParse(path.AsSpan(2, end - 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out index);
    }

    // The serializer appends " Path: $.x | LineNumber: 0 | BytePositionInLine: 5." and the reader " LineNumber: …": the
    // description says the position once, its own way.
    private static string WithoutPosition(string message)
    {
        foreach (var marker in (ReadOnlySpan<string>)[" Path: ", " LineNumber: "])
        {
            var at = message.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                message = message[..at];
            }
        }

        return message.TrimEnd();
    }

    private static string? Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        if (from < 0)
        {
            return null;
        }

        from += start.Length;
        var to = text.IndexOf(end, from, StringComparison.Ordinal);
        return to > from ? text[from..to] : null;
    }

    private static string Article(string token) => token switch
    {
        "Null" => "null",
        "String" => "a string",
        "Number" => "a number",
        "True" or "False" => "a boolean",
        "StartObject" => "an object",
        "StartArray" => "an array",
        _ => token,
    };
}
