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

/// <summary>Every date-time shape a model may have, read through the converter registered once for the context.</summary>
internal sealed record AllTimes
{
    public DateTime At { get; init; }

    public DateTime? MaybeAt { get; init; }

    public DateTimeOffset Offset { get; init; }

    public DateTimeOffset? MaybeOffset { get; init; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, Converters = [typeof(LenientDateTimeConverter)])]
[JsonSerializable(typeof(AllTimes))]
[JsonSerializable(typeof(List<AllTimes>))]
internal sealed partial class LenientTimesContext : JsonSerializerContext;
