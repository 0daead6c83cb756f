using CsvHelper;

namespace TrainingApis.Cli.Tests;

public sealed class SenarTests(CliSandboxFixture fixture) : IClassFixture<CliSandboxFixture>
{
    [Fact]
    public async Task Activities_export_holds_every_activity_the_sdk_reads_in_csv_and_jsonl()
    {
        var run = new CliRun(fixture.Sandbox);
        using var client = fixture.Senar();
        var activities = await client.Activities.ListAsync();

        var csv = await run.RunAsync(["senar", "activities", "export", "--out", "activities.csv", "--sandbox"]);
        var jsonl = await run.RunAsync(["senar", "activities", "export", "--out", "activities.jsonl", "--sandbox"]);

        csv.ExitCode.Should().Be(0, csv.ToString());
        jsonl.ExitCode.Should().Be(0, jsonl.ToString());
        CountCsvRows(run.PathOf("activities.csv")).Should().Be(activities.Count);
        var lines = await File.ReadAllLinesAsync(run.PathOf("activities.jsonl"));
        lines.Should().HaveCount(activities.Count);
        lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetInt32()).Should().Equal(activities.Select(a => a.Id));
        JsonDocument.Parse(lines[0]).RootElement.TryGetProperty("scenarioName", out _).Should().BeTrue();
    }

    [Theory]
    [InlineData("activities", "missing-folder/activities.csv", "there is no folder 'missing-folder'")]
    [InlineData("users", "missing-folder/users.jsonl", "there is no folder 'missing-folder'")]
    [InlineData("activities", "a-folder", "is a folder")]
    [InlineData("users", "a-folder", "is a folder")]
    public async Task An_out_file_that_cannot_be_written_is_a_usage_error_before_any_request(string what, string output, string expected)
    {
        var run = new CliRun(fixture.Sandbox);
        Directory.CreateDirectory(run.PathOf("a-folder"));

        var result = await run.RunAsync(["senar", what, "export", "--out", output, "--sandbox"]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Error.Should().Contain(expected).And.NotContain(".partial");
        result.Transport.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Since_id_keeps_only_later_activities()
    {
        var run = new CliRun(fixture.Sandbox);
        using var client = fixture.Senar();
        var activities = await client.Activities.ListAsync();
        var since = activities[activities.Count / 2].Id;

        var result = await run.RunAsync(["senar", "activities", "export", "--out", "later.jsonl", "--since-id", since.ToString(System.Globalization.CultureInfo.InvariantCulture), "--sandbox", "--json"]);

        result.ExitCode.Should().Be(0, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        json.RootElement.GetProperty("rows").GetInt64().Should().Be(activities.Count(a => a.Id > since));
        (await File.ReadAllLinesAsync(run.PathOf("later.jsonl"))).Should().OnlyContain(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetInt32() > since);
    }

    [Theory]
    [InlineData("activities", "csv")]
    [InlineData("activities", "jsonl")]
    [InlineData("users", "csv")]
    [InlineData("users", "jsonl")]
    public async Task Out_dash_streams_the_rows_to_standard_output_and_writes_no_file(string what, string format)
    {
        var run = new CliRun(fixture.Sandbox);
        using var client = fixture.Senar();
        var expected = what == "users" ? (await client.Users.ListAsync()).Count : (await client.Activities.ListAsync()).Count;

        var result = await run.RunAsync(["senar", what, "export", "--out", "-", "--format", format, "--sandbox"]);
        var withJson = await run.RunAsync(["senar", what, "export", "--out", "-", "--sandbox", "--json"]);

        result.ExitCode.Should().Be(0, result.ToString());
        var lines = System.Text.Encoding.UTF8.GetString(result.OutBytes).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(format == "csv" ? expected + 1 : expected, "one line per row, and the CSV header");
        result.Error.Should().Contain("→ standard output");
        Directory.GetFiles(run.Folder, "*", SearchOption.AllDirectories).Should().BeEmpty("nothing, not even a partial file, is written");
        withJson.ExitCode.Should().Be(2, withJson.ToString());
        withJson.Transport.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task The_since_id_help_example_filters()
    {
        var root = CliApp.BuildRoot(new TrainingApis.Cli.Hosting.CliHost { Out = TextWriter.Null, Error = TextWriter.Null });
        var example = TrainingApis.Cli.Commands.CommonOptions.Examples
            .SelectMany(e => e.Value).First(e => e.Contains("--since-id", StringComparison.Ordinal));
        GC.KeepAlive(root);
        var run = new CliRun(fixture.Sandbox);
        using var client = fixture.Senar();
        var all = (await client.Activities.ListAsync()).Count;

        var result = await run.RunAsync([.. example.Split(' ').Skip(1), "--json"]);

        result.ExitCode.Should().Be(0, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        json.RootElement.GetProperty("rows").GetInt64().Should().BeInRange(1, all - 1, "the example keeps some activities and drops others");
    }

    [Fact]
    public async Task Users_export_holds_every_user_the_sdk_reads()
    {
        var run = new CliRun(fixture.Sandbox);
        using var client = fixture.Senar();
        var users = await client.Users.ListAsync();

        var result = await run.RunAsync(["senar", "users", "export", "--out", "users.csv", "--sandbox"]);

        result.ExitCode.Should().Be(0, result.ToString());
        CountCsvRows(run.PathOf("users.csv")).Should().Be(users.Count);
    }

    [Fact]
    public async Task Users_assign_takes_the_password_from_the_environment_or_a_prompt_never_an_argument()
    {
        var run = new CliRun(fixture.Sandbox);
        string[] assign = ["senar", "users", "assign", "--email", "new.user@cli.example", "--first-name", "New", "--last-name", "User",
            "--organization", "Cli", "--collection", fixture.Sandbox.SenarCollectionId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--sandbox"];

        var missing = await run.RunAsync(assign);
        missing.ExitCode.Should().Be(2, missing.ToString());
        missing.Error.Should().Contain("SENAR_NEW_USER_PASSWORD");

        run.ReadSecret = _ => "short";
        var weak = await run.RunAsync(assign);
        weak.ExitCode.Should().Be(3, "the SDK refuses a weak password before sending: " + weak);
        weak.Transport.Requests.Should().BeEmpty();

        run.ReadSecret = null;
        run.Environment["SENAR_NEW_USER_PASSWORD"] = "Welcome2024";
        var assigned = await run.RunAsync([.. assign, "--json"]);
        assigned.ExitCode.Should().Be(0, assigned.ToString());
        using var json = JsonDocument.Parse(assigned.Out);
        json.RootElement.GetProperty("succeed").GetBoolean().Should().BeTrue();
        assigned.Out.Should().NotContain("Welcome2024");
        assigned.Error.Should().NotContain("Welcome2024");
    }

    [Fact]
    public async Task Assign_problems_name_the_options_not_the_sdk_fields()
    {
        var run = new CliRun(fixture.Sandbox);
        run.Environment["SENAR_NEW_USER_PASSWORD"] = "Welcome2024";

        var result = await run.RunAsync(["senar", "users", "assign", "--email", "not-an-email", "--first-name", "New", "--last-name", "User",
            "--organization", "Cli", "--collection", "41", "--sandbox"]);

        result.ExitCode.Should().Be(3, result.ToString());
        result.Error.Should().Contain("--email:").And.NotContain("Email:").And.NotContain("(Parameter");
        result.Transport.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Webhooks_register_prints_the_id_and_refuses_a_bad_url()
    {
        var run = new CliRun(fixture.Sandbox);

        var registered = await run.RunAsync(["senar", "webhooks", "register", "--url", "https://hooks.cli.example/senar", "--event", "activity", "--sandbox"]);
        var bad = await run.RunAsync(["senar", "webhooks", "register", "--url", "hooks.cli.example", "--event", "activity", "--sandbox"]);

        registered.ExitCode.Should().Be(0, registered.ToString());
        registered.Out.Should().MatchRegex("Webhook .+ registered: activity events to https://hooks.cli.example/senar");
        bad.ExitCode.Should().Be(3, "an invalid URL is invalid input, like every URL the rule refuses");
        bad.Transport.Requests.Should().BeEmpty();
    }

    public static TheoryData<string, string> RefusedHookUrls() => new()
    {
        { "http://hooks.example.com/senar", "https" },
        { "https://localhost/hook", "local" },
        { "https://10.1.2.3/hook", "private" },
        { "https://192.168.1.10/hook", "private" },
        { "https://169.254.169.254/latest/meta-data", "metadata" },
        { "https://0x7f000001/x", "loopback" },
        { "https://hooks.example.com/a b", "spaces" },
        { "https://hooks.example.com/" + new string('a', 10_000), "2,048" },
        { "ftp://hooks.example.com/senar", "https" },
        { "hooks.example.com/senar", "absolute https URL" },
        { "https://user:Hunter2pw@hooks.example.com/", "user info" },
    };

    [Theory]
    [MemberData(nameof(RefusedHookUrls))]
    public async Task Webhook_urls_follow_the_real_services_rule_even_in_the_sandbox(string url, string reason)
    {
        var run = new CliRun(fixture.Sandbox);

        var result = await run.RunAsync(["senar", "webhooks", "register", "--url", url, "--event", "user", "--sandbox"]);

        result.ExitCode.Should().Be(3, result.ToString());
        result.Error.Should().Contain("--url").And.Contain(reason).And.NotContain("Hunter2pw");
        result.Transport.Requests.Should().BeEmpty();
    }

    private static long CountCsvRows(string path)
    {
        using var reader = CsvReader.FromFile(path, new CsvReaderOptions { HasHeader = true, Separator = ',', DetectSeparatorHint = false });
        reader.ReadHeader();
        long rows = 0;
        while (reader.Read())
        {
            rows++;
        }

        return rows;
    }
}
