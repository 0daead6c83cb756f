using BenchmarkDotNet.Running;

namespace TrainingApis.Benchmarks;

/// <summary>
/// Entry point: every argument goes to BenchmarkDotNet, e.g.
/// <c>dotnet run -c Release --project tests/TrainingApis.Benchmarks -- --filter *PerCall* --job short</c>.
/// </summary>
internal static class Program
{
    public static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
