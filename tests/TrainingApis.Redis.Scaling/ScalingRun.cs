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
        var processes = new List<(Process Process, Task<string> Output, Task<string> Errors, TaskCompletionSource Ready)>();
        var clock = Stopwatch.StartNew();
        try
        {
            for (var i = 0; i < instances; i++)
            {
                var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                start.ArgumentList.Add(dll);
                foreach (var argument in Worker.Arguments(redis, prefix, sandbox, apiKey, organizationId, userId, calls, limit, window))
                {
                    start.ArgumentList.Add(argument);
                }

                var process = Process.Start(start)!;
                var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                processes.Add((process, ReadAsync(process.StandardOutput, ready), process.StandardError.ReadToEndAsync(), ready));
            }

            // Every instance starts sending at once: a process that starts late under load would otherwise leave the
            // first window to the others (the run measures the shared quota, not process start-up).
            using (var starting = new CancellationTokenSource(timeout))
            {
                await Task.WhenAny(Task.WhenAll(processes.Select(p => p.Ready.Task)), Task.WhenAll(processes.Select(p => p.Process.WaitForExitAsync(starting.Token))));
            }

            foreach (var (process, _, _, _) in processes.Where(p => !p.Process.HasExited))
            {
                await process.StandardInput.WriteLineAsync(Worker.Go);
                await process.StandardInput.FlushAsync();
            }

            using var cancel = new CancellationTokenSource(timeout);
            await Task.WhenAll(processes.Select(p => p.Process.WaitForExitAsync(cancel.Token)));
            var elapsed = clock.Elapsed;
            var sends = new List<(DateTime SentAt, int Status, DateTime AnsweredAt)>();
            var pids = new List<int>();
            foreach (var (process, output, errors, _) in processes)
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
                    .Select(parts => (
                        new DateTime(long.Parse(parts[1], CultureInfo.InvariantCulture), DateTimeKind.Utc),
                        int.Parse(parts[2], CultureInfo.InvariantCulture),
                        new DateTime(long.Parse(parts[3], CultureInfo.InvariantCulture), DateTimeKind.Utc))));
            }

            return new ScalingResult(pids, sends, elapsed, window);
        }
        finally
        {
            foreach (var (process, _, _, _) in processes)
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }

                process.Dispose();
            }
        }
    }

    // The whole output; READY (the instance is built and waits for the signal to start) completes ready.
    private static async Task<string> ReadAsync(StreamReader output, TaskCompletionSource ready)
    {
        var text = new System.Text.StringBuilder();
        while (await output.ReadLineAsync() is { } line)
        {
            if (line == Worker.Ready)
            {
                ready.TrySetResult();
            }

            text.AppendLine(line);
        }

        ready.TrySetResult();
        return text.ToString();
    }
}
