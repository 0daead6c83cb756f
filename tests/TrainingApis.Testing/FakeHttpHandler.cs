using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace TrainingApis.Testing;

/// <summary>A request as the fake handler saw it, with its body read (so it stays readable after disposal).</summary>
public sealed record RecordedRequest(
    HttpMethod Method,
    Uri? Uri,
    IReadOnlyDictionary<string, string> Headers,
    string? ContentType,
    string Body)
{
    public string? Authorization => Headers.TryGetValue("Authorization", out var value) ? value : null;

    public string Path => Uri?.AbsolutePath ?? string.Empty;
}

/// <summary>
/// The primary handler of tests: answers every request with a scripted response and records what it received.
/// </summary>
public sealed class FakeHttpHandler : HttpMessageHandler
{
    private readonly Func<HttpRequestMessage, RecordedRequest, int, CancellationToken, Task<HttpResponseMessage>> _respond;
    private readonly ConcurrentDictionary<int, RecordedRequest> _requests = new();
    private int _count;

    public FakeHttpHandler(Func<HttpRequestMessage, RecordedRequest, int, CancellationToken, Task<HttpResponseMessage>> respond)
    {
        _respond = respond;
    }

    /// <summary>Answers request number n (0-based) with <paramref name="respond"/>.</summary>
    public FakeHttpHandler(Func<RecordedRequest, int, HttpResponseMessage> respond)
        : this((_, recorded, n, _) => Task.FromResult(respond(recorded, n)))
    {
    }

    /// <summary>Answers every request with the same JSON body.</summary>
    public static FakeHttpHandler Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new((_, _) => JsonResponse(json, status));

    /// <summary>The requests received, in the order of their numbers (request n got the n-th scripted answer).</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests.OrderBy(static p => p.Key).Select(static p => p.Value)];

    public int Count => Volatile.Read(ref _count);

    public static HttpResponseMessage JsonResponse(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        string body = string.Empty;
        string? contentType = null;
        if (request.Content is not null)
        {
            body = await request.Content.ReadAsStringAsync(cancellationToken);
            contentType = request.Content.Headers.ContentType?.ToString();
        }

        var recorded = new RecordedRequest(request.Method, request.RequestUri, headers, contentType, body);
        var n = Interlocked.Increment(ref _count) - 1;
        _requests[n] = recorded;
        var response = await _respond(request, recorded, n, cancellationToken);
        response.RequestMessage ??= request;
        return response;
    }
}
