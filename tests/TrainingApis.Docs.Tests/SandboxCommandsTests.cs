using System.Text.RegularExpressions;

namespace TrainingApis.Docs.Tests;

/// <summary>A shell command of the docs that calls the standalone sandbox uses the port the docs started it on.</summary>
public sealed partial class SandboxCommandsTests
{
    public static TheoryData<string> Pages()
    {
        var data = new TheoryData<string>();
        foreach (var file in RepositoryFiles.MarkdownWithCode())
        {
            data.Add(file);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void A_call_to_the_standalone_sandbox_uses_the_port_it_was_started_on(string file)
    {
        var problems = FindProblems(file, RepositoryFiles.Read(file));

        problems.Should().BeEmpty(string.Join("\n", problems));
    }

    [Fact]
    public void A_call_to_a_port_other_than_the_one_started_on_is_named()
    {
        var problems = FindProblems("docs/x.md", """
            ```sh
            dotnet run --project src/TrainingApis.Sandbox -- --port 0
            curl -s http://127.0.0.1:5080/v2/report/syms-result
            ```

            ```sh
            dotnet run --project src/TrainingApis.Sandbox
            curl -s http://127.0.0.1:5080/v2/report/users
            dotnet run --project src/TrainingApis.Sandbox -- --port 5081 --seed 2
            curl -s http://localhost:5080/v2/report/users
            ```
            """);

        problems.Should().Equal(
            "docs/x.md line 3: calls port 5080, but the sandbox above was started with --port 0 (a free port: use the address it prints).",
            "docs/x.md line 10: calls port 5080, but the sandbox above was started on port 5081.");
    }

    private static List<string> FindProblems(string file, string markdown)
    {
        var problems = new List<string>();
        int? port = null;
        foreach (var block in MarkdownCode.AllBlocks(file, markdown).Where(b => b.Language is "sh" or "bash" or "shell"))
        {
            for (var i = 0; i < block.Lines.Count; i++)
            {
                var line = block.Lines[i];
                if (line.Contains("--project src/TrainingApis.Sandbox", StringComparison.Ordinal))
                {
                    port = PortOption().Match(line) is { Success: true } option ? int.Parse(option.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture) : 5080;
                    continue;
                }

                if (port is { } started && LocalAddress().Match(line) is { Success: true } call)
                {
                    var called = int.Parse(call.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
                    if (started == 0)
                    {
                        problems.Add($"{file} line {block.Line + i + 1}: calls port {called}, but the sandbox above was started with --port 0 (a free port: use the address it prints).");
                    }
                    else if (called != started)
                    {
                        problems.Add($"{file} line {block.Line + i + 1}: calls port {called}, but the sandbox above was started on port {started}.");
                    }
                }
            }
        }

        return problems;
    }

    [GeneratedRegex(@"--port\s+(?<port>\d+)")]
    private static partial Regex PortOption();

    [GeneratedRegex(@"https?://(?:127\.0\.0\.1|localhost):(?<port>\d+)")]
    private static partial Regex LocalAddress();
}
