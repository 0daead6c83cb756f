using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Symtrain.Client.Internal;
using TrainingApis.Core.Json;

namespace Symtrain.Client.Reports;

/// <summary>
/// One row of a report, kept as the JSON object the server sent, so every field is available whatever the report
/// (the vendor has not published the fields; see <c>docs/wire-format.md</c>). Read fields with the typed getters:
/// <c>Get…</c> returns <see langword="null"/> for a missing or null field and throws <see cref="FormatException"/> for a
/// value of another type; <c>TryGet…</c> never throws. Names match exactly first, then ignoring case.
/// </summary>
[JsonConverter(typeof(ReportRowJsonConverter))]
public sealed class ReportRow
{
    private readonly JsonElement _json;

    /// <summary>Creates a row from a JSON object (which is cloned, so the row outlives its document).</summary>
    /// <exception cref="ArgumentException"><paramref name="json"/> is not a JSON object.</exception>
    public ReportRow(JsonElement json)
        : this(json, clone: true)
    {
    }

    internal ReportRow(JsonElement json, bool clone)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"A report row must be a JSON object, not {json.ValueKind}.", nameof(json));
        }

        _json = clone ? json.Clone() : json;
    }

    /// <summary>The row as a JSON object.</summary>
    public JsonElement Json => _json;

    /// <summary>The row's JSON text, exactly as received.</summary>
    public string RawJson => _json.GetRawText();

    /// <summary>The names of the row's fields, in the order the server sent them.</summary>
    public IReadOnlyList<string> FieldNames => [.. _json.EnumerateObject().Select(p => p.Name)];

    /// <summary>Creates a row from JSON text holding an object.</summary>
    /// <exception cref="JsonException"><paramref name="json"/> is not valid JSON.</exception>
    public static ReportRow Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json.AsMemory(json.StartsWith('\uFEFF') ? 1 : 0)); // Skips a byte order mark.
        return new ReportRow(document.RootElement);
    }

    /// <summary>Whether the row has a field named <paramref name="name"/> (whatever its value, null included).</summary>
    public bool Contains(string name) => TryGetValue(name, out _);

    /// <summary>Gets the raw JSON value of a field.</summary>
    public bool TryGetValue(string name, out JsonElement value)
    {
        ArgumentNullException.ThrowIfNull(name);
        return JsonShapes.TryGetProperty(_json, name, out value);
    }

    /// <summary>A field as text: a string as is, a number or boolean as its JSON text; null when missing or null.</summary>
    /// <exception cref="FormatException">The field is an object or an array.</exception>
    public string? GetString(string name) => Get<string>(name, TryReadString, "a string");

    /// <summary>Tries to read a field as text (see <see cref="GetString"/>).</summary>
    public bool TryGetString(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => TryGet(name, TryReadString, out value);

    /// <summary>A field as a 64-bit integer (a JSON number or a numeric string); null when missing or null.</summary>
    /// <exception cref="FormatException">The field is not an integer.</exception>
    public long? GetInt64(string name) => GetValue<long>(name, TryReadInt64, "an integer");

    /// <summary>Tries to read a field as a 64-bit integer.</summary>
    public bool TryGetInt64(string name, out long value) => TryGetValue(name, TryReadInt64, out value);

    /// <summary>A field as a double (a JSON number or a numeric string); null when missing or null.</summary>
    /// <exception cref="FormatException">The field is not a finite number (<c>1e400</c>, <c>"NaN"</c> and <c>"Infinity"</c> are refused, as in the models).</exception>
    public double? GetDouble(string name) => GetValue<double>(name, TryReadDouble, "a number");

    /// <summary>Tries to read a field as a double.</summary>
    public bool TryGetDouble(string name, out double value) => TryGetValue(name, TryReadDouble, out value);

    /// <summary>A field as a decimal (a JSON number or a numeric string); null when missing or null.</summary>
    /// <exception cref="FormatException">The field is not a number.</exception>
    public decimal? GetDecimal(string name) => GetValue<decimal>(name, TryReadDecimal, "a number");

    /// <summary>Tries to read a field as a decimal.</summary>
    public bool TryGetDecimal(string name, out decimal value) => TryGetValue(name, TryReadDecimal, out value);

    /// <summary>
    /// A field as a date-time (every ISO 8601 / RFC 3339 form <see cref="LenientDateTimeConverter"/> reads: with or
    /// without seconds, up to 9 fractional digits truncated to 100 ns; with an offset it is converted to UTC, without one
    /// it keeps <see cref="DateTimeKind.Unspecified"/>); null when missing, null or an empty string, as in every model.
    /// </summary>
    /// <exception cref="FormatException">The field is not a date-time.</exception>
    public DateTime? GetDateTime(string name) =>
        TryGetValue(name, out var element) && element.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(element.GetString())
            ? null
            : GetValue<DateTime>(name, TryReadDateTime, "an ISO 8601 date-time");

    /// <summary>Tries to read a field as a date-time.</summary>
    public bool TryGetDateTime(string name, out DateTime value) => TryGetValue(name, TryReadDateTime, out value);

    /// <summary>A field as a boolean (<c>true</c>/<c>false</c>, or those words as a string); null when missing or null.</summary>
    /// <exception cref="FormatException">The field is not a boolean.</exception>
    public bool? GetBoolean(string name) => GetValue<bool>(name, TryReadBoolean, "a boolean");

    /// <summary>Tries to read a field as a boolean.</summary>
    public bool TryGetBoolean(string name, out bool value) => TryGetValue(name, TryReadBoolean, out value);

    /// <summary>Returns the row's JSON text.</summary>
    public override string ToString() => RawJson;

    private delegate bool Reader<T>(JsonElement element, out T value);

    private T? Get<T>(string name, Reader<T> read, string what)
        where T : class
    {
        if (!TryGetValue(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return read(element, out var value) ? value : throw NotA(name, what, element);
    }

    private T? GetValue<T>(string name, Reader<T> read, string what)
        where T : struct
    {
        if (!TryGetValue(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return read(element, out var value) ? value : throw NotA(name, what, element);
    }

    private bool TryGet<T>(string name, Reader<T> read, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? value)
        where T : class
    {
        value = null;
        return TryGetValue(name, out var element) && element.ValueKind != JsonValueKind.Null && read(element, out value!);
    }

    private bool TryGetValue<T>(string name, Reader<T> read, out T value)
        where T : struct
    {
        value = default;
        return TryGetValue(name, out var element) && element.ValueKind != JsonValueKind.Null && read(element, out value);
    }

    private static FormatException NotA(string name, string what, JsonElement element) =>
        new($"The report field '{name}' is not {what} (it is a JSON {element.ValueKind}).");

    private static bool TryReadString(JsonElement element, out string value)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                value = element.GetString()!;
                return true;
            case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                value = element.GetRawText();
                return true;
            default:
                value = null!;
                return false;
        }
    }

    private static bool TryReadInt64(JsonElement element, out long value)
    {
        value = 0;
        return element.ValueKind switch
        {
            JsonValueKind.Number => element.TryGetInt64(out value),
            JsonValueKind.String => long.TryParse(element.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value), // No white space, as the models.
            _ => false,
        };
    }

    private static bool TryReadDouble(JsonElement element, out double value)
    {
        value = 0;
        // As the models read numbers (FiniteDoubleConverter): finite only, a string without white space.
        return element.ValueKind switch
        {
            JsonValueKind.Number => element.TryGetDouble(out value),
            JsonValueKind.String => double.TryParse(element.GetString(), FiniteDoubleConverter.Styles, CultureInfo.InvariantCulture, out value),
            _ => false,
        } && double.IsFinite(value);
    }

    private static bool TryReadDecimal(JsonElement element, out decimal value)
    {
        value = 0;
        return element.ValueKind switch
        {
            JsonValueKind.Number => element.TryGetDecimal(out value),
            JsonValueKind.String => decimal.TryParse(element.GetString(), FiniteDoubleConverter.Styles, CultureInfo.InvariantCulture, out value),
            _ => false,
        };
    }

    private static bool TryReadDateTime(JsonElement element, out DateTime value)
    {
        value = default;
        return element.ValueKind == JsonValueKind.String && LenientDateTimeConverter.TryParse(element.GetString(), out value);
    }

    private static bool TryReadBoolean(JsonElement element, out bool value)
    {
        value = false;
        switch (element.ValueKind)
        {
            case JsonValueKind.True:
                value = true;
                return true;
            case JsonValueKind.False:
                return true;
            case JsonValueKind.String:
                return bool.TryParse(element.GetString(), out value);
            default:
                return false;
        }
    }
}
