using System.Text.Json;
using System.Text.Json.Serialization;

namespace TrainingApis.IntegrationTests.Infrastructure;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(UserResultRow))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
