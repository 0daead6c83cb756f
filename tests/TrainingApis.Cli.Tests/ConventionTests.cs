using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using TrainingApis.Cli.Hosting;

namespace TrainingApis.Cli.Tests;

public sealed class ConventionTests(CliSandboxFixture fixture) : IClassFixture<CliSandboxFixture>
{
    public static TheoryData<string> Commands()
    {
        var data = new TheoryData<string>();
        var root = CliApp.BuildRoot(new CliHost { Out = TextWriter.Null, Error = TextWriter.Null });
        foreach (var (path, _) in AllCommands(root, []))
        {
            data.Add(path);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Every_command_has_help_with_an_example(string command)
    {
        var result = await new CliRun(null).RunAsync([.. command.Split(' '), "--help"]);

        result.ExitCode.Should().Be(0);
        result.Out.Should().Contain("Usage:").And.Contain("Example").And.Contain("trainingapis " + command);
    }

    public static TheoryData<string> Examples() => [.. ExampleTexts()];

    /// <summary>Every example of every command's --help, but the sandbox's (it runs until Ctrl+C; Sandbox_runs_until_cancelled covers it).</summary>
    private static List<string> ExampleTexts()
    {
        var root = CliApp.BuildRoot(new CliHost { Out = TextWriter.Null, Error = TextWriter.Null });
        return [.. AllCommands(root, []).Select(c => c.Command).Prepend(root)
            .Where(command => command.Name != "sandbox")
            .SelectMany(command => TrainingApis.Cli.Commands.CommonOptions.Examples.TryGetValue(command, out var examples) ? examples : [])
            .Distinct(StringComparer.Ordinal)];
    }

    /// <summary>A newcomer copies an example from --help: it runs as shown, against the embedded sandbox.</summary>
    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Every_help_example_runs_as_shown(string example)
    {
        var run = new CliRun(fixture.Sandbox);
        var words = example.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (words[0].Contains('=', StringComparison.Ordinal))
        {
            // "SENAR_NEW_USER_PASSWORD=Welcome2024 trainingapis ...": the variable the example sets, with its value as shown.
            var equals = words[0].IndexOf('=', StringComparison.Ordinal);
            run.Environment[words[0][..equals]] = words[0][(equals + 1)..];
            words.RemoveAt(0);
        }

        words[0].Should().Be("trainingapis");
        if (words.Contains("import") || words.Contains("<task-id>"))
        {
            // The file the import examples name (docs/cli.md shows it); other examples write users.csv themselves.
            await File.WriteAllTextAsync(run.PathOf("users.csv"), "firstName,lastName,username,email,role,teamName,status,action\nAda,Lovelace,ada@help.example,ada@help.example,trainee,Sales,ACTIVE,Add\n");
        }

        if (words.Contains("<task-id>"))
        {
            // A placeholder for what an earlier command printed: the import's task, in the organization it went to.
            var import = await run.RunAsync(["symtrain", "users", "import", "users.csv", "--yes", "--sandbox", "--json"]);
            using var json = JsonDocument.Parse(import.Out);
            words[words.IndexOf("<task-id>")] = json.RootElement.GetProperty("uploads")[0].GetProperty("taskId").GetString()!;
            words[words.IndexOf("<organization-id>")] = fixture.Sandbox.OrganizationId;
            words.Add("--sandbox");
        }

        words.Should().Contain("--sandbox", "an example a newcomer can run as shown touches nothing real");
        var result = await run.RunAsync([.. words.Skip(1)]);

        result.ExitCode.Should().Be(0, result.ToString());
    }

    [Fact]
    public void The_help_examples_name_the_sandbox_trainee()
    {
        // The examples hard-code the seeded trainee; a change of the seed must change them.
        ExampleTexts().Where(e => e.Contains("--user", StringComparison.Ordinal))
            .Should().NotBeEmpty().And.OnlyContain(e => e.Contains("--user " + fixture.Sandbox.TraineeUsername + " ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unknown_options_and_missing_commands_are_usage_errors()
    {
        var unknown = await new CliRun(null).RunAsync(["symtrain", "library", "list", "--user", "u", "--colour"]);
        var missing = await new CliRun(null).RunAsync(["senar"]);

        unknown.ExitCode.Should().Be(2);
        unknown.Error.Should().Contain("--colour").And.Contain("--help");
        missing.ExitCode.Should().Be(2);
    }

    [Theory]
    [InlineData("senar", "users", "assign", "--email", "a@x.example", "--password", "Secret-Value-123")]
    [InlineData("senar", "users", "export", "--out", "u.csv", "--senar-password=Secret-Value-123")]
    [InlineData("symtrain", "library", "list", "--user", "u", "--api-key", "Secret-Value-123")]
    [InlineData("symtrain", "library", "list", "--user", "u", "--token:Secret-Value-123")]
    [InlineData("symtrain", "library", "list", "--user", "u", "--api_key", "Secret-Value-123")]
    [InlineData("senar", "users", "export", "--out", "u.csv", "--senar_password", "Secret-Value-123")]
    [InlineData("senar", "users", "export", "--out", "u.csv", "--pass", "Secret-Value-123")]
    [InlineData("symtrain", "library", "list", "--user", "u", "--key", "Secret-Value-123")]
    [InlineData("symtrain", "library", "list", "--user", "u", "-p", "Secret-Value-123")]
    [InlineData("symtrain", "library", "list", "--user", "u", "--bearer", "Secret-Value-123")]
    [InlineData("symtrain", "library", "list", "--user", "u", "--Auth=Secret-Value-123")]
    [InlineData("senar", "users", "export", "--out", "u.csv", "--credentials", "Secret-Value-123")]
    [InlineData("symtrain", "library", "list", "--user", "u", "--SYMTRAIN_API_KEY", "Secret-Value-123")]
    [InlineData("symtrain", "users", "import", "--key", "Secret-Value-123")]
    public async Task A_credential_given_as_an_argument_is_refused_and_never_repeated(params string[] args)
    {
        var result = await new CliRun(null).RunAsync(args);

        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain("never taken from the command line").And.Contain("--help");
        (result.Out + result.Error).Should().NotContain("Secret-Value-123");
    }

    [Fact]
    public async Task Without_credentials_the_tool_names_where_to_put_them_and_never_asks_for_an_argument()
    {
        var symtrain = await new CliRun(null).RunAsync(["symtrain", "library", "list", "--organization", "o", "--user", "u"]);
        var senar = await new CliRun(null).RunAsync(["senar", "users", "export", "--out", "u.csv"]);

        symtrain.ExitCode.Should().Be(2);
        symtrain.Error.Should().Contain("SYMTRAIN_API_KEY").And.Contain("trainingapis.json");
        senar.ExitCode.Should().Be(2);
        senar.Error.Should().Contain("SENAR_USERNAME");
    }

    [Fact]
    public async Task Credentials_come_from_the_settings_file_in_the_current_folder()
    {
        var run = new CliRun(null);
        await File.WriteAllTextAsync(run.PathOf("trainingapis.json"), $$"""
            {
              "symtrain": { "apiKey": "{{fixture.Sandbox.SymtrainApiKey}}", "baseAddress": "{{fixture.Sandbox.BaseAddress}}", "organizationId": "{{fixture.Sandbox.OrganizationId}}" },
              "senar": { "username": "{{fixture.Sandbox.SenarUsername}}", "password": "{{fixture.Sandbox.SenarPassword}}", "baseAddress": "{{fixture.Sandbox.BaseAddress}}" }
            }
            """);

        var symtrain = await run.RunAsync(["symtrain", "library", "list", "--user", fixture.Sandbox.TraineeUsername, "--search", "a"]);
        var senar = await run.RunAsync(["senar", "users", "export", "--out", "users.jsonl"]);

        symtrain.ExitCode.Should().Be(0, symtrain.ToString());
        senar.ExitCode.Should().Be(0, senar.ToString());
    }

    [Fact]
    public async Task An_invalid_address_is_a_usage_error()
    {
        var run = new CliRun(null);
        run.Environment["SYMTRAIN_API_KEY"] = "key";
        run.Environment["SYMTRAIN_BASE_ADDRESS"] = "http://symtrain.example/";

        var result = await run.RunAsync(["symtrain", "library", "list", "--organization", "o", "--user", "u"]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Error.Should().Contain("SYMTRAIN_BASE_ADDRESS").And.NotContain("Options");
        result.Transport.Requests.Should().BeEmpty();
    }

    [Theory]
    [InlineData("SYMTRAIN_BASE_ADDRESS", "symtrain library list --organization o --user u")]
    [InlineData("SENAR_BASE_ADDRESS", "senar users export --out u.csv")]
    [InlineData("SENAR_BASE_ADDRESS", "senar webhooks register --url https://hooks.example.com/x --event user")]
    public async Task A_base_address_with_user_info_is_refused_and_never_shown(string variable, string command)
    {
        var run = new CliRun(null);
        run.Environment["SYMTRAIN_API_KEY"] = "key";
        run.Environment["SENAR_USERNAME"] = "someone";
        run.Environment["SENAR_PASSWORD"] = "secret";
        run.Environment[variable] = $"http://admin:Hunter2pw@127.0.0.1:{fixture.Sandbox.BaseAddress.Port}/";

        var result = await run.RunAsync(command.Split(' '));
        var malformed = await run.RunAsync([.. command.Split(' '), "--json"]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Error.Should().Contain(variable).And.Contain("user name or password");
        result.Transport.Requests.Should().BeEmpty();
        (result.Out + result.Error + malformed.Out + malformed.Error).Should().NotContain("Hunter2pw").And.NotContain("admin");
    }

    [Fact]
    public async Task Settings_file_mistakes_are_named_as_such()
    {
        var run = new CliRun(null);
        Directory.CreateDirectory(run.PathOf("settings"));
        await File.WriteAllTextAsync(run.PathOf("typed.json"), """{ "symtrain": { "apiKey": ["not", "text"] } }""");

        run.Environment["TRAININGAPIS_SETTINGS"] = "settings";
        var folder = await run.RunAsync(["symtrain", "library", "list", "--organization", "o", "--user", "u"]);
        run.Environment["TRAININGAPIS_SETTINGS"] = "typed.json";
        var typed = await run.RunAsync(["symtrain", "library", "list", "--organization", "o", "--user", "u"]);

        folder.ExitCode.Should().Be(2, folder.ToString());
        folder.Error.Should().Contain("is a folder");
        typed.ExitCode.Should().Be(2, typed.ToString());
        typed.Error.Should().Contain("symtrain.apiKey").And.Contain("is a list").And.Contain("must be text");
    }

    [Fact]
    public async Task Sdk_setting_names_are_said_as_the_tool_names_them()
    {
        var run = new CliRun(null);
        run.Environment["SENAR_USERNAME"] = "someone";
        run.Environment["SENAR_PASSWORD"] = "secret";
        run.Environment["SENAR_BASE_ADDRESS"] = "http://senar.example/";

        var result = await run.RunAsync(["senar", "users", "export", "--out", "u.csv"]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Error.Should().Contain("SENAR_BASE_ADDRESS").And.NotContain("SenarClientOptions").And.NotContain("(Parameter");
    }

    [Fact]
    public async Task A_settings_file_named_by_the_environment_must_exist()
    {
        var run = new CliRun(null);
        run.Environment["TRAININGAPIS_SETTINGS"] = "missing.json";

        var result = await run.RunAsync(["symtrain", "library", "list", "--organization", "o", "--user", "u"]);

        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain("missing.json");
    }

    [Fact]
    public async Task An_api_refusal_exits_with_1_and_never_shows_the_key()
    {
        var run = new CliRun(null);
        run.Environment["SYMTRAIN_API_KEY"] = "wrong-key-4242";
        run.Environment["SYMTRAIN_BASE_ADDRESS"] = fixture.Sandbox.BaseAddress.ToString();

        var result = await run.RunAsync(["symtrain", "library", "list", "--organization", fixture.Sandbox.OrganizationId, "--user", fixture.Sandbox.TraineeUsername]);

        result.ExitCode.Should().Be(1, result.ToString());
        result.Error.Should().Contain("401");
        (result.Out + result.Error).Should().NotContain("wrong-key-4242");
    }

    [Fact]
    public async Task A_network_failure_exits_with_1()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now: connection refused
        var run = new CliRun(null) { ConfigureClient = options => options.Retry.MaxRetries = 0 };
        run.Environment["SENAR_USERNAME"] = "someone";
        run.Environment["SENAR_PASSWORD"] = "secret-9876";
        run.Environment["SENAR_BASE_ADDRESS"] = $"http://127.0.0.1:{port}/";

        var result = await run.RunAsync(["senar", "activities", "export", "--out", "a.csv"]);

        result.ExitCode.Should().Be(1, result.ToString());
        File.Exists(run.PathOf("a.csv")).Should().BeFalse();
        Directory.GetFiles(run.Folder).Should().BeEmpty("no partial file is left");
        (result.Out + result.Error).Should().NotContain("secret-9876");
    }

    [Fact]
    public async Task Redirected_output_has_no_ansi_codes()
    {
        var run = new CliRun(fixture.Sandbox);
        await File.WriteAllTextAsync(run.PathOf("users.csv"), "firstName,lastName,username,email,role,teamName,status,action\nA,B,a@x.example,b@x.example,trainee,,ACTIVE,Add\n");

        var results = new[]
        {
            await run.RunAsync(["symtrain", "reports", "export", "--report", "all", "--from", "2025-01-01", "--to", "2025-01-31", "--out", "out", "--sandbox"]),
            await run.RunAsync(["symtrain", "users", "import", "users.csv", "--sandbox"]),
            await run.RunAsync(["symtrain", "library", "list", "--user", fixture.Sandbox.TraineeUsername, "--sandbox"]),
            await run.RunAsync(["senar", "activities", "export", "--out", "a.csv", "--sandbox"]),
            await run.RunAsync(["symtrain", "reports", "export", "--report", "nope"]),
        };

        results.Select(r => r.ExitCode).Should().Equal(0, 3, 0, 0, 2);
        foreach (var result in results)
        {
            (result.Out + result.Error).Should().NotContain("\u001b", result.ToString());
            (result.Out + result.Error).Should().NotBeEmpty();
        }
    }

    [Fact]
    public async Task Sandbox_runs_until_cancelled()
    {
        using var stop = new CancellationTokenSource();
        var output = new StringWriter();
        var host = new CliHost { Out = TextWriter.Synchronized(output), Error = TextWriter.Null };
        var running = CliApp.RunAsync(["sandbox", "--port", "0", "--json"], host, stop.Token);

        var address = await WaitForAddressAsync(output);
        using (var http = new HttpClient())
        {
            var login = await http.PostAsync(new Uri(address, "api/auth/login"), new StringContent("""{"username":"nobody","password":"x"}""", System.Text.Encoding.UTF8, "application/json"));
            ((int)login.StatusCode).Should().BeInRange(400, 499, "the emulator answers");
        }

        running.IsCompleted.Should().BeFalse();
        await stop.CancelAsync();
        (await running).Should().Be(0);
    }

    private static async Task<Uri> WaitForAddressAsync(StringWriter output)
    {
        for (var i = 0; i < 500; i++)
        {
            var text = output.ToString();
            if (text.Contains('}', StringComparison.Ordinal))
            {
                using var json = JsonDocument.Parse(text);
                return new Uri(json.RootElement.GetProperty("baseAddress").GetString()!);
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("The sandbox did not start.");
    }

    /// <summary>Every command below <paramref name="command"/>, groups included, as its path ("symtrain reports export").</summary>
    private static IEnumerable<(string Path, Command Command)> AllCommands(Command command, List<string> path)
    {
        foreach (var sub in command.Subcommands)
        {
            List<string> next = [.. path, sub.Name];
            yield return (string.Join(' ', next), sub);
            foreach (var below in AllCommands(sub, next))
            {
                yield return below;
            }
        }
    }
}
