using System.Text.Json;

namespace TrainingApis.Cli.Export;

/// <summary>
/// The JSON form of the Senar models for exports: the API's field names (camelCase), the SDK's own converters (dates as
/// Senar writes them), and the fields the SDK does not know (kept in AdditionalProperties), so a JSON-lines export
/// carries every field the API sent. Reflection-based: the tool is an application, not trimmed.
/// </summary>
internal static class SenarJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Encoder = JsonLinesWriter.WriterOptions.Encoder };

    public static JsonElement ToJson<T>(T value) => JsonSerializer.SerializeToElement(value, Options);
}
