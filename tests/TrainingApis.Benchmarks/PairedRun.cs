using System.Diagnostics;
using System.Globalization;

namespace TrainingApis.Benchmarks;

/// <summary>
/// <c>--paired</c>: the per-call comparison of <see cref="PerCallBenchmarks"/> (the floor, the SDK with typed rows,
/// Refit and Flurl) as interleaved rounds in one process, so that whatever else slows the machine down slows every way
/// alike. Each round times a batch of calls of each way, in an order that rotates from round to round; the ratio of a
/// way in a round is its time over the floor's time in the same round. Printed per way: the median per-call time and
/// the median and middle 80% of its round ratios; and the same for the process's CPU time (client and in-process server,
/// all threads), which a busy machine disturbs less than elapsed time, since time spent waiting for a core is not in it.
/// </summary>
internal static class PairedRun
{
    private const int Rounds = 30;

    public static async Task RunAsync()
    {
        Console.WriteLine("| Rows | Rounds x calls | Way | Median (µs/call) | Median ratio to floor | Ratios, middle 80% | CPU median (µs/call) | CPU ratio to floor |");
        Console.WriteLine("|---:|---:|---|---:|---:|---|---:|---:|");
        foreach (var (rows, calls) in new[] { (1, 2_000), (10_000, 20) })
        {
            var benchmarks = new PerCallBenchmarks { Rows = rows };
            await benchmarks.SetupAsync();
            try
            {
                (string Name, Func<Task<int>> Call)[] ways =
                [
                    (nameof(PerCallBenchmarks.Floor), benchmarks.Floor),
                    (nameof(PerCallBenchmarks.SdkTyped), benchmarks.SdkTyped),
                    (nameof(PerCallBenchmarks.Refit), benchmarks.Refit),
                    (nameof(PerCallBenchmarks.Flurl), benchmarks.Flurl),
                ];
                foreach (var way in ways)
                {
                    await TimeAsync(way.Call, calls); // Warm-up.
                }

                var times = ways.Select(_ => new List<double>()).ToArray();
                var ratios = ways.Select(_ => new List<double>()).ToArray();
                var cpuTimes = ways.Select(_ => new List<double>()).ToArray();
                var cpuRatios = ways.Select(_ => new List<double>()).ToArray();
                var round = new (double Elapsed, double Cpu)[ways.Length];
                for (var r = 0; r < Rounds; r++)
                {
                    for (var i = 0; i < ways.Length; i++)
                    {
                        var w = (i + r) % ways.Length;
                        round[w] = await TimeAsync(ways[w].Call, calls);
                    }

                    for (var w = 0; w < ways.Length; w++)
                    {
                        times[w].Add(round[w].Elapsed);
                        ratios[w].Add(round[w].Elapsed / round[0].Elapsed);
                        cpuTimes[w].Add(round[w].Cpu);
                        cpuRatios[w].Add(round[w].Cpu / round[0].Cpu);
                    }
                }

                for (var w = 0; w < ways.Length; w++)
                {
                    var sorted = ratios[w].Order().ToList();
                    Console.WriteLine(string.Create(
                        CultureInfo.InvariantCulture,
                        $"| {rows:N0} | {Rounds} x {calls:N0} | {ways[w].Name} | {Median(times[w]):N2} | {Median(sorted):0.000} | {sorted[Rounds / 10]:0.000} – {sorted[Rounds - 1 - (Rounds / 10)]:0.000} | {Median(cpuTimes[w]):N2} | {Median(cpuRatios[w]):0.000} |"));
                }
            }
            finally
            {
                await benchmarks.CleanupAsync();
            }
        }
    }

    private static async Task<(double Elapsed, double Cpu)> TimeAsync(Func<Task<int>> call, int calls)
    {
        var cpu = Environment.CpuUsage.TotalTime;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++)
        {
            await call();
        }

        var elapsed = watch.Elapsed.TotalMicroseconds / calls;
        return (elapsed, (Environment.CpuUsage.TotalTime - cpu).TotalMicroseconds / calls);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
    }
}
