using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TrainingApis.Core.Json;

/// <summary>
/// Reads every ISO 8601 / RFC 3339 date-time form a server may send, for <see cref="DateTime"/>,
/// <see cref="DateTimeOffset"/> and their nullable forms; register it once in a context's
/// <see cref="JsonSourceGenerationOptionsAttribute.Converters"/> and every date-time property of every model uses it.
/// </summary>
/// <remarks>
/// <para>
/// Accepted: <c>yyyy-MM-dd</c>; a date, <c>T</c> (or <c>t</c>, or one space) and <c>HH:mm</c>, <c>HH:mm:ss</c> or
/// <c>HH:mm:ss</c> with 1 to 9 fractional digits (after <c>.</c> or <c>,</c>; digits past the seventh are truncated to
/// 100 ns ticks); then optionally <c>Z</c> or an offset <c>+hh:mm</c>, <c>+hhmm</c> or <c>+hh</c> (up to 14 hours).
/// Examples: <c>2022-09-07T06:25:23.90149761</c>, <c>2024-02-29T12:00Z</c>, <c>2024-02-29 12:00:00+0530</c>.
/// </para>
/// <para>
/// A value with <c>Z</c> or an offset becomes UTC (<see cref="DateTimeKind.Utc"/>, or a
/// <see cref="DateTimeOffset"/> with a zero offset); a value without one stays <see cref="DateTimeKind.Unspecified"/>
/// (Senar sends local times without an offset), and is taken as UTC for a <see cref="DateTimeOffset"/>.
/// For the nullable forms, JSON <c>null</c> and an empty (or blank) string read as <see langword="null"/>. Anything
/// else (another format, a number, an impossible date) is a <see cref="JsonException"/> saying what was expected; the
/// serializer adds the JSON path. Writes the round-trip form (<c>"O"</c>).
/// </para>
/// </remarks>
public sealed class LenientDateTimeConverter : JsonConverterFactory
{
    private const int MaxLength = 64;

    /// <summary>The forms named in error messages.</summary>
    private const string Expected = "an ISO 8601 date-time such as 2024-02-29T12:00:00Z, 2024-02-29T12:00:00.1234567+01:00 or 2024-02-29";

    private static readonly DateTimeConverter DateTimeInstance = new();
    private static readonly NullableDateTimeConverter NullableDateTimeInstance = new();
    private static readonly DateTimeOffsetConverter DateTimeOffsetInstance = new();
    private static readonly NullableDateTimeOffsetConverter NullableDateTimeOffsetInstance = new();

    /// <inheritdoc/>
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert == typeof(DateTime) || typeToConvert == typeof(DateTime?)
        || typeToConvert == typeof(DateTimeOffset) || typeToConvert == typeof(DateTimeOffset?);

    /// <inheritdoc/>
    public override JsonConverter? CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(typeToConvert);
        if (typeToConvert == typeof(DateTime))
        {
            return DateTimeInstance;
        }

        if (typeToConvert == typeof(DateTime?))
        {
            return NullableDateTimeInstance;
        }

        if (typeToConvert == typeof(DateTimeOffset))
        {
            return DateTimeOffsetInstance;
        }

        return typeToConvert == typeof(DateTimeOffset?)
            ? NullableDateTimeOffsetInstance
            : throw new ArgumentException($"{nameof(LenientDateTimeConverter)} converts date-times, not {typeToConvert}.", nameof(typeToConvert));
    }

    /// <summary>Parses a date-time the way the converter reads one (surrounding white space allowed).</summary>
    /// <returns><see langword="false"/> when <paramref name="text"/> is null or not one of the accepted forms.</returns>
    public static bool TryParse(string? text, out DateTime value)
    {
        if (!Iso8601.TryParse(text.AsSpan().Trim(), out var local, out var offset))
        {
            value = default;
            return false;
        }

        if (offset is not { } shift)
        {
            value = local;
            return true;
        }

        // local - offset = UTC; out of DateTime's range (0001-01-01T00:00+01:00) is no date at all.
        var ticks = local.Ticks - shift.Ticks;
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
        {
            value = default;
            return false;
        }

        value = new DateTime(ticks, DateTimeKind.Utc);
        return true;
    }

    /// <summary>Parses a date-time as a <see cref="DateTimeOffset"/> in UTC; a value without an offset is taken as UTC.</summary>
    /// <returns><see langword="false"/> when <paramref name="text"/> is null or not one of the accepted forms.</returns>
    public static bool TryParseDateTimeOffset(string? text, out DateTimeOffset value)
    {
        if (TryParse(text, out var parsed))
        {
            value = new DateTimeOffset(DateTime.SpecifyKind(parsed, DateTimeKind.Utc));
            return true;
        }

        value = default;
        return false;
    }

    private static DateTime ReadDateTime(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected {Expected}; found a JSON {Describe(reader.TokenType)}.");
        }

        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length > MaxLength)
        {
            throw new JsonException($"A date-time string is too long ({length} bytes; expected {Expected}).");
        }

        // The value itself is not quoted: like the serializer's own messages, ours never carry response data.
        return TryParse(reader.GetString(), out var value)
            ? value
            : throw new JsonException($"The string is not {Expected}.");
    }

    private static bool IsEmpty(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Null
        || (reader.TokenType == JsonTokenType.String && string.IsNullOrWhiteSpace(reader.GetString()));

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        _ => token.ToString(),
    };

    private static void Write(Utf8JsonWriter writer, DateTime value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString("O", CultureInfo.InvariantCulture));
    }

    private static void Write(Utf8JsonWriter writer, DateTimeOffset value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString("O", CultureInfo.InvariantCulture));
    }

    private sealed class DateTimeConverter : JsonConverter<DateTime>
    {
        public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadDateTime(ref reader);

        public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) => LenientDateTimeConverter.Write(writer, value);
    }

    private sealed class NullableDateTimeConverter : JsonConverter<DateTime?>
    {
        public override bool HandleNull => true;

        public override DateTime? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            IsEmpty(ref reader) ? null : ReadDateTime(ref reader);

        public override void Write(Utf8JsonWriter writer, DateTime? value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            if (value is { } date)
            {
                LenientDateTimeConverter.Write(writer, date);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }

    private sealed class DateTimeOffsetConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(DateTime.SpecifyKind(ReadDateTime(ref reader), DateTimeKind.Utc));

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => LenientDateTimeConverter.Write(writer, value);
    }

    private sealed class NullableDateTimeOffsetConverter : JsonConverter<DateTimeOffset?>
    {
        public override bool HandleNull => true;

        public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            IsEmpty(ref reader) ? null : new DateTimeOffset(DateTime.SpecifyKind(ReadDateTime(ref reader), DateTimeKind.Utc));

        public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            if (value is { } date)
            {
                LenientDateTimeConverter.Write(writer, date);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }
}
