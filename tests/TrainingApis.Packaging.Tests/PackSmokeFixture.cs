using System.Diagnostics;
using System.Text;

namespace TrainingApis.Packaging.Tests;

/// <summary>Runs <c>eng/pack-smoke.sh</c> once for the tests of the collection and keeps its packages until they end.</summary>
public sealed class PackSmokeFixture : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(20);

    public PackSmokeFixture()
    {
        RepositoryRoot = FindRepositoryRoot();
        WorkFolder = Path.Combine(Path.GetTempPath(), "trainingapis-pack-smoke-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(WorkFolder);
        Version = $"0.1.0-smoke.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        (ExitCode, Output) = Run(
            "bash",
            [Path.Combine(RepositoryRoot, "eng", "pack-smoke.sh")],
            new Dictionary<string, string> { ["PACK_SMOKE_WORK"] = WorkFolder, ["PACK_SMOKE_VERSION"] = Version });
        Commit = Run("git", ["-C", RepositoryRoot, "rev-parse", "HEAD"], new Dictionary<string, string>()).Output.Trim();
    }

    public string RepositoryRoot { get; }

    public string WorkFolder { get; }

    public string Feed => Path.Combine(WorkFolder, "feed");

    public string Version { get; }

    public int ExitCode { get; }

    public string Output { get; }

    /// <summary>The commit the packages were built from.</summary>
    public string Commit { get; }

    public string PackagePath(string id, string extension = "nupkg") => Path.Combine(Feed, $"{id}.{Version}.{extension}");

    public void Dispose()
    {
        try
        {
            Directory.Delete(WorkFolder, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is not a test failure.
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "TrainingApis.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("TrainingApis.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Runs a program to its end (at most 20 minutes) and returns its exit code and its stdout and stderr, in order.</summary>
    /// <param name="fileName">The program.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="environment">Variables to set.</param>
    /// <param name="workingDirectory">Where it runs; the current directory when null.</param>
    internal static (int ExitCode, string Output) Run(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // A build started from a test must not inherit the test host's MSBuild settings.
        foreach (var name in new[] { "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildSDKsPath", "MSBUILDNOINPROCNODE", "VSTEST_HOST_DEBUG" })
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} did not finish within {Limit}:\n{output}");
        }

        process.WaitForExit();
        return (process.ExitCode, output.ToString());

        void Append(string? line)
        {
            if (line is not null)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PackSmokeCollection : ICollectionFixture<PackSmokeFixture>
{
    public const string Name = "pack-smoke";
}
