using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TrainingApis.Core.Json;

/// <summary>
/// Reads the date-times the vendors send: ISO 8601 with 0 to 7 fractional digits, with or without an offset
/// (<c>2022-09-07T06:25:23.9014976</c>). Without an offset the value keeps <see cref="DateTimeKind.Unspecified"/>;
/// with one it is converted to UTC. Writes ISO 8601 round-trip form.
/// </summary>
public sealed class LenientDateTimeConverter : JsonConverter<DateTime>
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd' 'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd' 'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd",
    ];

    /// <inheritdoc/>
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a date-time string, found {reader.TokenType}.");
        }

        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length > 64)
        {
            throw new JsonException("A date-time string is too long.");
        }

        var text = reader.GetString();
        return TryParse(text, out var value) ? value : throw new JsonException($"'{text}' is not a date-time in a known format.");
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString("O", CultureInfo.InvariantCulture));
    }

    /// <summary>Parses a date-time the way <see cref="Read"/> does.</summary>
    public static bool TryParse(string? text, out DateTime value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (!DateTime.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return false;
        }

        value = parsed; // AdjustToUniversal: an offset gives UTC directly (no detour through the local zone); none leaves Unspecified.
        return true;
    }
}
