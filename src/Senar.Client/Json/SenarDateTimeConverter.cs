using System.Text.Json;
using System.Text.Json.Serialization;
using TrainingApis.Core.Json;

namespace Senar.Client.Json;

/// <summary>
/// Reads Senar's nullable date-times with <see cref="LenientDateTimeConverter"/>: no offset (kept as
/// <see cref="DateTimeKind.Unspecified"/>) or with one, 0 to 7 fractional digits; <c>null</c> and <c>""</c> read as null.
/// </summary>
internal sealed class SenarDateTimeConverter : JsonConverter<DateTime?>
{
    private static readonly LenientDateTimeConverter Inner = new();

    public override bool HandleNull => true;

    public override DateTime? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType == JsonTokenType.String && reader.ValueSpan.IsEmpty && !reader.HasValueSequence)
        {
            return null;
        }

        return Inner.Read(ref reader, typeof(DateTime), options);
    }

    public override void Write(Utf8JsonWriter writer, DateTime? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } date)
        {
            Inner.Write(writer, date, options);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
