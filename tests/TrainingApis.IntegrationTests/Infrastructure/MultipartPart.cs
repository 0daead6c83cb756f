using System.Net.Http.Headers;
using TrainingApis.WireMock;

namespace TrainingApis.IntegrationTests.Infrastructure;

/// <summary>One part of a multipart/form-data body as the stub server received it.</summary>
public sealed record MultipartPart(IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Name => Disposition?.Name?.Trim('"');

    public string? FileName => Disposition?.FileName?.Trim('"');

    public string? ContentType => Headers.TryGetValue("Content-Type", out var value) ? value : null;

    private ContentDispositionHeaderValue? Disposition =>
        Headers.TryGetValue("Content-Disposition", out var value) ? ContentDispositionHeaderValue.Parse(value) : null;

    /// <summary>The parts of a multipart/form-data body, in the order they were sent, split on the boundary byte for byte.</summary>
    public static IReadOnlyList<MultipartPart> Of(ReceivedStubRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var contentType = MediaTypeHeaderValue.Parse(request.Header("Content-Type") ?? throw new InvalidOperationException("The request has no Content-Type."));
        var boundary = contentType.Parameters.Single(p => p.Name.Equals("boundary", StringComparison.OrdinalIgnoreCase)).Value!.Trim('"');
        var parts = new List<MultipartPart>();

        // sections[0] is the preamble (empty); the last one starts with "--" (the closing delimiter).
        foreach (var section in request.Body.Split("--" + boundary).Skip(1))
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
}
