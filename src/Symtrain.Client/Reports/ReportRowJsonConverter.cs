using System.Text.Json;
using System.Text.Json.Serialization;

namespace Symtrain.Client.Reports;

/// <summary>
/// Reads a <see cref="ReportRow"/> from a JSON object and writes it back unchanged. Named by the
/// <see cref="JsonConverterAttribute"/> on <see cref="ReportRow"/>; public so that a source-generated
/// <see cref="JsonSerializerContext"/> of yours that includes <see cref="ReportRow"/> (to cache rows, or to write them
/// out) can create it. You do not call it yourself.
/// </summary>
public sealed class ReportRowJsonConverter : JsonConverter<ReportRow>
{
    /// <inheritdoc/>
    public override ReportRow Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"Expected a report row (a JSON object), found {reader.TokenType}.");
        }

        // ParseValue gives the element a document of its own: nothing else to clone.
        return new ReportRow(JsonElement.ParseValue(ref reader), clone: false);
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, ReportRow value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        value.Json.WriteTo(writer);
    }
}
