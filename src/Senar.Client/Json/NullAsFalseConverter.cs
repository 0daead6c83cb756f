using System.Text.Json;
using System.Text.Json.Serialization;

namespace Senar.Client.Json;

/// <summary>
/// Reads a flag Senar may send as <c>null</c> (as it does for counters) as <see langword="false"/>, so one null flag does
/// not turn a good answer into an error; anything but a boolean or null is still a type mismatch.
/// </summary>
internal sealed class NullAsFalseConverter : JsonConverter<bool>
{
    public override bool HandleNull => true;

    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Null => false,
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw new JsonException($"Expected a boolean; found a JSON {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteBooleanValue(value);
    }
}
