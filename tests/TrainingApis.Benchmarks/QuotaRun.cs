using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Symtrain.Client;
using TrainingApis.Core;
using TrainingApis.Sandbox;

namespace TrainingApis.Benchmarks;

/// <summary>
/// <c>--quota</c>: 1,000 report calls started at once against the sandbox, whose Symtrain quota is 100 requests per
/// second here (the vendor's 100 per 5 minutes, scaled down 300 times), through one client with the same quota.
/// No schedule can finish before (⌈1000 / 100⌉ − 1) windows = 9 s have passed after the first request, so the
/// utilisation is that minimum divided by the measured time (achieved throughput over the theoretical maximum).
/// Every attempt's status is counted below the pipeline, 429s included, as is the most requests sent in any window.
/// </summary>
internal static class QuotaRun
{
    private const int Requests = 1_000;
    private const int Limit = 100;
    private const int Runs = 3;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private static readonly DateRange Range = new(new DateOnly(2024, 3, 1), new DateOnly(2024, 3, 1));

    public static async Task RunAsync()
    {
        var minimum = Window * (((Requests + Limit - 1) / Limit) - 1);
        Console.WriteLine($"{Requests:N0} requests, quota {Limit} per {Window.TotalSeconds:0.###} s on both sides, minimum possible time {minimum.TotalSeconds:0.###} s");
        Console.WriteLine("| Run | Time (s) | Utilisation | Requests sent | 429s | Most in one window |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        await MeasureAsync(requests: Limit); // Warm-up (JIT, connections), not reported.
        for (var run = 1; run <= Runs; run++)
        {
            var (elapsed, sent, tooMany, most) = await MeasureAsync(Requests);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {run} | {elapsed.TotalSeconds:0.000} | {minimum / elapsed:0.000} | {sent:N0} | {tooMany} | {most} |"));
        }
    }

    private static async Task<(TimeSpan Elapsed, int Sent, int TooMany, int MostInOneWindow)> MeasureAsync(int requests)
    {
        var key = $"quota-benchmark-{Guid.NewGuid():N}"; // A limiter of its own in the process-wide registry.
        await using var sandbox = await TrainingSandbox.StartAsync(new TrainingSandboxOptions
        {
            SymtrainApiKey = key,
            SymtrainQuotaLimit = Limit,
            SymtrainQuotaWindow = Window,
        });
        using var counter = new CountingHandler(new SocketsHttpHandler());
        using var client = new SymtrainClient(
            new SymtrainClientOptions
            {
                BaseAddress = sandbox.BaseAddress,
                ApiKey = key,
                RateLimit = new RateLimitOptions { PermitLimit = Limit, Window = Window, QueueLimit = requests },
                Timeout = TimeSpan.FromMinutes(5),
            },
            counter);

        var watch = Stopwatch.StartNew();
        var calls = Enumerable.Range(0, requests).Select(_ => client.Reports.GetUsersAsync(Range));
        await Task.WhenAll(calls);
        watch.Stop();
        return (watch.Elapsed, counter.Sent.Count, counter.Sent.Count(s => s.Status == HttpStatusCode.TooManyRequests), counter.MostInOneWindow(Window));
    }

    /// <summary>Records when each attempt was sent and what it got back.</summary>
    private sealed class CountingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        public ConcurrentQueue<(long SentAt, HttpStatusCode Status)> Sent { get; } = new();

        public int MostInOneWindow(TimeSpan window)
        {
            var times = Sent.Select(s => s.SentAt).Order().ToArray();
            var span = (long)(window.TotalSeconds * Stopwatch.Frequency);
            var most = 0;
            for (int first = 0, last = 0; last < times.Length; last++)
            {
                while (times[last] - times[first] >= span)
                {
                    first++;
                }

                most = Math.Max(most, last - first + 1);
            }

            return most;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var sentAt = Stopwatch.GetTimestamp();
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            Sent.Enqueue((sentAt, response.StatusCode));
            return response;
        }
    }
}
