using System.Diagnostics;
using System.Globalization;

namespace TrainingApis.Benchmarks;

/// <summary>
/// <c>--peak</c>: runs each streaming way once in this process and prints the live managed memory before it and the
/// highest live managed memory seen while it runs. Both include the in-process server's fixed payload and whatever
/// the shared array pools hold (full collections may trim those pools, so "during" can be lower than "before"). Live memory is measured with a forced
/// full collection (<see cref="GC.GetTotalMemory(bool)"/>): for <c>StreamAsync</c> every 10,000 activities while
/// the stream is open (the highest is printed); for the buffered ways once the whole result is in hand, which is a
/// lower bound of their peak (while parsing, the body and the objects are both alive).
/// </summary>
internal static class PeakMemory
{
    private const int SampleEvery = 10_000;

    public static async Task RunAsync()
    {
        var benchmarks = new StreamingBenchmarks();
        await benchmarks.SetupAsync();
        try
        {
            Console.WriteLine($"{Payloads.ActivityCount:N0} activities, body {Payloads.Activities.Length / 1024.0 / 1024.0:N1} MiB");
            Console.WriteLine("| Way | Time (ms, incl. sampling) | Live before (MiB) | Peak live during (MiB) | Allocated (MiB) |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            await MeasureAsync(nameof(StreamingBenchmarks.StreamAsync), async sample =>
            {
                var count = 0;
                await foreach (var activity in benchmarks.Sdk.Activities.StreamAsync())
                {
                    if (++count % SampleEvery == 0)
                    {
                        sample();
                    }
                }

                return count;
            });
            await MeasureAsync(nameof(StreamingBenchmarks.ListAsync), async sample =>
            {
                var list = await benchmarks.Sdk.Activities.ListAsync();
                sample();
                GC.KeepAlive(list);
                return list.Count;
            });
            await MeasureAsync(nameof(StreamingBenchmarks.StringThenDeserialize), async sample =>
            {
                var list = await benchmarks.StringThenDeserializeList();
                sample();
                GC.KeepAlive(list);
                return list.Count;
            });
        }
        finally
        {
            await benchmarks.CleanupAsync();
        }
    }

    private static async Task MeasureAsync(string name, Func<Action, Task<int>> run)
    {
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var peak = long.MinValue;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var count = await run(() => peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true)));
        watch.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        if (count != Payloads.ActivityCount)
        {
            throw new InvalidOperationException($"{name} read {count} activities, expected {Payloads.ActivityCount}.");
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {name} | {watch.Elapsed.TotalMilliseconds:N0} | {baseline / 1024.0 / 1024.0:N1} | {peak / 1024.0 / 1024.0:N1} | {allocated / 1024.0 / 1024.0:N1} |"));
    }
}
