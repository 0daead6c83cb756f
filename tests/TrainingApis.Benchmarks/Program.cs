using BenchmarkDotNet.Running;

namespace TrainingApis.Benchmarks;

/// <summary>
/// Entry point. Every argument goes to BenchmarkDotNet, e.g.
/// <c>dotnet run -c Release --project tests/TrainingApis.Benchmarks -- --filter *PerCall* --job short</c>;
/// <c>--peak</c> instead measures the managed memory of the three streaming ways (see <see cref="PeakMemory"/>) and
/// <c>--quota</c> the quota utilisation against the sandbox (see <see cref="QuotaRun"/>), <c>--paired</c> the per-call
/// comparison as alternating rounds in one process (see <see cref="PairedRun"/>), <c>--wire-bytes</c> the bytes a DI
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
            case ["--wire-bytes"]:
                Environment.ExitCode = await WireBytes.RunAsync();
                return;
            default:
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
                return;
        }
    }
}
