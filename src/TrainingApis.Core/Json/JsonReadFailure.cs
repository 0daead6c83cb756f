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
    private const int MaxPathChars = 200;

    private const string ConvertedTo = "The JSON value could not be converted to ";

    private static readonly Dictionary<string, string> Articles = new() { ["Null"] = "null", ["String"] = "a string", ["Number"] = "a number",
        ["True"] = "a boolean", ["False"] = "a boolean", ["StartObject"] = "an object", ["StartArray"] = "an array" };

    /// <summary>Describes <paramref name="cause"/>, an exception thrown while reading a JSON body, in one phrase.</summary>
    /// <param name="cause">What the serializer, a converter or a list reader threw.</param>
    /// <returns>A phrase without a final period, the row (from 1) first when known: from a row reader, or a path's list index (<c>$[3]</c> is row 4).</returns>
    public static string Describe(Exception cause)
    {
        ArgumentNullException.ThrowIfNull(cause);
        var fullPath = (cause as JsonException)?.Path is { Length: > 0 } p ? p : null; // A row's own path ($.name) after a row reader.
        var path = Bounded(fullPath);
        var (row, problem) = cause is JsonRowException rowException ? (rowException.RowNumber, rowException.InnerException!)
            : (JsonRowException.TrySplitListPath(fullPath, out var index, out _) ? index + 1 : (long?)null, cause);
        var text = problem is not JsonException json ? $"{problem.GetType().Name}: {WithoutPosition(problem.Message)}"
            : json.GetType() != typeof(JsonException) || json.InnerException is JsonException || (path is null && json.LineNumber is not null)
                // The reader's own exception, the serializer's copy of it with a path, or a position without a path: bad
                // syntax. The reader's words are left out: they quote bytes of the body, which may hold a secret.
                ? $"invalid JSON{(json.LineNumber is { } line ? $" at line {line + 1}, byte {json.BytePositionInLine + 1}" : null)}{(path is null or "$" ? null : $" (in {path})")}"
            : json.InnerException is InvalidOperationException or FormatException or OverflowException
                || json.Message.StartsWith("The JSON value could not be converted to ", StringComparison.Ordinal)
                ? $"a type mismatch at {path ?? "$"}: {Mismatch(json, path)}"
            : path is null ? WithoutPosition(json.Message) : $"an invalid value at {path}: {WithoutPosition(json.Message)}";
        return row is { } number ? $"row {number}: {text}" : text;
    }

    /// <summary>
    /// The start of <paramref name="body"/> when it tells why the body is not UTF-8 JSON: a second byte order mark, or a
    /// UTF-16 or UTF-32 one (checked after a UTF-8 byte order mark and white space); null otherwise.
    /// </summary>
    /// <returns>A phrase such as <c>is UTF-16 text (byte order mark FF FE), not UTF-8</c>.</returns>
    public static string? DescribeStart(ReadOnlySpan<byte> body)
    {
        var rest = body.StartsWith(Utf8Bom) ? body[Utf8Bom.Length..] : body;
        rest = rest.TrimStart(" \t\r\n"u8);
        return rest switch
        {
            [0xEF, 0xBB, 0xBF, ..] => "starts with two byte order marks (EF BB BF; the second is not JSON)",
            [0xFF, 0xFE, 0, 0, ..] => "is UTF-32 text (byte order mark FF FE 00 00), not UTF-8",
            [0, 0, 0xFE, 0xFF, ..] => "is UTF-32 text (byte order mark 00 00 FE FF), not UTF-8",
            [0xFF, 0xFE, ..] => "is UTF-16 text (byte order mark FF FE), not UTF-8",
            [0xFE, 0xFF, ..] => "is UTF-16 text (byte order mark FE FF), not UTF-8",
            _ => null,
        };
    }

    /// <summary>
    /// The JSON of a whole body held in memory: what follows a UTF-8 byte order mark (which an in-place parse would call
    /// invalid JSON), or an empty span when nothing but white space is left.
    /// </summary>
    /// <exception cref="JsonException">The start of the body shows why it is not UTF-8 JSON (<see cref="DescribeStart"/>): said so, not as "invalid JSON at line 1, byte 1".</exception>
    public static ReadOnlySpan<byte> JsonOf(ReadOnlySpan<byte> body)
    {
        if (DescribeStart(body) is { } start)
        {
            throw new JsonException($"The response {start}.");
        }

        var json = body.StartsWith(Utf8Bom) ? body[Utf8Bom.Length..] : body;
        return json.TrimStart(" \t\r\n"u8).IsEmpty ? [] : json;
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

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    // A path names the body's property names: one of a hostile length must not make the message a body dump.
    private static string? Bounded(string? path) => path is { Length: > MaxPathChars } ? string.Concat(path.AsSpan(0, MaxPathChars), "…") : path;

    // The reader's own words say what was wanted and found, "Cannot get the value of a token type 'Null' as a number."
    // (the serializer's "could not be converted to X" may name the enclosing type instead of the property's).
    // For the value at the root or a list's row, where the type it names is that value's, the type is said as a reader
    // would ("expected a JSON array (list of SenarUser)"), not as .NET spells it.
    private static string Mismatch(JsonException json, string? path) => json.InnerException?.Message.Split('\'') is [var head, var found, var rest]
        && head.EndsWith("token type ", StringComparison.Ordinal) && rest.StartsWith(" as ", StringComparison.Ordinal)
        ? $"expected {rest[4..].TrimEnd('.')}, found {Articles.GetValueOrDefault(found, found)}"
        : json.InnerException is null && (path is null or "$" || (JsonRowException.TrySplitListPath(path, out _, out var rowPath) && rowPath == "$"))
            && WithoutPosition(json.Message) is var message && message.StartsWith(ConvertedTo, StringComparison.Ordinal)
            && ClrName(message[ConvertedTo.Length..].TrimEnd('.')) is var name
            ? $"expected a JSON {(name.StartsWith("list of ", StringComparison.Ordinal) ? "array" : "object")} ({name})"
            : WithoutPosition(json.InnerException?.Message ?? json.Message);

    // System.Collections.Generic.List`1[Senar.Client.Users.SenarUser] -> list of SenarUser; A.B.C -> C.
    private static string ClrName(string name)
    {
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        if (name.Length == 0 || tick == 0)
        {
            return name;
        }

        var outer = name[(name.LastIndexOf('.', tick < 0 ? name.Length - 1 : tick) + 1)..(tick < 0 ? name.Length : tick)];
        var open = name.IndexOf('[', StringComparison.Ordinal);
        if (tick < 0 || open < 0 || !name.EndsWith(']') || name.Contains(',', StringComparison.Ordinal))
        {
            return outer;
        }

        var argument = ClrName(name[(open + 1)..^1]);
        return outer is "List" or "IReadOnlyList" or "IList" or "IEnumerable" or "ICollection" or "IReadOnlyCollection" ? $"list of {argument}"
            : outer == "Nullable" ? argument : $"{outer}<{argument}>";
    }

    // The serializer appends " Path: $.x | LineNumber: 0 | BytePositionInLine: 5." and the reader " LineNumber: …": the
    // description says the position once, its own way.
    private static string WithoutPosition(string message) => message.Split([" Path: ", " LineNumber: "], 2, StringSplitOptions.None)[0].TrimEnd();
}
