using System.Text;

namespace TrainingApis.Cli.Tests;

public sealed class UsersImportTests(CliSandboxFixture fixture) : IClassFixture<CliSandboxFixture>
{
    private const string Header = "firstName,lastName,username,email,role,teamName,status,action";

    private static string ValidFile(int rows, string prefix)
    {
        var text = new StringBuilder(Header).Append('\n');
        for (var i = 1; i <= rows; i++)
        {
            text.Append($"First{i},Last{i},{prefix}{i}@cli.example,{prefix}{i}@cli.example,trainee,Team {i % 5},ACTIVE,Add\n");
        }

        return text.ToString();
    }

    [Fact]
    public async Task Every_problem_is_listed_with_its_line_and_nothing_is_sent()
    {
        var run = new CliRun(fixture.Sandbox);
        await File.WriteAllTextAsync(run.PathOf("users.csv"), $"""
            {Header}
            Ada,Lovelace,ada@bulk.example,ada@bulk.example,trainee,Sales,ACTIVE,Add
            ,Hopper,grace@bulk.example,grace@bulk.example,trainee,Support,ACTIVE,Add
            Alan,Turing,Alan@bulk.example,alan@bulk.example,admin,Support,active,Add
            Ada,Lovelace,ada@bulk.example,ada@bulk.example,trainee,Sales,ACTIVE,Add
            """);

        var result = await run.RunAsync(["symtrain", "users", "import", "users.csv", "--sandbox", "--json"]);

        result.ExitCode.Should().Be(3, result.ToString());
        result.Transport.Requests.Should().BeEmpty();
        result.Error.Should().Contain("line 3, firstName").And.Contain("line 4, username").And.Contain("line 4, role")
            .And.Contain("line 4, status").And.Contain("line 5, username: repeats the username of line 2");
        using var json = JsonDocument.Parse(result.Out);
        json.RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("line").GetInt32())
            .Should().BeEquivalentTo([3, 4, 4, 4, 5]);
    }

    [Fact]
    public async Task An_unclosed_quote_is_one_problem_not_its_knock_on_effects()
    {
        var run = new CliRun(fixture.Sandbox);
        await File.WriteAllTextAsync(run.PathOf("users.csv"), $"""
            {Header}
            Ada,Lovelace,ada@bulk.example,ada@bulk.example,trainee,Sales,ACTIVE,Add
            Grace,"Hopper,grace@bulk.example,grace@bulk.example,trainee,Support,ACTIVE,Add
            Alan,Turing,alan@bulk.example,alan@bulk.example,trainee,Support,ACTIVE,Add
            Edsger,Dijkstra,edsger@bulk.example,edsger@bulk.example,trainee,Support,ACTIVE,Add
            """);

        var result = await run.RunAsync(["symtrain", "users", "import", "users.csv", "--dry-run", "--sandbox", "--json"]);

        result.ExitCode.Should().Be(3, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        var problems = json.RootElement.GetProperty("problems").EnumerateArray().ToList();
        problems.Should().ContainSingle(result.ToString());
        problems[0].GetProperty("line").GetInt32().Should().Be(3);
        problems[0].GetProperty("message").GetString().Should().Contain("quote");
    }

    [Fact]
    public async Task A_bad_header_is_reported_alone()
    {
        var run = new CliRun(fixture.Sandbox);
        await File.WriteAllTextAsync(run.PathOf("users.csv"), "firstname,lastName,username,email,role,teamName,status\nA,B,a@x.example,a@x.example,trainee,,ACTIVE\n");

        var result = await run.RunAsync(["symtrain", "users", "import", "users.csv", "--sandbox"]);

        result.ExitCode.Should().Be(3);
        // Header names match ignoring case, as in the SDK: "firstname" is firstName; the missing action is the problem.
        result.Error.Should().Contain("line 1, action").And.NotContain("line 2");
    }

    [Theory]
    [InlineData("", "the file is empty")]
    [InlineData("\r\n", "the file is empty")]
    [InlineData("firstName;lastName;username;email;role;teamName;status;action\r\nA;B;a@x.example;a@x.example;trainee;;ACTIVE;Add\r\n", "separated by semicolons")]
    [InlineData("firstName\tlastName\tusername\temail\trole\tteamName\tstatus\taction\nA\tB\ta@x.example\ta@x.example\ttrainee\t\tACTIVE\tAdd\n", "separated by tabs")]
    public async Task An_empty_or_non_comma_file_is_one_clear_problem(string content, string expected)
    {
        var run = new CliRun(fixture.Sandbox);
        await File.WriteAllTextAsync(run.PathOf("users.csv"), content);

        var result = await run.RunAsync(["symtrain", "users", "import", "users.csv", "--dry-run", "--sandbox", "--json"]);

        result.ExitCode.Should().Be(3, result.ToString());
        result.Transport.Requests.Should().BeEmpty();
        using var json = JsonDocument.Parse(result.Out);
        var problems = json.RootElement.GetProperty("problems").EnumerateArray().ToList();
        problems.Should().ContainSingle();
        problems[0].GetProperty("line").GetInt32().Should().Be(1);
        problems[0].GetProperty("message").GetString().Should().Contain(expected);
    }

    [Fact]
    public async Task Rows_a_spreadsheet_left_empty_are_skipped_and_quoted_commas_kept()
    {
        var run = new CliRun(fixture.Sandbox);
        await File.WriteAllTextAsync(run.PathOf("users.csv"),
            $"{Header}\r\n\"Lee, Jr.\",Ann,ann@bulk.example,ann@bulk.example,trainee,Sales,ACTIVE,Add\r\n,,,,,,,\r\n , ,,,,,,\r\n\r\nBo,Li,bo@bulk.example,bo@bulk.example,trainee,,ACTIVE,Add\r\n,,,,,,,\r\n");

        var result = await run.RunAsync(["symtrain", "users", "import", "users.csv", "--dry-run", "--sandbox", "--json"]);

        result.ExitCode.Should().Be(0, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        json.RootElement.GetProperty("rows").GetInt32().Should().Be(2);
    }

    [Fact]
    public async Task Dry_run_checks_and_sends_nothing()
    {
        var run = new CliRun(fixture.Sandbox);
        await File.WriteAllTextAsync(run.PathOf("users.csv"), ValidFile(1600, "dry"));

        var result = await run.RunAsync(["symtrain", "users", "import", "users.csv", "--dry-run", "--sandbox", "--json"]);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Transport.Requests.Should().BeEmpty();
        using var json = JsonDocument.Parse(result.Out);
        json.RootElement.GetProperty("rows").GetInt32().Should().Be(1600);
        json.RootElement.GetProperty("uploads").GetInt32().Should().Be(3);
    }

    [Fact]
    public async Task More_than_750_rows_are_uploaded_as_consecutive_files_and_followed_to_completion()
    {
        var run = new CliRun(fixture.Sandbox);
        await File.WriteAllTextAsync(run.PathOf("users.csv"), ValidFile(800, "big"));

        var result = await run.RunAsync(["symtrain", "users", "import", "users.csv", "--wait", "--sandbox", "--json"]);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Transport.Count("/user/bulk-import").Should().BeGreaterThanOrEqualTo(2);
        result.Transport.Requests.Count(r => r.Path.EndsWith("/user/bulk-import", StringComparison.Ordinal)).Should().Be(2);
        using var json = JsonDocument.Parse(result.Out);
        var uploads = json.RootElement.GetProperty("uploads").EnumerateArray().ToList();
        uploads.Select(u => u.GetProperty("validUsersCount").GetInt32()).Should().Equal(750, 50);
        uploads.Should().OnlyContain(u => u.GetProperty("status").GetString() == "COMPLETED");

        var taskId = uploads[0].GetProperty("taskId").GetString()!;
        var status = await run.RunAsync(["symtrain", "users", "import-status", taskId, "--sandbox"]);
        status.ExitCode.Should().Be(0, status.ToString());
        status.Out.Should().Contain(taskId).And.Contain("COMPLETED");
    }

    [Fact]
    public async Task Writes_to_the_real_service_need_a_confirmation()
    {
        var run = new CliRun(fixture.Sandbox);
        run.Environment["SYMTRAIN_API_KEY"] = fixture.Sandbox.SymtrainApiKey;
        run.Environment["SYMTRAIN_BASE_ADDRESS"] = fixture.Sandbox.BaseAddress.ToString();
        await File.WriteAllTextAsync(run.PathOf("users.csv"), ValidFile(3, "confirm"));
        string[] import = ["symtrain", "users", "import", "users.csv", "--organization", fixture.Sandbox.OrganizationId];

        var notInteractive = await run.RunAsync(import);
        notInteractive.ExitCode.Should().Be(2, notInteractive.ToString());
        notInteractive.Error.Should().Contain("--yes");
        notInteractive.Transport.Requests.Should().BeEmpty();

        run.Confirm = _ => false;
        var declined = await run.RunAsync(import);
        declined.ExitCode.Should().Be(130);
        declined.Transport.Requests.Should().BeEmpty();

        run.Confirm = null;
        var confirmed = await run.RunAsync([.. import, "--yes"]);
        confirmed.ExitCode.Should().Be(0, confirmed.ToString());
        confirmed.Transport.Count("/user/bulk-import").Should().Be(1);
    }

    [Fact]
    public async Task Cancelling_an_import_says_which_uploads_were_sent_and_still_writes_the_json_result()
    {
        var run = new CliRun(fixture.Sandbox);
        await File.WriteAllTextAsync(run.PathOf("users.csv"), ValidFile(800, "cancel"));
        using var cancel = new CancellationTokenSource();
        var uploads = 0;
        run.BeforeSend = request =>
        {
            if (request.Path.EndsWith("/user/bulk-import", StringComparison.Ordinal) && ++uploads == 2)
            {
                cancel.Cancel();
                cancel.Token.ThrowIfCancellationRequested();
            }
        };

        var result = await run.RunAsync(["symtrain", "users", "import", "users.csv", "--sandbox", "--json"], cancel.Token);

        result.ExitCode.Should().Be(130, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        json.RootElement.GetProperty("cancelled").GetBoolean().Should().BeTrue();
        var sent = json.RootElement.GetProperty("uploads").EnumerateArray().Single();
        var taskId = sent.GetProperty("taskId").GetString()!;
        result.Error.Should().Contain("1 of 2 upload(s) sent (rows 1–750)").And.Contain(taskId).And.Contain("the rest was not sent")
            .And.Contain("Upload 2 (rows 751–800)").And.NotContain("--resume");
    }

    [Fact]
    public async Task Quota_waits_during_uploads_are_shown()
    {
        // A sandbox of its own: a quota of one request per 1.5 s (a scaled window), so the second upload waits.
        await using var sandbox = await TrainingApis.Sandbox.TrainingSandbox.StartAsync(new TrainingApis.Sandbox.TrainingSandboxOptions
        {
            SymtrainApiKey = "cli-quota-" + Guid.NewGuid().ToString("N"),
            SymtrainQuotaLimit = 1,
            SymtrainQuotaWindow = TimeSpan.FromSeconds(1.5),
            BulkImportQueueDelay = TimeSpan.Zero,
            BulkImportProcessingTime = TimeSpan.Zero,
        });
        var run = new CliRun(sandbox);
        await File.WriteAllTextAsync(run.PathOf("users.csv"), ValidFile(800, "quota"));

        var result = await run.RunAsync(["symtrain", "users", "import", "users.csv", "--sandbox"]);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Error.Should().Contain("waiting for quota: next permit in");
        result.Error.IndexOf("waiting for quota", StringComparison.Ordinal).Should().BeLessThan(result.Error.IndexOf("upload 2/2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_template_is_a_file_the_import_accepts()
    {
        var run = new CliRun(fixture.Sandbox);

        var template = await run.RunAsync(["symtrain", "users", "import", "--template"]);
        await File.WriteAllTextAsync(run.PathOf("users.csv"), template.Out);
        var check = await run.RunAsync(["symtrain", "users", "import", "users.csv", "--dry-run", "--sandbox"]);
        var nothing = await run.RunAsync(["symtrain", "users", "import", "--sandbox"]);

        template.ExitCode.Should().Be(0, template.ToString());
        template.Out.Should().StartWith(Header + "\n");
        check.ExitCode.Should().Be(0, check.ToString());
        check.Error.Should().Contain("1 row(s), all valid");
        nothing.ExitCode.Should().Be(2, nothing.ToString());
        nothing.Error.Should().Contain("--template");
    }
}
