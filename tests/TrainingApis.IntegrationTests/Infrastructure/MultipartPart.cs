using System.Net.Http.Headers;

namespace TrainingApis.IntegrationTests.Infrastructure;

/// <summary>One part of a multipart/form-data body as WireMock received it.</summary>
public sealed record MultipartPart(IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Name => Disposition?.Name?.Trim('"');

    public string? FileName => Disposition?.FileName?.Trim('"');

    public string? ContentType => Headers.TryGetValue("Content-Type", out var value) ? value : null;

    private ContentDispositionHeaderValue? Disposition =>
        Headers.TryGetValue("Content-Disposition", out var value) ? ContentDispositionHeaderValue.Parse(value) : null;
}
