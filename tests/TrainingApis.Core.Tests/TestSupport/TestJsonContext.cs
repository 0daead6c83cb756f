using System.Text.Json;
using System.Text.Json.Serialization;
using TrainingApis.Core.Json;

namespace TrainingApis.Core.Tests.TestSupport;

internal sealed record TestRow
{
    public int Id { get; init; }

    public string? Name { get; init; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

internal sealed record TestTimes
{
    [JsonConverter(typeof(LenientDateTimeConverter))]
    public DateTime At { get; init; }

    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Code { get; init; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TestRow))]
[JsonSerializable(typeof(List<TestRow>))]
[JsonSerializable(typeof(TestTimes))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class TestJsonContext : JsonSerializerContext;

[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class JsonDictionaryContext : JsonSerializerContext;
