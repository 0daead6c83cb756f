using System.Text.Json;
using System.Text.Json.Serialization;

namespace Senar.Client.Json;

/// <summary>
/// Reads a flag Senar may send as <c>null</c> (as it does for counters) as <see langword="false"/>, so one null flag does
/// not turn a good answer into an error; like every flag it also reads <c>"true"</c> and <c>"false"</c>, and anything else
/// is still a type mismatch. Named by the
/// <see cref="JsonConverterAttribute"/> on <see cref="Users.UserAssignResult.IsNewUser"/>; public so that a
/// source-generated <see cref="JsonSerializerContext"/> of yours that includes <see cref="Users.UserAssignResult"/> can
/// create it. You do not call it yourself.
/// </summary>
public sealed class NullAsFalseConverter : JsonConverter<bool>
{
    private static readonly TrainingApis.Core.Json.LenientBooleanConverter Flags = new();

    /// <inheritdoc/>
    public override bool HandleNull => true;

    /// <inheritdoc/>
    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Null => false,
        _ => Flags.Read(ref reader, typeToConvert, options), // true, false, "true", "false", as every other flag.
    };

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteBooleanValue(value);
    }
}
