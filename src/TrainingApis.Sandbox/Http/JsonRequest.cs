using System.Globalization;
using System.Text.Json;

namespace TrainingApis.Sandbox.Http;

/// <summary>
/// A request's JSON body, read without reflection. Accessors collect every problem into <see cref="Problems"/> with the
/// field it concerns, so one 400 names them all. Property names match case-insensitively (an exact match wins).
/// </summary>
internal sealed class JsonRequest : IDisposable
{
    private const int MaxBodyBytes = 1024 * 1024;
    private readonly JsonDocument? _document;

    private JsonRequest(JsonDocument? document)
    {
        _document = document;
    }

    public List<(string Field, string Message)> Problems { get; } = [];

    public bool HasProblems => Problems.Count > 0;

    public JsonElement Root => _document?.RootElement ?? default;

    /// <summary>True when the body was empty (treated as an object with no properties).</summary>
    public bool IsEmpty => _document is null;

    /// <summary>Reads the body; a null request, with the error, when it is not a JSON object.</summary>
    public static async Task<(JsonRequest? Request, string? Error)> ReadAsync(HttpContext context)
    {
        var tooLarge = $"The request body is larger than {MaxBodyBytes} bytes.";
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return (null, tooLarge);
        }

        // Read at most one byte past the limit, rather than buffering up to Kestrel's 30 MB before refusing.
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes)
            {
                return (null, tooLarge);
            }
        }

        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);

        // A UTF-8 byte order mark before the JSON (Windows PowerShell 5.1 and some .NET writers send one) is read past,
        // as the clients read past one in answers.
        if (bytes.Span.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        if (bytes.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return (new JsonRequest(null), null);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes); // Keeps a reference to the buffer; no copy.
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : string.Empty;
            return (null, $"The request body is not valid JSON{where}.");
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            return (null, "The request body must be a JSON object.");
        }

        return (new JsonRequest(document), null);
    }

    public void AddProblem(string field, string message) => Problems.Add((field, message));

    public bool TryGet(string name, out JsonElement value)
    {
        value = default;
        if (_document is null)
        {
            return false;
        }

        var found = false;
        foreach (var property in _document.RootElement.EnumerateObject())
        {
            if (property.NameEquals(name))
            {
                value = property.Value;
                return value.ValueKind != JsonValueKind.Null;
            }

            if (!found && string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                found = true;
            }
        }

        return found && value.ValueKind != JsonValueKind.Null;
    }

    public bool Has(string name) => TryGet(name, out _);

    /// <summary>A string value; blank counts as missing.</summary>
    public string? String(string name, bool required)
    {
        if (!TryGet(name, out var value))
        {
            if (required)
            {
                AddProblem(name, $"{name} is required.");
            }

            return null;
        }

        if (value.ValueKind == JsonValueKind.Number)
        {
            return value.GetRawText(); // An id sent as a number still names the thing.
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            AddProblem(name, $"{name} must be a string.");
            return null;
        }

        var text = value.GetString()!.Trim();
        if (text.Length == 0)
        {
            if (required)
            {
                AddProblem(name, $"{name} is required.");
            }

            return null;
        }

        return text;
    }

    public int? Int(string name, bool required, int min, int max)
    {
        if (!TryGet(name, out var value))
        {
            if (required)
            {
                AddProblem(name, $"{name} is required.");
            }

            return null;
        }

        long number;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n))
        {
            number = n;
        }
        else if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
        {
            number = parsed;
        }
        else
        {
            AddProblem(name, $"{name} must be an integer.");
            return null;
        }

        if (number < min || number > max)
        {
            AddProblem(name, max == int.MaxValue && number < min ? $"{name} must be at least {min}." : $"{name} must be between {min} and {max}.");
            return null;
        }

        return (int)number;
    }

    public bool? Bool(string name, bool required)
    {
        if (!TryGet(name, out var value))
        {
            if (required)
            {
                AddProblem(name, $"{name} is required.");
            }

            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        AddProblem(name, $"{name} must be true or false.");
        return null;
    }

    public IReadOnlyList<string>? StringArray(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            AddProblem(name, $"{name} must be an array of strings.");
            return null;
        }

        var items = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                AddProblem(name, $"{name} must be an array of strings.");
                return null;
            }

            var text = item.GetString()!.Trim();
            if (text.Length > 0)
            {
                items.Add(text);
            }
        }

        return items;
    }

    /// <summary>The earliest date a request may name: dates before it are typing mistakes, and day arithmetic near <see cref="DateOnly.MinValue"/> overflows.</summary>
    public static readonly DateOnly MinDate = new(1900, 1, 1);

    /// <summary>The latest date a request may name (<c>9999-12-31</c>, the largest date, is a placeholder for "no end", not a day of data).</summary>
    public static readonly DateOnly MaxDate = new(2999, 12, 31);

    /// <summary>A required <c>YYYY-MM-DD</c> date from <see cref="MinDate"/> to <see cref="MaxDate"/>.</summary>
    public DateOnly? Date(string name)
    {
        if (!TryGet(name, out var value))
        {
            AddProblem(name, $"{name} is required (format YYYY-MM-DD).");
            return null;
        }

        if (value.ValueKind == JsonValueKind.String
            && DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            if (date >= MinDate && date <= MaxDate)
            {
                return date;
            }

            AddProblem(name, $"{name} must be a date from {MinDate:yyyy-MM-dd} to {MaxDate:yyyy-MM-dd} (was {value.GetString()}).");
            return null;
        }

        AddProblem(name, $"{name} must be a date in the format YYYY-MM-DD.");
        return null;
    }

    public void Dispose() => _document?.Dispose();
}
