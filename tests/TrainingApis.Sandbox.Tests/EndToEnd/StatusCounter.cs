using System.Collections.Concurrent;

namespace TrainingApis.Sandbox.Tests.EndToEnd;

/// <summary>
/// The primary handler of the clients under test: real sockets, and a count of every response by status, so a test can
/// tell how many requests reached the sandbox and how many it refused with 429.
/// </summary>
public sealed class StatusCounter : DelegatingHandler
{
    private readonly ConcurrentDictionary<HttpStatusCode, int> _counts = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private int _total;

    public StatusCounter()
        : base(new SocketsHttpHandler())
    {
    }

    public int Total => Volatile.Read(ref _total);

    public int this[HttpStatusCode status] => _counts.TryGetValue(status, out var count) ? count : 0;

    /// <summary>Every request answered, as <c>METHOD /path STATUS</c>, in order of the answers.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        Interlocked.Increment(ref _total);
        _counts.AddOrUpdate(response.StatusCode, 1, static (_, count) => count + 1);
        _requests.Enqueue($"{request.Method} {request.RequestUri?.AbsolutePath} {(int)response.StatusCode}");
        return response;
    }
}
