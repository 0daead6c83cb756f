using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TrainingApis.IntegrationTests.Infrastructure;

/// <summary>
/// A WireMock request pattern (the "request" part of a mapping, or the body of <c>/__admin/requests/count</c>), built
/// fluently so a test reads like the contract it checks.
/// </summary>
public sealed class RequestPattern
{
    private readonly JsonObject _json;

    private RequestPattern(string method, string urlPath)
    {
        _json = new JsonObject { ["method"] = method, ["urlPath"] = urlPath };
    }

    public static RequestPattern Post(string urlPath) => new("POST", urlPath);

    public static RequestPattern Get(string urlPath) => new("GET", urlPath);

    public static RequestPattern Any(string urlPath) => new("ANY", urlPath);

    /// <summary>The header equals <paramref name="value"/> exactly.</summary>
    public RequestPattern WithHeader(string name, string value) => Header(name, new JsonObject { ["equalTo"] = value });

    /// <summary>The header matches the regular expression <paramref name="regex"/>.</summary>
    public RequestPattern WithHeaderMatching(string name, string regex) => Header(name, new JsonObject { ["matches"] = regex });

    /// <summary>
    /// <c>Content-Type: application/json</c>, with no charset or UTF-8 (the server's journal spells the charset in its own
    /// case, so the match ignores case).
    /// </summary>
    public RequestPattern WithJsonContentType() => WithHeaderMatching("Content-Type", "(?i)application/json(; ?charset=utf-8)?");

    /// <summary>The header is absent.</summary>
    public RequestPattern WithoutHeader(string name) => Header(name, new JsonObject { ["absent"] = true });

    /// <summary><c>Authorization: Bearer {token}</c>, exactly.</summary>
    public RequestPattern WithBearer(string token) => WithHeader("Authorization", $"Bearer {token}");

    /// <summary>
    /// The body is this JSON. With <paramref name="ignoreExtraElements"/> false (the default) the body must hold exactly
    /// these fields, no more; array order always matters.
    /// </summary>
    public RequestPattern WithJsonBody(string json, bool ignoreExtraElements = false) => Body(new JsonObject
    {
        ["equalToJson"] = json,
        ["ignoreArrayOrder"] = false,
        ["ignoreExtraElements"] = ignoreExtraElements,
    });

    /// <summary>The body matches a JSONPath expression (e.g. <c>$[?(@.page == 2)]</c>).</summary>
    public RequestPattern WithJsonPath(string expression) => Body(new JsonObject { ["matchesJsonPath"] = expression });

    /// <summary>The body is absent or empty.</summary>
    public RequestPattern WithEmptyBody() => Body(new JsonObject { ["absent"] = true });

    /// <summary>
    /// A multipart/form-data part named <paramref name="name"/> whose body matches <paramref name="bodyRegex"/>
    /// (and, when given, whose Content-Type contains <paramref name="contentType"/> and file name is <paramref name="fileName"/>).
    /// </summary>
    public RequestPattern WithMultipart(string name, string bodyRegex, string? contentType = null, string? fileName = null)
    {
        // .NET writes name=organizationId unquoted (a token) and adds filename*=utf-8''…; either spelling is valid.
        var disposition = $"form-data; name=\"?{Regex.Escape(name)}\"?"
            + (fileName is null ? string.Empty : $"; filename=\"?{Regex.Escape(fileName)}\"?")
            + "(;.*)?";
        var headers = new JsonObject { ["Content-Disposition"] = new JsonObject { ["matches"] = disposition } };
        if (contentType is not null)
        {
            headers["Content-Type"] = new JsonObject { ["contains"] = contentType };
        }

        var parts = _json["multipartPatterns"] as JsonArray ?? [];
        _json["multipartPatterns"] = parts;
        parts.Add(new JsonObject
        {
            ["matchingType"] = "ANY",
            ["headers"] = headers,
            ["bodyPatterns"] = new JsonArray(new JsonObject { ["matches"] = bodyRegex }),
        });
        return this;
    }

    public JsonObject ToJson() => (JsonObject)_json.DeepClone();

    public override string ToString() => _json.ToJsonString();

    private RequestPattern Header(string name, JsonObject matcher)
    {
        var headers = _json["headers"] as JsonObject ?? [];
        _json["headers"] = headers;
        headers[name] = matcher;
        return this;
    }

    private RequestPattern Body(JsonObject matcher)
    {
        var patterns = _json["bodyPatterns"] as JsonArray ?? [];
        _json["bodyPatterns"] = patterns;
        patterns.Add(matcher);
        return this;
    }
}
