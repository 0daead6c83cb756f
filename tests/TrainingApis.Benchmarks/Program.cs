using BenchmarkDotNet.Running;

namespace TrainingApis.Benchmarks;

/// <summary>
/// Entry point. Every argument goes to BenchmarkDotNet, e.g.
/// <c>dotnet run -c Release --project tests/TrainingApis.Benchmarks -- --filter *PerCall* --job short</c>;
/// <c>--peak</c> instead measures the managed memory of the three streaming ways (see <see cref="PeakMemory"/>) and
/// <c>--quota</c> the quota utilisation against the sandbox (see <see cref="QuotaRun"/>), <c>--paired</c> the per-call
/// comparison as alternating rounds in one process (see <see cref="PairedRun"/>), <c>--paired-json</c> the row reader against the
/// former one the same way (see <see cref="ReaderPairedRun"/>).
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
            case ["--paired-json"]:
                await ReaderPairedRun.RunAsync();
                return;
            default:
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
                return;
        }
    }
}
