using System.Text.Json;
using System.Text.Json.Serialization;

namespace Symtrain.Client.Reports;

/// <summary>Reads a <see cref="ReportRow"/> from a JSON object and writes it back unchanged.</summary>
internal sealed class ReportRowJsonConverter : JsonConverter<ReportRow>
{
    public override ReportRow Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"Expected a report row (a JSON object), found {reader.TokenType}.");
        }

        // ParseValue gives the element a document of its own: nothing else to clone.
        return new ReportRow(JsonElement.ParseValue(ref reader), clone: false);
    }

    public override void Write(Utf8JsonWriter writer, ReportRow value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        value.Json.WriteTo(writer);
    }
}
