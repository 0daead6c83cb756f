using System.Diagnostics;
using System.Text;

namespace TrainingApis.Samples.Tests;

/// <summary>
/// A program of this repository run as a child process from its own build output (<c>dotnet Name.dll</c>, so the
/// process id is the program's), with its output collected line by line. Killed when disposed if still running.
/// </summary>
public sealed class ChildProgram : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<string> _lines = [];
    private readonly SemaphoreSlim _lineAdded = new(0);

    private ChildProgram(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything written to stdout and stderr so far, in order.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <c>dotnet &lt;project folder&gt;/bin/&lt;configuration&gt;/net10.0/&lt;name&gt;.dll</c>.</summary>
    /// <param name="projectFolder">The project's folder relative to the repository root, e.g. <c>samples/Quickstart</c>.</param>
    /// <param name="environment">Variables to set (a null value removes the variable).</param>
    /// <param name="arguments">The program's arguments.</param>
    public static ChildProgram Start(string projectFolder, IReadOnlyDictionary<string, string?>? environment = null, params string[] arguments)
    {
        var name = Path.GetFileName(projectFolder);
        var dll = Path.Combine(Repository.Root, projectFolder, "bin", Repository.Configuration, "net10.0", name + ".dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is not built (the test project references {name} so that it is).", dll);
        }

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test's own credentials (if any) must not turn a sandbox run into a real one.
        foreach (var variable in new[] { "SYMTRAIN_API_KEY", "SYMTRAIN_BASE_ADDRESS", "SENAR_USERNAME", "SENAR_PASSWORD", "SENAR_BASE_ADDRESS" })
        {
            start.Environment.Remove(variable);
        }

        foreach (var (variable, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(variable);
            }
            else
            {
                start.Environment[variable] = value;
            }
        }

        var process = new Process { StartInfo = start };
        var child = new ChildProgram(process);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for a line that starts with <paramref name="prefix"/>, and returns it.</summary>
    /// <exception cref="TimeoutException">No such line within <paramref name="limit"/>, or the program ended first.</exception>
    public async Task<string> WaitForLineAsync(string prefix, TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        var seen = 0;
        while (true)
        {
            lock (_output)
            {
                for (; seen < _lines.Count; seen++)
                {
                    if (_lines[seen].StartsWith(prefix, StringComparison.Ordinal))
                    {
                        return _lines[seen];
                    }
                }
            }

            var left = limit - deadline.Elapsed;
            if (left <= TimeSpan.Zero || (_process.HasExited && seen == LineCount))
            {
                throw new TimeoutException($"No line starting with '{prefix}' within {limit.TotalSeconds:0} s (exited: {_process.HasExited}). Output:\n{Output}");
            }

            await _lineAdded.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Sends a POSIX signal with <c>kill -SIGNAL pid</c> (<see cref="Process.Kill()"/> would be SIGKILL).</summary>
    public void Signal(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {Id} failed with exit code {kill.ExitCode}.");
        }
    }

    /// <summary>Waits for the program to end; false when it is still running after <paramref name="limit"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }

        _process.Dispose();
        _lineAdded.Dispose();
    }

    private int LineCount
    {
        get
        {
            lock (_output)
            {
                return _lines.Count;
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            _lines.Add(line);
        }

        _lineAdded.Release();
    }
}
