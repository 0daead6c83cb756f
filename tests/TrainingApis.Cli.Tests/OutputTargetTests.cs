using System.Diagnostics;

namespace TrainingApis.Cli.Tests;

/// <summary>
/// The rules of every file a command writes: a symbolic link, named pipe or device is refused (exit 2, naming it); an
/// existing file is replaced only with --overwrite (or by --resume of the export that wrote it), keeping its permissions.
/// Links and pipes are made in a temp folder, never under /dev.
/// </summary>
public sealed class OutputTargetTests(CliSandboxFixture fixture) : IClassFixture<CliSandboxFixture>
{
    private const string Range = "--from 2025-01-01 --to 2025-01-31";

    /// <summary>Every command that writes a file, with its target relative to the run's folder.</summary>
    public static TheoryData<string, string> Writers() => new()
    {
        { "senar activities export --out target.csv --sandbox", "target.csv" },
        { "senar activities export --out target.jsonl --sandbox", "target.jsonl" },
        { "senar users export --out target.csv --sandbox", "target.csv" },
        { $"symtrain reports export --report users {Range} --out out --sandbox", "out/users.csv" },
        { $"symtrain reports export --report users {Range} --out out --format jsonl --sandbox", "out/users.jsonl" },
    };

    [Theory]
    [MemberData(nameof(Writers))]
    public async Task A_symbolic_link_target_is_refused_and_left_alone(string command, string target)
    {
        var run = new CliRun(fixture.Sandbox);
        Directory.CreateDirectory(Path.GetDirectoryName(run.PathOf(target))!);
        await File.WriteAllTextAsync(run.PathOf("real.txt"), "the link's target");
        File.CreateSymbolicLink(run.PathOf(target), run.PathOf("real.txt"));

        foreach (var more in new[] { Array.Empty<string>(), ["--overwrite"] })
        {
            var result = await run.RunAsync([.. command.Split(' '), .. more]);

            result.ExitCode.Should().Be(2, result.ToString());
            result.Error.Should().Contain(Path.GetFileName(target)).And.Contain("symbolic link");
            result.Transport.Requests.Should().BeEmpty();
            new FileInfo(run.PathOf(target)).LinkTarget.Should().NotBeNull("the link is still a link");
            (await File.ReadAllTextAsync(run.PathOf("real.txt"))).Should().Be("the link's target");
        }
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public async Task A_named_pipe_target_is_refused_and_stays_a_pipe(string command, string target)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // no mkfifo: Windows pipes are not files in a folder
        }

        var run = new CliRun(fixture.Sandbox);
        Directory.CreateDirectory(Path.GetDirectoryName(run.PathOf(target))!);
        using (var mkfifo = Process.Start("mkfifo", [run.PathOf(target)]))
        {
            await mkfifo.WaitForExitAsync();
            mkfifo.ExitCode.Should().Be(0);
        }

        var result = await run.RunAsync([.. command.Split(' '), "--overwrite"]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Error.Should().Contain(Path.GetFileName(target)).And.Contain("named pipe");
        result.Transport.Requests.Should().BeEmpty();
        TrainingApis.Cli.Export.FileKind.NotRegular(run.PathOf(target)).Should().Be("a named pipe (FIFO)");
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public async Task An_existing_file_needs_overwrite_and_keeps_its_permissions(string command, string target)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var run = new CliRun(fixture.Sandbox);
        Directory.CreateDirectory(Path.GetDirectoryName(run.PathOf(target))!);
        await File.WriteAllTextAsync(run.PathOf(target), "mine");
        File.SetUnixFileMode(run.PathOf(target), UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var refused = await run.RunAsync(command.Split(' '));
        var replaced = await run.RunAsync([.. command.Split(' '), "--overwrite"]);

        refused.ExitCode.Should().Be(2, refused.ToString());
        refused.Error.Should().Contain(Path.GetFileName(target)).And.Contain("--overwrite");
        refused.Transport.Requests.Should().BeEmpty();
        replaced.ExitCode.Should().Be(0, replaced.ToString());
        (await File.ReadAllTextAsync(run.PathOf(target))).Should().NotBe("mine");
        File.GetUnixFileMode(run.PathOf(target)).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite, "a 600 file stays 600");
    }

    [Fact]
    public async Task Resume_never_replaces_a_file_the_export_did_not_write()
    {
        var run = new CliRun(fixture.Sandbox);
        Directory.CreateDirectory(run.PathOf("out"));
        await File.WriteAllTextAsync(run.PathOf("out", "users.csv"), "the user's own users.csv");

        var result = await run.RunAsync(["symtrain", "reports", "export", "--report", "users", .. Range.Split(' '), "--out", "out", "--resume", "--sandbox"]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Error.Should().Contain("users.csv").And.Contain("did not write");
        result.Transport.Requests.Should().BeEmpty();
        (await File.ReadAllTextAsync(run.PathOf("out", "users.csv"))).Should().Be("the user's own users.csv");
    }

    [Theory]
    [InlineData("--from 2025-01-01 --to 2025-01-31 --report syms", "2025-01-01..2025-01-31")]
    [InlineData("--from 2025-01-02 --to 2025-01-31 --report users", "2025-01-02..2025-01-31")]
    [InlineData("--from 2025-01-01 --to 2025-01-31 --report users --format jsonl", "jsonl")]
    public async Task Resume_with_another_range_report_or_format_is_refused_naming_both(string other, string expected)
    {
        var run = new CliRun(fixture.Sandbox);
        string[] first = ["symtrain", "reports", "export", "--report", "users", .. Range.Split(' '), "--out", "out", "--sandbox"];
        (await run.RunAsync(first)).ExitCode.Should().Be(0);
        var before = await File.ReadAllTextAsync(run.PathOf("out", "users.csv"));

        var result = await run.RunAsync(["symtrain", "reports", "export", .. other.Split(' '), "--out", "out", "--resume", "--sandbox"]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Error.Should().Contain("2025-01-01..2025-01-31, csv, users").And.Contain(expected);
        result.Transport.Requests.Should().BeEmpty();
        (await File.ReadAllTextAsync(run.PathOf("out", "users.csv"))).Should().Be(before);
    }
}
