using System.Diagnostics;
using System.Globalization;

namespace TrainingApis.Benchmarks;

/// <summary>
/// <c>--paired</c>: the per-call comparison of <see cref="PerCallBenchmarks"/> (floor vs SDK with typed rows) as
/// alternating rounds in one process, so that whatever else slows the machine down slows both alike. Each round times
/// a batch of floor calls and a batch of SDK calls (which goes first alternates); the ratio of each round is its SDK time
/// over its floor time. Printed: the median per-call time of each way and the median and middle 80% of the round ratios.
/// </summary>
internal static class PairedRun
{
    private const int Rounds = 30;

    public static async Task RunAsync()
    {
        Console.WriteLine("| Rows | Rounds x calls | Floor median (µs/call) | SDK median (µs/call) | Median ratio | Ratios, middle 80% |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---|");
        foreach (var (rows, calls) in new[] { (1, 2_000), (10_000, 20) })
        {
            var benchmarks = new PerCallBenchmarks { Rows = rows };
            await benchmarks.SetupAsync();
            try
            {
                await TimeAsync(benchmarks.Floor, calls); // Warm-up of both ways.
                await TimeAsync(benchmarks.SdkTyped, calls);
                var floor = new List<double>();
                var sdk = new List<double>();
                var ratios = new List<double>();
                for (var round = 0; round < Rounds; round++)
                {
                    double f, s;
                    if (round % 2 == 0)
                    {
                        f = await TimeAsync(benchmarks.Floor, calls);
                        s = await TimeAsync(benchmarks.SdkTyped, calls);
                    }
                    else
                    {
                        s = await TimeAsync(benchmarks.SdkTyped, calls);
                        f = await TimeAsync(benchmarks.Floor, calls);
                    }

                    floor.Add(f);
                    sdk.Add(s);
                    ratios.Add(s / f);
                }

                ratios.Sort();
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {rows:N0} | {Rounds} x {calls:N0} | {Median(floor):N2} | {Median(sdk):N2} | {Median(ratios):0.000} | {ratios[Rounds / 10]:0.000} – {ratios[Rounds - 1 - (Rounds / 10)]:0.000} |"));
            }
            finally
            {
                await benchmarks.CleanupAsync();
            }
        }
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
