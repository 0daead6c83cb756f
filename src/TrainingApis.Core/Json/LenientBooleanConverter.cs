using System.Text.Json;
using System.Text.Json.Serialization;

namespace TrainingApis.Core.Json;

/// <summary>
/// Reads a flag sent as JSON <c>true</c>/<c>false</c> or as those words in a string (<c>"true"</c>, <c>"False"</c>):
/// the same forms <c>ReportRow.GetBoolean</c> takes, so a flag reads alike in every model and report row. Anything
/// else (a number, another word, <c>null</c> for a flag that is not nullable) is a type mismatch, a
/// <see cref="JsonException"/> the serializer gives the path of. For <see cref="Nullable{T}"/> flags the serializer reads
/// JSON <c>null</c> as null itself. Writes JSON booleans.
/// </summary>
internal sealed class LenientBooleanConverter : JsonConverter<bool>
{
    // 16 characters, each possibly escaped as \uXXXX.
    private const int MaxFlagBytes = 16 * 6;

    /// <inheritdoc/>
    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,

        // A short string only: a word and a little white space, as bool.TryParse takes it, counted as written (each
        // character may be a 6-byte \uXXXX escape, which ReportRow reads too).
        JsonTokenType.String when (reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length) <= MaxFlagBytes
            && bool.TryParse(reader.GetString(), out var flag) => flag,

        // Worded as the reader's own type errors, so the failure reads "a type mismatch at $.x: expected a boolean, found a string".
        _ => throw new JsonException("The JSON value could not be converted to Boolean.", new InvalidOperationException($"Cannot get the value of a token type '{reader.TokenType}' as a boolean.")),
    };

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteBooleanValue(value);
    }
}
