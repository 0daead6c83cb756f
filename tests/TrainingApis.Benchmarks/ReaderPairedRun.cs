using System.Diagnostics;
using System.Globalization;

namespace TrainingApis.Benchmarks;

/// <summary>
/// <c>--paired-json</c>: the SDK's row reader against the former one (<see cref="BaselineArrayStreamReader"/>) as
/// alternating rounds in one process, like <see cref="PairedRun"/>: report pages from memory (collected and streamed)
/// and 200,000 activities streamed from memory (16 KB per read) and over loopback HTTP. Printed per case: the median time per call of each reader and the
/// median and middle 80% of the round ratios (new over former).
/// </summary>
internal static class ReaderPairedRun
{
    public static async Task RunAsync()
    {
        Console.WriteLine("| Case | Rounds x calls | Former median (µs/call) | New median (µs/call) | Median ratio | Ratios, middle 80% |");
        Console.WriteLine("|---|---:|---:|---:|---:|---|");
        foreach (var (rows, calls) in new[] { (1, 20_000), (10_000, 20) })
        {
            var report = new ReportParsingBenchmarks { Rows = rows };
            report.Setup();
            await CompareAsync($"Report page, {rows:N0} rows, collected", 30, calls, report.BaselineReadInto, report.ReadInto);
            await CompareAsync($"Report page, {rows:N0} rows, streamed", 30, calls, report.BaselineStream, report.Stream);
            await CompareAsync($"Report page, {rows:N0} rows, the floor (\"former\") vs the row reader collecting", 30, calls, report.Floor, report.ReadInto);
        }

        // The bare array from memory, handed over 16 KB per read as a socket would: the readers alone, without the
        // loopback server's scheduling noise.
        var array = new ArrayParsingBenchmarks();
        await CompareAsync($"{Payloads.ActivityCount:N0} activities from memory, streamed", 40, 1, array.BaselineReader, array.RowReader);
        await CompareAsync("The same, System.Text.Json alone (\"former\") vs the row reader", 40, 1, array.SerializerAlone, array.RowReader);

        var streaming = new StreamingBenchmarks();
        await streaming.SetupAsync();
        try
        {
            await CompareAsync($"{Payloads.ActivityCount:N0} activities over HTTP, streamed", 20, 1, streaming.BaselineReaderOverHttp, streaming.ReaderOverHttp);
            await CompareAsync($"The same, System.Text.Json alone (\"former\") vs the row reader", 20, 1, streaming.SerializerAloneOverHttp, streaming.ReaderOverHttp);
        }
        finally
        {
            await streaming.CleanupAsync();
        }
    }

    private static async Task CompareAsync(string name, int rounds, int calls, Func<Task<int>> former, Func<Task<int>> current)
    {
        await TimeAsync(former, calls); // Warm-up of both ways.
        await TimeAsync(current, calls);
        var formerTimes = new List<double>();
        var currentTimes = new List<double>();
        var ratios = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var first = round % 2 == 0 ? former : current;
            var a = await TimeAsync(first, calls);
            var b = await TimeAsync(first == former ? current : former, calls);
            var (f, c) = first == former ? (a, b) : (b, a);
            formerTimes.Add(f);
            currentTimes.Add(c);
            ratios.Add(c / f);
        }

        ratios.Sort();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {name} | {rounds} x {calls:N0} | {Median(formerTimes):N2} | {Median(currentTimes):N2} | {Median(ratios):0.000} | {ratios[rounds / 10]:0.000} – {ratios[rounds - 1 - (rounds / 10)]:0.000} |"));
    }

    private static async Task<double> TimeAsync(Func<Task<int>> call, int calls)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++)
        {
            await call();
        }

        return watch.Elapsed.TotalMicroseconds / calls;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
    }
}
