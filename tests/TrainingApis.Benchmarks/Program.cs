using BenchmarkDotNet.Running;

namespace TrainingApis.Benchmarks;

/// <summary>
/// Entry point. Every argument goes to BenchmarkDotNet, e.g.
/// <c>dotnet run -c Release --project tests/TrainingApis.Benchmarks -- --filter *PerCall* --job short</c>;
/// <c>--peak</c> instead measures the managed memory of the three streaming ways (see <see cref="PeakMemory"/>) and
/// <c>--quota</c> the quota utilisation against the sandbox (see <see cref="QuotaRun"/>), <c>--paired</c> the per-call
/// comparison as alternating rounds in one process (see <see cref="PairedRun"/>), <c>--paired-json</c> the row reader against its
/// baselines the same way (see <see cref="ReaderPairedRun"/>), <c>--wire-bytes</c> the bytes a DI
/// client and a hand-built one receive from a compressing server (see <see cref="WireBytes"/>).
/// </summary>
internal static class Program
{
    public static async Task Main(string[] args)
    {
        switch (args)
        {
            case ["--peak"]:
                await PeakMemory.RunAsync();
                return;
            case ["--peak-way", var way, var count, var address]:
                await PeakMemory.RunWayAsync(way, int.Parse(count, System.Globalization.CultureInfo.InvariantCulture), new Uri(address));
                return;
            case ["--quota"]:
                await QuotaRun.RunAsync();
                return;
            case ["--paired"]:
                await PairedRun.RunAsync();
                return;
            case ["--loop", var way, var rows, var seconds]:
                await LoopAsync(way, int.Parse(rows, System.Globalization.CultureInfo.InvariantCulture), double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture));
                return;
            case ["--wire-bytes"]:
                Environment.ExitCode = await WireBytes.RunAsync();
                return;
            case ["--paired-json-way", var source, var way]:
                await ReaderPairedRun.RunWayAsync(source, way);
                return;
            case ["--paired-json"]:
                await ReaderPairedRun.RunAsync();
                return;
            default:
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
                return;
        }
    }

    /// <summary>
    /// <c>--loop way rows seconds</c>: one way of <see cref="PerCallBenchmarks"/> called in a loop, for a profiler to
    /// attach to (e.g. <c>perf record -g -p</c> with <c>DOTNET_PerfMapEnabled=1</c>); prints calls per second.
    /// </summary>
    private static async Task LoopAsync(string way, int rows, double seconds)
    {
        var benchmarks = new PerCallBenchmarks { Rows = rows };
        await benchmarks.SetupAsync();
        Func<Task<int>> call = way switch
        {
            nameof(PerCallBenchmarks.Floor) => benchmarks.Floor,
            nameof(PerCallBenchmarks.SdkTyped) => benchmarks.SdkTyped,
            nameof(PerCallBenchmarks.SdkReportRow) => benchmarks.SdkReportRow,
            nameof(PerCallBenchmarks.Refit) => benchmarks.Refit,
            nameof(PerCallBenchmarks.Flurl) => benchmarks.Flurl,
            nameof(PerCallBenchmarks.RestSharp) => benchmarks.RestSharp,
            _ => throw new ArgumentException($"Unknown way '{way}'.", nameof(way)),
        };
        Console.WriteLine($"pid {Environment.ProcessId}");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var calls = 0;
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            await call();
            calls++;
        }

        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{way}: {calls / watch.Elapsed.TotalSeconds:N0} calls/s, CPU {Environment.CpuUsage.TotalTime.TotalMicroseconds / calls:N1} µs/call (process, whole run)"));
        await benchmarks.CleanupAsync();
    }
}
