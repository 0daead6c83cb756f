using System.Diagnostics;
using System.Globalization;

namespace TrainingApis.Benchmarks;

/// <summary>
/// <c>--paired-json</c>: the SDK's row reader against a baseline as alternating rounds, like <see cref="PairedRun"/>:
/// report pages from memory against the floor (the whole envelope by source generation) in this process; 200,000
/// activities streamed from memory (16 KB per read) and over loopback HTTP against System.Text.Json's
/// <c>DeserializeAsyncEnumerable</c> alone, in a fresh process per way and round (<c>--paired-json-way</c>). Printed per
/// case: the median time per call of each and the median and middle 80% of the round ratios (row reader over baseline).
/// The former vectorized reader's comparison is recorded in docs/benchmarks.md.
/// </summary>
internal static class ReaderPairedRun
{
    public static async Task RunAsync()
    {
        Console.WriteLine("| Case | Rounds x calls | Baseline median (µs/call) | Row reader median (µs/call) | Median ratio | Ratios, middle 80% |");
        Console.WriteLine("|---|---:|---:|---:|---:|---|");
        foreach (var (rows, calls) in new[] { (1, 20_000), (10_000, 20) })
        {
            var report = new ReportParsingBenchmarks { Rows = rows };
            report.Setup();
            await CompareAsync($"Report page, {rows:N0} rows, collected, the floor as baseline", 30, calls, report.Floor, report.ReadInto);
        }

        // The bare arrays in a fresh process per way and round: two readers in one process slow each other by sharing
        // System.Text.Json's JIT profile (one reader alone 388–394 ms per call, mixed with another 455–801 ms).
        foreach (var (source, rounds) in new[] { ("memory", 12), ("http", 10) })
        {
            var what = source == "memory" ? "from memory (16 KB per read)" : "over HTTP";
            await CompareInChildrenAsync($"{Payloads.ActivityCount:N0} activities {what}, streamed, System.Text.Json alone as baseline", rounds, source, "serializer", "new");
        }
    }

    /// <summary><c>--paired-json-way source way</c>: one way of reading the bare array in this process; prints µs per call.</summary>
    public static async Task RunWayAsync(string source, string way)
    {
        const int WarmUp = 2, Calls = 3;
        var array = new ArrayParsingBenchmarks();
        var streaming = new StreamingBenchmarks();
        if (source == "http")
        {
            await streaming.SetupAsync();
        }

        try
        {
            Func<Task<int>> call = (source, way) switch
            {
                ("memory", "new") => array.RowReader,
                ("memory", "serializer") => array.SerializerAlone,
                ("http", "new") => streaming.ReaderOverHttp,
                ("http", "serializer") => streaming.SerializerAloneOverHttp,
                _ => throw new ArgumentException($"Unknown way '{source} {way}'."),
            };
            await TimeAsync(call, WarmUp);
            Console.WriteLine((await TimeAsync(call, Calls)).ToString(CultureInfo.InvariantCulture));
        }
        finally
        {
            await streaming.CleanupAsync();
        }
    }

    private static async Task CompareInChildrenAsync(string name, int rounds, string source, string baseline, string current)
    {
        var baselineTimes = new List<double>();
        var currentTimes = new List<double>();
        var ratios = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            async Task<double> Run(string way) => double.Parse(await ChildProcess.RunAsync("--paired-json-way", source, way), CultureInfo.InvariantCulture);
            double f, c;
            if (round % 2 == 0)
            {
                f = await Run(baseline);
                c = await Run(current);
            }
            else
            {
                c = await Run(current);
                f = await Run(baseline);
            }

            baselineTimes.Add(f);
            currentTimes.Add(c);
            ratios.Add(c / f);
        }

        Print(name, $"{rounds} processes x 3", baselineTimes, currentTimes, ratios);
    }

    private static async Task CompareAsync(string name, int rounds, int calls, Func<Task<int>> baseline, Func<Task<int>> current)
    {
        await TimeAsync(baseline, calls); // Warm-up of both ways.
        await TimeAsync(current, calls);
        var baselineTimes = new List<double>();
        var currentTimes = new List<double>();
        var ratios = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var first = round % 2 == 0 ? baseline : current;
            var a = await TimeAsync(first, calls);
            var b = await TimeAsync(first == baseline ? current : baseline, calls);
            var (f, c) = first == baseline ? (a, b) : (b, a);
            baselineTimes.Add(f);
            currentTimes.Add(c);
            ratios.Add(c / f);
        }

        Print(name, string.Create(CultureInfo.InvariantCulture, $"{rounds} x {calls:N0}"), baselineTimes, currentTimes, ratios);
    }

    private static void Print(string name, string rounds, List<double> baselineTimes, List<double> currentTimes, List<double> ratios)
    {
        ratios.Sort();
        var tenth = ratios.Count / 10;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {name} | {rounds} | {Median(baselineTimes):N2} | {Median(currentTimes):N2} | {Median(ratios):0.000} | {ratios[tenth]:0.000} – {ratios[ratios.Count - 1 - tenth]:0.000} |"));
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
