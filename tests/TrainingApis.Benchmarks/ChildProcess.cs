using System.Diagnostics;

namespace TrainingApis.Benchmarks;

/// <summary>This program run again in a fresh process: a way measured without the JIT profile or heap of another.</summary>
internal static class ChildProcess
{
    /// <summary>Runs the program with <paramref name="arguments"/>; returns the last line it printed.</summary>
    public static async Task<string> RunAsync(params string[] arguments)
    {
        // The apphost when started by `dotnet run`; `dotnet <dll>` otherwise.
        var self = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the measuring process.");
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"The measuring process ({string.Join(' ', arguments)}) exited with {child.ExitCode}: {output}");
        }

        return output.Trim().Split('\n')[^1];
    }
}
