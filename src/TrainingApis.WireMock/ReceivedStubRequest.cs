using System.Text.Json;
using WireMock.Logging;

namespace TrainingApis.WireMock;

/// <summary>One request as the stub server received it, from WireMock.Net's request log.</summary>
public sealed class ReceivedStubRequest
{
    private ReceivedStubRequest(string method, string path, string url, IReadOnlyDictionary<string, string> headers, string body, int? statusCode, DateTime receivedAt)
    {
        Method = method;
        Path = path;
        Url = url;
        Headers = headers;
        Body = body;
        StatusCode = statusCode;
        ReceivedAt = receivedAt;
    }

    /// <summary>The HTTP method, upper case (<c>GET</c>, <c>POST</c>).</summary>
    public string Method { get; }

    /// <summary>The path, without the query (for example <c>/v2/report/users</c>).</summary>
    public string Path { get; }

    /// <summary>The absolute URL the request was sent to, query included.</summary>
    public string Url { get; }

    /// <summary>The request headers, names compared case-insensitively; a header sent several times has its values joined with commas.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The body as text (UTF-8), empty when there was none.</summary>
    public string Body { get; }

    /// <summary>The status the server answered with (404 when no stub matched), or null when the log holds no response.</summary>
    public int? StatusCode { get; }

    /// <summary>When the server received the request (UTC).</summary>
    public DateTime ReceivedAt { get; }

    /// <summary>The value of a header, or null when it was not sent.</summary>
    /// <param name="name">The header name (any case).</param>
    /// <returns>The value, several values joined with commas.</returns>
    public string? Header(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Headers.TryGetValue(name, out var value) ? value : null;
    }

    /// <summary>The body parsed as JSON.</summary>
    /// <returns>The root element (a detached copy).</returns>
    /// <exception cref="JsonException">The body is not JSON.</exception>
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Body);
        return document.RootElement.Clone();
    }

    /// <inheritdoc />
    public override string ToString() => $"{Method} {Url} -> {StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no response"}";

    internal static ReceivedStubRequest From(ILogEntry entry)
    {
        var request = entry.RequestMessage ?? throw new ArgumentException("The log entry holds no request.", nameof(entry));
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (request.Headers is not null)
        {
            foreach (var header in request.Headers)
            {
                headers[header.Key] = string.Join(",", header.Value);
            }
        }

        var status = entry.ResponseMessage?.StatusCode switch
        {
            int code => code,
            string text when int.TryParse(text, out var code) => code,
            System.Net.HttpStatusCode code => (int)code,
            _ => (int?)null,
        };
        var body = request.Body ?? (request.BodyAsBytes is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes) : string.Empty);
        return new ReceivedStubRequest(request.Method, request.Path, request.Url, headers, body, status, request.DateTime);
    }
}
