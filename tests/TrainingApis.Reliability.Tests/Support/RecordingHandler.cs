using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace TrainingApis.Reliability.Tests.Support;

/// <summary>One request as it left the client: when (a <see cref="Stopwatch"/> timestamp), its body, and the answer's status.</summary>
internal sealed record SentRequest(long Timestamp, string Path, string Body, HttpStatusCode? Status);

/// <summary>
/// Wraps the real primary handler (sockets) and records every request the client actually sends, with its send time,
/// so that tests can count what reached the server and check the quota over every window span.
/// </summary>
internal sealed class RecordingHandler : DelegatingHandler
{
    private readonly ConcurrentQueue<SentRequest> _sent = new();

    public RecordingHandler(HttpMessageHandler inner)
        : base(inner)
    {
    }

    public IReadOnlyList<SentRequest> Sent => [.. _sent];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        var timestamp = Stopwatch.GetTimestamp();
        HttpResponseMessage? response = null;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
            return response;
        }
        finally
        {
            _sent.Enqueue(new SentRequest(timestamp, request.RequestUri?.AbsolutePath ?? string.Empty, body, response?.StatusCode));
        }
    }

    /// <summary>The most requests sent in any span of <paramref name="window"/> that starts at a send.</summary>
    public static int MaxPerSpan(IEnumerable<SentRequest> sent, TimeSpan window)
    {
        var times = sent.Select(s => s.Timestamp).Order().ToArray();
        var span = (long)(window.TotalSeconds * Stopwatch.Frequency);
        var max = 0;
        var end = 0;
        for (var start = 0; start < times.Length; start++)
        {
            while (end < times.Length && times[end] - times[start] < span)
            {
                end++;
            }

            max = Math.Max(max, end - start);
        }

        return max;
    }
}
