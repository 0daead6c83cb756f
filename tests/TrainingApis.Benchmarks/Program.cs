using BenchmarkDotNet.Running;

namespace TrainingApis.Benchmarks;

/// <summary>
/// Entry point. Every argument goes to BenchmarkDotNet, e.g.
/// <c>dotnet run -c Release --project tests/TrainingApis.Benchmarks -- --filter *PerCall* --job short</c>;
/// <c>--peak</c> instead measures the peak managed heap of the three streaming ways (see <see cref="PeakMemory"/>).
/// </summary>
internal static class Program
{
    public static async Task Main(string[] args)
    {
        if (args is ["--peak"])
        {
            await PeakMemory.RunAsync();
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
