using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Senar.Client.Users;

/// <summary>
/// Reads and writes <see cref="SenarUserProfile"/> as a JSON string (a number is kept as its text). Named by the
/// <see cref="JsonConverterAttribute"/> on <see cref="SenarUserProfile"/>; public so that a source-generated
/// <see cref="JsonSerializerContext"/> of yours that includes a Senar model (<see cref="SenarUser"/>,
/// <see cref="Activities.SenarActivity"/>) can create it. You do not call it yourself.
/// </summary>
public sealed class SenarUserProfileJsonConverter : JsonConverter<SenarUserProfile>
{
    /// <inheritdoc/>
    public override SenarUserProfile Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => new SenarUserProfile(reader.GetString() ?? string.Empty),
        JsonTokenType.Number => new SenarUserProfile(Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan)),
        _ => throw new JsonException($"Expected a profile string, found {reader.TokenType}."),
    };

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, SenarUserProfile value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.Value);
    }
}
