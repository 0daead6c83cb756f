using System.Net.Http.Headers;
using System.Text;

namespace TrainingApis.Sandbox.Tests;

/// <summary>A response read whole: status, headers and JSON body (default when empty).</summary>
public sealed record ApiResult(HttpStatusCode Status, JsonElement Json, HttpResponseHeaders Headers, string? ContentType, string Text)
{
    public string Message => Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty("message", out var m) ? m.GetString() ?? string.Empty : string.Empty;

    public IReadOnlyList<string> ErrorFields =>
        Json.TryGetProperty("errors", out var errors) ? errors.EnumerateArray().Select(e => e.GetProperty("field").GetString()!).ToArray() : [];
}

/// <summary>Raw HTTP against a sandbox: no SDK client, the documented field names written by hand.</summary>
public static class ApiCall
{
    public static Task<ApiResult> PostAsync(HttpClient client, string path, string? json, string? bearer = null) =>
        SendAsync(client, HttpMethod.Post, path, json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"), bearer);

    public static Task<ApiResult> GetAsync(HttpClient client, string path, string? bearer = null) =>
        SendAsync(client, HttpMethod.Get, path, null, bearer);

    public static async Task<ApiResult> SendAsync(HttpClient client, HttpMethod method, string path, HttpContent? content, string? bearer)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = string.IsNullOrWhiteSpace(text) ? default : JsonDocument.Parse(text).RootElement.Clone();
        return new ApiResult(response.StatusCode, json, response.Headers, response.Content.Headers.ContentType?.MediaType, text);
    }

    /// <summary>Logs in to Senar and returns the token.</summary>
    public static async Task<string> SenarLoginAsync(HttpClient client, TrainingSandbox sandbox)
    {
        var login = await PostAsync(client, "api/auth/login", $$"""{"username":"{{sandbox.SenarUsername}}","password":"{{sandbox.SenarPassword}}"}""");
        login.Status.Should().Be(HttpStatusCode.OK, login.Text);
        return login.Json.GetProperty("Token").GetString()!;
    }

    public static HttpClient ClientFor(TrainingSandbox sandbox) => new() { BaseAddress = sandbox.BaseAddress };

    public static string[] PropertyNames(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToArray();
}
