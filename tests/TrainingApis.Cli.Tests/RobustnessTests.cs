namespace TrainingApis.Cli.Tests;

/// <summary>No input crashes the tool: every failure is one message and a documented exit code, never a stack trace.</summary>
public sealed class RobustnessTests(CliSandboxFixture fixture) : IClassFixture<CliSandboxFixture>
{
    private static void ShouldBeClean(CliResult result)
    {
        (result.Out + result.Error).Should().NotContain("   at ").And.NotContain("Exception:").And.NotContain("System.", result.ToString());
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("jsonl")]
    public async Task A_report_export_with_no_rows_writes_an_empty_file_and_resumes(string format)
    {
        var run = new CliRun(fixture.Sandbox);
        string[] export = ["symtrain", "reports", "export", "--report", "users", "--report", "syms-result", "--from", "2090-01-01", "--to", "2090-03-01", "--out", "z", "--format", format, "--sandbox"];

        var result = await run.RunAsync(export);
        var resumed = await run.RunAsync([.. export, "--resume"]);

        result.ExitCode.Should().Be(0, result.ToString());
        ShouldBeClean(result);
        new FileInfo(run.PathOf("z", "users." + format)).Length.Should().Be(0, "no row, no field seen: an empty file");
        new FileInfo(run.PathOf("z", "syms-result." + format)).Length.Should().Be(0);
        resumed.ExitCode.Should().Be(0, resumed.ToString());
        resumed.Error.Should().Contain("complete already");
        resumed.Transport.Requests.Should().BeEmpty();
    }

    [Theory]
    [InlineData("activities", "a.csv")]
    [InlineData("activities", "a.jsonl")]
    public async Task A_senar_export_with_no_rows_writes_an_empty_file(string what, string file)
    {
        var run = new CliRun(fixture.Sandbox);

        var result = await run.RunAsync(["senar", what, "export", "--out", file, "--since-id", "99999999", "--sandbox", "--json"]);

        result.ExitCode.Should().Be(0, result.ToString());
        ShouldBeClean(result);
        new FileInfo(run.PathOf(file)).Length.Should().Be(0);
        using var json = JsonDocument.Parse(result.Out);
        json.RootElement.GetProperty("rows").GetInt64().Should().Be(0);
    }

    public static TheoryData<string, string> NumericOptions() => new()
    {
        { "symtrain reports export --report users --from 2025-01-01 --to 2025-01-31 --out r --sandbox", "--max-requests" },
        { "senar activities export --out a.csv --sandbox", "--since-id" },
        { "senar users assign --email a@x.example --first-name A --last-name B --organization O --sandbox", "--collection" },
        { "sandbox", "--port" },
    };

    [Theory]
    [MemberData(nameof(NumericOptions))]
    public async Task A_number_that_does_not_parse_is_a_usage_error_naming_the_option(string command, string option)
    {
        foreach (var value in new[] { "99999999999", "abc", "-5", "1.5", "" })
        {
            var result = await new CliRun(fixture.Sandbox).RunAsync([.. command.Split(' '), option, value]);

            result.ExitCode.Should().Be(2, $"{option} '{value}': {result}");
            result.Error.Should().Contain(option).And.Contain("whole number");
            ShouldBeClean(result);
            result.Transport.Requests.Should().BeEmpty();
        }
    }

    [Fact]
    public async Task A_failure_nobody_foresaw_is_one_line_and_exit_1()
    {
        var run = new CliRun(fixture.Sandbox) { BeforeSend = _ => throw new InvalidProgramException("boom in the transport") };

        var result = await run.RunAsync(["symtrain", "library", "list", "--user", fixture.Sandbox.TraineeUsername, "--sandbox", "--json"]);

        result.ExitCode.Should().Be(1, result.ToString());
        result.Error.Should().Contain("boom in the transport").And.NotContain("   at ");
        using var json = JsonDocument.Parse(result.Out);
        json.RootElement.GetProperty("error").GetProperty("exitCode").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task Values_starting_with_at_are_values_not_response_files()
    {
        var run = new CliRun(fixture.Sandbox);

        var link = await run.RunAsync(["symtrain", "deep-link", "--user", "@pansy", "--simulation", fixture.Sandbox.SimulationId, "--sandbox"]);
        var library = await run.RunAsync(["symtrain", "library", "list", "--user", fixture.Sandbox.TraineeUsername, "--organization", "@SUM(1)", "--sandbox"]);

        link.Error.Should().NotContain("Response file").And.Contain("User '@pansy' was not found", "the API was asked for that user");
        library.Error.Should().NotContain("Response file");
        library.Transport.Requests.Should().NotBeEmpty("the value reached the API");
        library.ExitCode.Should().Be(1, "the API refused the unknown organization: " + library);
        library.Error.Should().Contain("@SUM(1)");
    }

    public static TheoryData<int, string> Failures() => new()
    {
        { 2, "symtrain library list --user u --colour red --json" },
        { 2, "symtrain reports export --report users --from 2025-01-01 --to 2025-01-31 --out r --max-requests abc --json --sandbox" },
        { 3, "senar webhooks register --url https://10.0.0.1/hook --event user --json" },
        { 3, "symtrain users import bad.csv --sandbox --json" },
        { 1, "symtrain library list --organization o --user u --json" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task With_json_every_failure_writes_one_error_document(int exitCode, string command)
    {
        var run = new CliRun(fixture.Sandbox);
        run.Environment["SYMTRAIN_API_KEY"] = "wrong-key";
        run.Environment["SYMTRAIN_BASE_ADDRESS"] = fixture.Sandbox.BaseAddress.ToString();
        run.Environment["SENAR_USERNAME"] = fixture.Sandbox.SenarUsername;
        run.Environment["SENAR_PASSWORD"] = fixture.Sandbox.SenarPassword;
        run.Environment["SENAR_BASE_ADDRESS"] = "https://senar.invalid/";
        await File.WriteAllTextAsync(run.PathOf("bad.csv"), "firstName,lastName,username,email,role,teamName,status,action\n,,x,y,admin,,?,?\n");

        var result = await run.RunAsync(command.Split(' '));

        result.ExitCode.Should().Be(exitCode, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        if (json.RootElement.TryGetProperty("error", out var error))
        {
            error.GetProperty("exitCode").GetInt32().Should().Be(exitCode);
            error.GetProperty("message").GetString().Should().NotBeNullOrWhiteSpace();
        }
        else
        {
            json.RootElement.GetProperty("valid").GetBoolean().Should().BeFalse("an invalid import file writes its problems document");
        }
    }

    [Fact]
    public async Task Cancelled_with_json_writes_the_error_document()
    {
        var run = new CliRun(fixture.Sandbox);
        using var cancel = new CancellationTokenSource();
        run.BeforeSend = _ =>
        {
            cancel.Cancel();
            cancel.Token.ThrowIfCancellationRequested();
        };

        var result = await run.RunAsync(["senar", "users", "export", "--out", "u.csv", "--sandbox", "--json"], cancel.Token);

        result.ExitCode.Should().Be(130, result.ToString());
        result.Error.Should().Contain("was not written").And.NotContain("--resume");
        using var json = JsonDocument.Parse(result.Out);
        json.RootElement.GetProperty("error").GetProperty("exitCode").GetInt32().Should().Be(130);
        File.Exists(run.PathOf("u.csv")).Should().BeFalse();
        Directory.GetFiles(run.Folder).Should().BeEmpty();
    }
}
