using System.Text.Json;

namespace TrainingApis.IntegrationTests.Infrastructure;

/// <summary>One request from WireMock's journal.</summary>
public sealed record ReceivedRequest(string Method, string Url, string Path, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset LoggedDate)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public JsonElement Json() => JsonDocument.Parse(Body).RootElement.Clone();

    public static ReceivedRequest From(JsonElement request)
    {
        var url = request.GetProperty("url").GetString()!;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (request.TryGetProperty("headers", out var h))
        {
            foreach (var header in h.EnumerateObject())
            {
                headers[header.Name] = header.Value.ValueKind == JsonValueKind.Array
                    ? string.Join(",", header.Value.EnumerateArray().Select(v => v.GetString()))
                    : header.Value.GetString() ?? string.Empty;
            }
        }

        var logged = request.TryGetProperty("loggedDate", out var date) && date.ValueKind == JsonValueKind.Number
            ? DateTimeOffset.FromUnixTimeMilliseconds(date.GetInt64())
            : DateTimeOffset.MinValue;
        return new ReceivedRequest(
            request.GetProperty("method").GetString()!,
            url,
            url.Split('?', 2)[0],
            headers,
            request.TryGetProperty("body", out var body) ? body.GetString() ?? string.Empty : string.Empty,
            logged);
    }
}
