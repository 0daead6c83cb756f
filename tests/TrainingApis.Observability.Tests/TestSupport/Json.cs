using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TrainingApis.Observability.Tests.TestSupport;

/// <summary>A caller's own report row type, for <c>GetReportAsync&lt;TRow&gt;</c>.</summary>
internal sealed record TestReportRow(string? Username, double? Score);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TestReportRow))]
internal sealed partial class TestJsonContext : JsonSerializerContext;

internal static class Json
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A JSON string literal of <paramref name="value"/> (quotes included), unescaped where JSON allows.</summary>
    public static string Quote(string value) => JsonSerializer.Serialize(value, Relaxed);
}
