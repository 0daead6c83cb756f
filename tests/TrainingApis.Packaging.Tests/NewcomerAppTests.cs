using System.Text;
using System.Text.RegularExpressions;
using TrainingApis.Docs.Tests;
using Xunit.Abstractions;

namespace TrainingApis.Packaging.Tests;

/// <summary>
/// A fresh console app outside the repository follows only docs/getting-started.md, on the packages that
/// eng/pack-local.sh packed for this run (<see cref="PackSmokeFixture"/>): it runs the page's install commands, pastes
/// each C# block of the page with the page's usings, builds, and runs the block that starts the sandbox. The blocks
/// are read from the page at test time, so a change to the page that breaks a newcomer fails here.
/// </summary>
[Collection(PackSmokeCollection.Name)]
public sealed partial class NewcomerAppTests(PackSmokeFixture smoke, ITestOutputHelper log)
{
    private const string Page = "docs/getting-started.md";

    [Fact]
    public void A_fresh_app_following_getting_started_installs_compiles_every_block_and_runs_against_the_sandbox()
    {
        smoke.ExitCode.Should().Be(0, "the packages were packed with eng/pack-local.sh:\n{0}", smoke.Output);
        var markdown = File.ReadAllText(Path.Combine(smoke.RepositoryRoot, Page));
        var shell = MarkdownCode.AllBlocks(Page, markdown).Where(b => b.Language is "sh" or "bash" or "shell").SelectMany(b => b.Lines).Select(l => l.Trim()).ToList();
        var blocks = MarkdownCode.CSharpBlocks(Page, markdown);
        shell.Should().Contain("eng/pack-local.sh", "the page packs with the script this run packed with");
        blocks.Should().NotBeEmpty();

        var watch = System.Diagnostics.Stopwatch.StartNew();

        // 1. A new console app in a folder of its own, outside the repository, with the machine's package sources.
        var folder = Path.Combine(smoke.WorkFolder, "newcomer");
        var app = Path.Combine(folder, "App");
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(smoke.WorkFolder, "app", "nuget.config"), Path.Combine(folder, "nuget.config"));
        Dotnet(folder, "new", "console", "-o", "App", "--framework", "net10.0");

        log.WriteLine($"dotnet new console: {watch.Elapsed.TotalSeconds:0} s");

        // 2. The page's install commands, with the version and folder that pack-local.sh printed for this run.
        var adds = shell.Where(line => line.StartsWith("dotnet add package ", StringComparison.Ordinal)).ToList();
        adds.Should().Contain(line => line.Contains("--source", StringComparison.Ordinal), "the page installs from the local folder");
        foreach (var line in adds)
        {
            var command = VersionOption().Replace(SourceOption().Replace(line, $"--source \"{smoke.Feed}\""), $"--version {smoke.Version}");
            var (exitCode, output) = PackSmokeFixture.Run("bash", ["-c", command], Variables(), app);
            exitCode.Should().Be(0, "the page's command `{0}` (run as `{1}`) works in a fresh app:\n{2}", line, command, output);
        }

        log.WriteLine($"+ {adds.Count} dotnet add package: {watch.Elapsed.TotalSeconds:0} s");

        // 3. Every C# block, pasted with the page's usings. The one that starts the sandbox is Program.cs; each other one
        // becomes the body of a method of its own file (a block that uses what the block before it declared continues it).
        var usings = blocks.SelectMany(b => b.Lines).Where(CodeText.IsUsingDirective).Select(l => l.Trim()).Distinct(StringComparer.Ordinal).ToList();
        var main = blocks.Single(b => b.Lines.Any(l => l.Contains("TrainingSandbox.StartAsync", StringComparison.Ordinal)));
        File.WriteAllText(Path.Combine(app, "Program.cs"), string.Join("\n", usings.Concat(Code(main))) + "\n");
        var others = blocks.Where(b => b != main).ToList();
        var continued = new HashSet<CodeBlock>();
        WriteSnippets(app, others, usings, blocks, continued);
        var alone = Build(app);
        var errors = alone;

        // CS0103: a name not declared; CS8801: declared in Program.cs's top-level statements, out of a method's reach.
        var undeclared = others.Where(b => alone.Any(e => e.File == SnippetFile(b) && e.Code is "CS0103" or "CS8801")).ToList();
        if (undeclared.Count > 0)
        {
            continued.UnionWith(undeclared);
            WriteSnippets(app, others, usings, blocks, continued);
            var after = Build(app);

            // A block the previous one does not complete keeps the errors it has alone (a missing using, not a variable).
            var unresolved = undeclared.Select(SnippetFile).Where(file => after.Any(e => e.File == file)).ToHashSet();
            errors = [.. after.Where(e => !unresolved.Contains(e.File)), .. alone.Where(e => unresolved.Contains(e.File))];
        }

