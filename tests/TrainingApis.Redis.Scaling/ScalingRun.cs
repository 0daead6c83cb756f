using System.Diagnostics;
using System.Globalization;

namespace TrainingApis.Redis.Scaling;

/// <summary>
/// Starts instances as separate OS processes (<c>dotnet TrainingApis.Redis.Scaling.dll worker …</c>) against one Redis
/// server and one sandbox, waits for them, and merges what they sent.
/// </summary>
public static class ScalingRun
{
    /// <summary>Runs <paramref name="instances"/> processes of <paramref name="calls"/> calls each; throws when one fails or runs past <paramref name="timeout"/>.</summary>
    public static async Task<ScalingResult> RunAsync(
        string redis, Uri sandbox, string apiKey, string organizationId, string userId, int instances, int calls, int limit, TimeSpan window, TimeSpan timeout)
    {
        var prefix = "scaling-" + Guid.NewGuid().ToString("N")[..8] + ":";
        var dll = typeof(ScalingRun).Assembly.Location;
        var processes = new List<(Process Process, Task<string> Output, Task<string> Errors)>();
        var clock = Stopwatch.StartNew();
        try
        {
            for (var i = 0; i < instances; i++)
            {
                var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                start.ArgumentList.Add(dll);
                foreach (var argument in Worker.Arguments(redis, prefix, sandbox, apiKey, organizationId, userId, calls, limit, window))
                {
                    start.ArgumentList.Add(argument);
                }

                var process = Process.Start(start)!;
                processes.Add((process, process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync()));
            }

            using var cancel = new CancellationTokenSource(timeout);
            await Task.WhenAll(processes.Select(p => p.Process.WaitForExitAsync(cancel.Token)));
            var elapsed = clock.Elapsed;
            var sends = new List<(DateTime SentAt, int Status)>();
            var pids = new List<int>();
            foreach (var (process, output, errors) in processes)
            {
                var text = await output;
                if (process.ExitCode != 0 || !text.Contains("DONE", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"Instance {process.Id} exited with {process.ExitCode}: {text[^Math.Min(text.Length, 2000)..]} {await errors}");
                }

                pids.Add(process.Id);
                sends.AddRange(text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Where(line => line.StartsWith("SENT ", StringComparison.Ordinal))
                    .Select(line => line.Split(' '))
                    .Select(parts => (new DateTime(long.Parse(parts[1], CultureInfo.InvariantCulture), DateTimeKind.Utc), int.Parse(parts[2], CultureInfo.InvariantCulture))));
            }

            return new ScalingResult(pids, sends, elapsed, window);
        }
        finally
        {
            foreach (var (process, _, _) in processes)
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }

                process.Dispose();
            }
        }
    }
}
