using System.Collections.Concurrent;

namespace TrainingApis.Cli.Tests;

/// <summary>The tool's transport in tests: records every request that reaches the network, and can fail or cancel one.</summary>
internal sealed class RecordingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Called before each request is sent; may throw to stop it.</summary>
    public Action<RecordedRequest>? BeforeSend { get; set; }

    public int Count(string pathPart) => Requests.Count(r => r.Path.Contains(pathPart, StringComparison.Ordinal));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string? startDate = null;
        if (request.Content is not null && request.Content.Headers.ContentType?.MediaType == "application/json")
        {
            var body = await request.Content.ReadAsStringAsync(cancellationToken);
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("startDate", out var start))
            {
                startDate = start.GetString();
            }
        }

        var recorded = new RecordedRequest(request.Method.Method, request.RequestUri!.AbsolutePath, startDate);
        Requests.Enqueue(recorded);
        BeforeSend?.Invoke(recorded);
        return await base.SendAsync(request, cancellationToken);
    }
}

internal sealed record RecordedRequest(string Method, string Path, string? StartDate);