        errors.Should().BeEmpty(
            "each block of {0} compiles in a fresh console app with only the page's packages [{1}] and usings [{2}]:\n{3}",
            Page,
            string.Join(", ", adds.Select(a => a.Split(' ')[3])),
            string.Join(" ", usings),
            string.Join("\n", errors.Select(e => $"{Describe(blocks, e.File)}: {e.Line}")));

        log.WriteLine($"+ build of {blocks.Count} blocks ({continued.Count} continuing the block before): {watch.Elapsed.TotalSeconds:0} s");

        // 4. The sandbox block runs as the page shows it, against the sandbox it starts.
        var run = PackSmokeFixture.Run("dotnet", ["run", "--no-build"], Variables(), app);
        run.ExitCode.Should().Be(0, "{0} block {1} runs:\n{2}", Page, main.Number, run.Output);
        run.Output.Should().MatchRegex(@"(?m)^[0-9]+ attempts\s*$", "the block prints what the sandbox answered");
        log.WriteLine($"+ dotnet run: {watch.Elapsed.TotalSeconds:0} s");

        // The packages came from this run's folder, not from an older build.
        var assets = File.ReadAllText(Path.Combine(app, "obj", "project.assets.json"));
        foreach (var id in new[] { "Symtrain.Client", "Senar.Client", "TrainingApis.Sandbox", "TrainingApis.Core" })
        {
            assets.Should().Contain($"\"{id}/{smoke.Version}\"");
        }
    }

    private static IEnumerable<string> Code(CodeBlock block) => block.Lines.Where(l => !CodeText.IsUsingDirective(l));

    private static string SnippetFile(CodeBlock block) => $"Block{block.Number}.cs";

    private static string Describe(IReadOnlyList<CodeBlock> blocks, string file) =>
        blocks.FirstOrDefault(b => SnippetFile(b) == file) is { } block ? block.ToString() : file == "Program.cs" ? $"{Page}: the sandbox block (Program.cs)" : file;

    /// <summary>Writes each block as the body of a method; a block in <paramref name="continued"/> follows the page's block before it.</summary>
    private static void WriteSnippets(string app, IReadOnlyList<CodeBlock> others, IReadOnlyList<string> usings, IReadOnlyList<CodeBlock> all, IReadOnlySet<CodeBlock> continued)
    {
        foreach (var block in others)
        {
            var previous = all.LastOrDefault(b => b.Number < block.Number);
            var body = continued.Contains(block) && previous is not null ? Code(previous).Concat(Code(block)) : Code(block);
            var text = new StringBuilder();
            usings.ToList().ForEach(u => text.AppendLine(u));
            text.AppendLine($"// {block}");
            text.AppendLine($"internal static class Block{block.Number}");
            text.AppendLine("{");
            text.AppendLine("    public static async Task RunAsync(string[] args)");
            text.AppendLine("    {");
            foreach (var line in body)
            {
                text.AppendLine("        " + line);
            }

            text.AppendLine("        await Task.CompletedTask;");
            text.AppendLine("    }");
            text.AppendLine("}");
            File.WriteAllText(Path.Combine(app, SnippetFile(block)), text.ToString());
        }
    }

    /// <summary>Builds the app; its compile errors (file name, code, line of the build output), or one line for a failure without any.</summary>
    private static List<(string File, string Code, string Line)> Build(string app)
    {
        var (exitCode, output) = PackSmokeFixture.Run("dotnet", ["build", "-nologo", "-clp:NoSummary"], Variables(), app);
        var errors = output.Split('\n')
            .Select(line => BuildError().Match(line.Trim()))
            .Where(m => m.Success)
            .Select(m => (Path.GetFileName(m.Groups["file"].Value), m.Groups["code"].Value, m.Value))
            .Distinct()
            .ToList();
        if (exitCode != 0 && errors.Count == 0)
        {
            errors.Add(("(build)", "?", output));
        }

        return errors;
    }

    private static void Dotnet(string folder, params string[] arguments)
    {
        var (exitCode, output) = PackSmokeFixture.Run("dotnet", arguments, Variables(), folder);
        exitCode.Should().Be(0, "dotnet {0}:\n{1}", string.Join(" ", arguments), output);
    }

    private static Dictionary<string, string> Variables() => new()
    {
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
    };

    [GeneratedRegex(@"--source\s+\S+")]
    private static partial Regex SourceOption();

    [GeneratedRegex(@"--version\s+\S+")]
    private static partial Regex VersionOption();

    [GeneratedRegex(@"^(?<file>[^\s(]+\.cs)\(\d+,\d+\): error (?<code>CS\d+): .*$")]
    private static partial Regex BuildError();
}
