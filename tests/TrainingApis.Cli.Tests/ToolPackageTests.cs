using System.Diagnostics;
using System.Text;

namespace TrainingApis.Cli.Tests;

/// <summary>
/// <c>dotnet pack</c> makes TrainingApis.Cli a .NET tool that <c>dotnet tool install --add-source</c> installs from a
/// local folder, and the installed <c>trainingapis</c> runs. Slow (a Release build of the tool and the SDK): one test.
/// The build goes to artifacts/cli-pack in the repository (git-ignored), so that later runs are incremental.
/// </summary>
public sealed class ToolPackageTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(20);

    [Fact]
    public void The_packed_tool_installs_from_a_local_folder_and_runs()
    {
        var root = FindRepositoryRoot();
        var work = Directory.CreateTempSubdirectory("trainingapis-cli-pack-").FullName;
        try
        {
            var version = $"0.1.0-clitest.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
            var feed = Path.Combine(work, "feed");
            var tools = Path.Combine(work, "tools");

            var pack = Run("dotnet", ["pack", Path.Combine(root, "src", "TrainingApis.Cli", "TrainingApis.Cli.csproj"), "-c", "Release", "-o", feed,
                "--artifacts-path", Path.Combine(root, "artifacts", "cli-pack"), $"-p:MinVerVersionOverride={version}"], work);
            pack.ExitCode.Should().Be(0, pack.Output);
            File.Exists(Path.Combine(feed, $"TrainingApis.Cli.{version}.nupkg")).Should().BeTrue(pack.Output);

            var install = Run("dotnet", ["tool", "install", "--tool-path", tools, "--add-source", feed, "TrainingApis.Cli", "--version", version], work);
            install.ExitCode.Should().Be(0, install.Output);

            var help = Run(Path.Combine(tools, OperatingSystem.IsWindows() ? "trainingapis.exe" : "trainingapis"), ["--help"], work);
            help.ExitCode.Should().Be(0, help.Output);
            help.Output.Should().Contain("trainingapis [command] [options]").And.Contain("symtrain").And.Contain("senar").And.Contain("sandbox");
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // A temporary folder left behind is not a test failure.
            }
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

    private static (int ExitCode, string Output) Run(string fileName, IEnumerable<string> arguments, string folder)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
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
