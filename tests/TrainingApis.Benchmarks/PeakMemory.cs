using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Senar.Client;
using TrainingApis.Core;

namespace TrainingApis.Benchmarks;

/// <summary>
/// <c>--peak</c>: the managed memory each streaming way needs, for 50,000 and 200,000 activities. The loopback server
/// stays in this process; each way runs once in a child process of its own (<c>--peak-way</c>), so that what the child
/// measures is the client alone: live managed memory with a forced full collection before the call (baseline) and
/// while it runs (every 10,000 activities for <c>StreamAsync</c> and the row readers alone, now and before; for the buffered ways once the result is in hand,
/// with the body string still referenced for the string way), the bytes it allocated and its peak working set.
/// </summary>
internal static class PeakMemory
{
    private const int SampleEvery = 10_000;
    private static readonly int[] Sizes = [50_000, Payloads.ActivityCount];
    private static readonly string[] Ways = ["StreamAsync", "ReaderOverHttp", "ListAsync", "StringThenDeserialize"];

    public static async Task RunAsync()
    {
        Console.WriteLine("| Activities | Body (MiB) | Way | Time (ms) | Live before (MiB) | Peak live (MiB) | Peak live - before (MiB) | Allocated (MiB) | Peak working set (MiB) |");
        Console.WriteLine("|---:|---:|---|---:|---:|---:|---:|---:|---:|");
        foreach (var size in Sizes)
        {
            var body = Payloads.CreateActivities(size);
            await using var server = await LoopbackServer.StartAsync(Payloads.CreateReport(1), body);
            foreach (var way in Ways)
            {
                var row = await ChildProcess.RunAsync("--peak-way", way, size.ToString(CultureInfo.InvariantCulture), server.BaseAddress.ToString());
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {size:N0} | {body.Length / 1048576.0:N1} | {row}"));
            }
        }
    }

    /// <summary>The child: one way, one call, one table row on standard output.</summary>
    public static async Task RunWayAsync(string way, int count, Uri baseAddress)
    {
        using var sdk = new SenarClient(new SenarClientOptions
        {
            BaseAddress = baseAddress,
            Username = "bench",
            Password = "bench-password",
            RateLimit = new RateLimitOptions { Enabled = false },
            MaxResponseBufferSize = 1L << 30,
        });
        using var plain = new HttpClient(new SocketsHttpHandler()) { BaseAddress = baseAddress };
        plain.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "t");

        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var peak = baseline;
        void Sample() => peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var read = 0;
        switch (way)
        {
            case "StreamAsync":
                await foreach (var activity in sdk.Activities.StreamAsync())
                {
                    if (++read % SampleEvery == 0)
                    {
                        Sample();
                    }
                }

                break;
            case "ReaderOverHttp":
                // The row reader alone over the HTTP body.
                using (var response = await plain.GetAsync("integration/data/activities", HttpCompletionOption.ResponseHeadersRead))
                {
                    await using var body = await response.Content.ReadAsStreamAsync();
                    await foreach (var activity in TrainingApis.Core.Json.JsonRowReader.ReadAsync(body, BenchJsonContext.Default.BenchActivity))
                    {
                        if (++read % SampleEvery == 0)
                        {
                            Sample();
                        }
                    }
                }

                break;
            case "ListAsync":
                var list = await sdk.Activities.ListAsync();
                read = list.Count;
                Sample();
                GC.KeepAlive(list);
                break;
            case "StringThenDeserialize":
                var json = await plain.GetStringAsync("integration/data/activities");
                var rows = JsonSerializer.Deserialize(json, BenchJsonContext.Default.ListBenchActivity) ?? [];
                read = rows.Count;
                Sample();
                GC.KeepAlive(json);
                GC.KeepAlive(rows);
                break;
            default:
                throw new ArgumentException($"Unknown way '{way}'.", nameof(way));
        }

        watch.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        if (read != count)
        {
            throw new InvalidOperationException($"{way} read {read} activities, expected {count}.");
        }

        using var process = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{way} | {watch.Elapsed.TotalMilliseconds:N0} | {MiB(baseline)} | {MiB(peak)} | {MiB(peak - baseline)} | {MiB(allocated)} | {MiB(process.PeakWorkingSet64)} |"));
    }

    private static string MiB(long bytes) => (bytes / 1048576.0).ToString("N1", CultureInfo.InvariantCulture);
}
