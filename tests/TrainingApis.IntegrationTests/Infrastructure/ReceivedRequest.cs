using System.Net.Http.Headers;
using System.Text.Json;

namespace TrainingApis.IntegrationTests.Infrastructure;

/// <summary>One request from WireMock's journal.</summary>
public sealed record ReceivedRequest(string Method, string Url, string Path, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset LoggedDate)
{
    /// <summary>The status WireMock answered with (0 for a fault or when the journal has no response).</summary>
    public int ResponseStatus { get; init; }

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Body);
        return document.RootElement.Clone();
    }

    /// <summary>The parts of a multipart/form-data body, in the order they were sent.</summary>
    public IReadOnlyList<MultipartPart> MultipartParts()
    {
        var contentType = MediaTypeHeaderValue.Parse(Header("Content-Type") ?? throw new InvalidOperationException("The request has no Content-Type."));
        var boundary = contentType.Parameters.Single(p => p.Name.Equals("boundary", StringComparison.OrdinalIgnoreCase)).Value!.Trim('"');
        var delimiter = "--" + boundary;
        var parts = new List<MultipartPart>();
        var sections = Body.Split(delimiter);

        // sections[0] is the preamble (empty); the last one starts with "--" (the closing delimiter).
        foreach (var section in sections.Skip(1))
        {
            if (section.StartsWith("--", StringComparison.Ordinal))
            {
                break;
            }

            var text = section.StartsWith("\r\n", StringComparison.Ordinal) ? section[2..] : section;
            var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var headerText = split < 0 ? text : text[..split];
            var body = split < 0 ? string.Empty : text[(split + 4)..];
            if (body.EndsWith("\r\n", StringComparison.Ordinal))
            {
                body = body[..^2]; // The CRLF before the next delimiter belongs to the delimiter.
            }

            var headers = headerText.Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(':', 2))
                .ToDictionary(pair => pair[0].Trim(), pair => pair.Length > 1 ? pair[1].Trim() : string.Empty, StringComparer.OrdinalIgnoreCase);
            parts.Add(new MultipartPart(headers, body));
        }

        return parts;
    }

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
