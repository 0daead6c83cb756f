using System.Text;

namespace TrainingApis.Cli.Tests;

/// <summary>
/// Issue 14, a second stranger after the morning's fixes: <c>users import</c> now reading with the SDK's reader (the
/// bounds as an administrator meets them, a dry run that promises what the upload does, 751 rows with a spreadsheet's
/// empty rows), <c>webhooks register</c> with refused URLs carrying a token, and <c>--json</c> error documents after a
/// refused credential.
/// </summary>
public sealed class Stranger14R2Tests(CliSandboxFixture fixture) : IClassFixture<CliSandboxFixture>
{
    private const string Header = "firstName,lastName,username,email,role,teamName,status,action";

    private static int BulkImports(CliResult result) => result.Transport.Requests.Count(r => r.Path.EndsWith("/user/bulk-import", StringComparison.Ordinal));

    /// <summary>
    /// 750 rows just under 16 MiB as read; with LF line ends (<paramref name="newLine"/>) written with CRLF, as the SDK
    /// sends them, just over. <paramref name="shorter"/> takes letters off each row's last name.
    /// </summary>
    private static byte[] NearTheBound(string newLine, int shorter = 0)
    {
        const int Limit = 16 * 1024 * 1024;
        var fixedPart = "U000,,u000@r2.example,u000@r2.example,trainee,,ACTIVE,Add\n".Length;
        var name = ((Limit - Header.Length - 1 - 300) / 750) - fixedPart - shorter;
        var text = new StringBuilder(Header + newLine);
        for (var i = 0; i < 750; i++)
        {
            text.Append(FormattableString.Invariant($"U{i:000},{new string('L', name)},u{i:000}@r2.example,u{i:000}@r2.example,trainee,,ACTIVE,Add{newLine}"));
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        bytes.Length.Should().BeLessThan(Limit).And.BeGreaterThan(Limit - 1100);
        return bytes;
    }

    [Fact]
    public async Task A_dry_run_refuses_an_upload_that_is_over_16_MiB_as_sent_though_its_lines_are_under()
    {
        // Fails on main: the dry run said "all valid", and the import then stopped with the SDK's
        // "Upload fewer rows per file (BulkImportInBatchesAsync, BulkImportCsv.Chunk)".
        var run = new CliRun(fixture.Sandbox);
        await File.WriteAllBytesAsync(run.PathOf("users.csv"), NearTheBound("\n"));

        var dryRun = await run.RunAsync(["symtrain", "users", "import", "users.csv", "--dry-run", "--sandbox", "--json"]);
        var import = await run.RunAsync(["symtrain", "users", "import", "users.csv", "--sandbox"]);

        dryRun.ExitCode.Should().Be(3, dryRun.ToString());
        var problem = JsonDocument.Parse(dryRun.Out).RootElement.GetProperty("problems").EnumerateArray().Should().ContainSingle().Subject;
        problem.GetProperty("message").GetString().Should().Contain("upload 1 (rows 1–750)").And.Contain("16,777,216 bytes").And.NotContain("BulkImportInBatchesAsync");
        import.ExitCode.Should().Be(3, import.ToString());
        import.Error.Should().Contain("upload 1 (rows 1–750)").And.Contain("nothing was sent").And.NotContain("all valid");
        (dryRun.Transport.Requests.Count + import.Transport.Requests.Count).Should().Be(0);
    }

    [Fact]
    public async Task The_same_file_with_crlf_line_ends_as_written_is_accepted_by_the_dry_run()
    {
        var run = new CliRun(fixture.Sandbox);
        await File.WriteAllBytesAsync(run.PathOf("users.csv"), NearTheBound("\r\n", shorter: 1));

        var result = await run.RunAsync(["symtrain", "users", "import", "users.csv", "--dry-run", "--sandbox", "--json"]);

        result.ExitCode.Should().Be(0, result.ToString());
        JsonDocument.Parse(result.Out).RootElement.GetProperty("rows").GetInt32().Should().Be(750);
    }

    [Fact]
    public async Task A_bound_is_named_as_the_sdks_default_not_as_an_option_the_administrator_could_set()
    {
        // Fails on main: "(SymtrainClientOptions.BulkImportMaxFieldBytes)", a setting the tool has not.
        var run = new CliRun(fixture.Sandbox);
        await File.WriteAllTextAsync(run.PathOf("users.csv"), Header + "\r\nAnn," + new string('L', 70_000) + ",ann@r2.example,ann@r2.example,trainee,,ACTIVE,Add\r\n");

        var result = await run.RunAsync(["symtrain", "users", "import", "users.csv", "--dry-run", "--sandbox"]);

        result.ExitCode.Should().Be(3, result.ToString());
        result.Error.Should().Contain("line 2, lastName: is 70000 bytes long; at most 65536 bytes are allowed (the SDK's default BulkImportMaxFieldBytes")
            .And.NotContain("SymtrainClientOptions");
        result.Transport.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Seven_hundred_fifty_one_rows_between_a_spreadsheets_empty_rows_are_two_uploads()
    {
        var run = new CliRun(fixture.Sandbox);
        var text = new StringBuilder("sep=,\r\n" + Header + ",,\r\n,,,,,,,\r\n");
        for (var i = 0; i < 751; i++)
        {
            text.Append(FormattableString.Invariant($"R2{i},Lee,r2row{i}@r2.example,r2row{i}@r2.example,trainee,,ACTIVE,Add\r\n"));
            if (i % 100 == 0)
            {
                text.Append(",,,,,,,,,\r\n\r\n");
            }
        }

        await File.WriteAllTextAsync(run.PathOf("users.csv"), text.ToString(), new UTF8Encoding(true));

        var result = await run.RunAsync(["symtrain", "users", "import", "users.csv", "--sandbox", "--json"]);

        result.ExitCode.Should().Be(0, result.ToString());
        var root = JsonDocument.Parse(result.Out).RootElement;
        root.GetProperty("rows").GetInt32().Should().Be(751);
        root.GetProperty("uploads").EnumerateArray().Select(u => u.GetProperty("validUsersCount").GetInt32()).Should().Equal(750, 1);
        BulkImports(result).Should().Be(2);
    }

    [Fact]
    public async Task A_file_with_a_row_the_reader_refuses_sends_none_of_its_other_751_rows()
    {
        var run = new CliRun(fixture.Sandbox);
        var text = new StringBuilder(Header + "\r\n");
        for (var i = 0; i < 751; i++)
        {
            text.Append(FormattableString.Invariant($"R2{i},Lee,r2bad{i}@r2.example,r2bad{i}@r2.example,trainee,,ACTIVE,Add\r\n"));
        }

        text.Append("Zo\u0001e,Lee,zoe@r2.example,zoe@r2.example,trainee,,ACTIVE,Add\r\n");
        await File.WriteAllTextAsync(run.PathOf("users.csv"), text.ToString());

        var result = await run.RunAsync(["symtrain", "users", "import", "users.csv", "--sandbox", "--json"]);

        result.ExitCode.Should().Be(3, result.ToString());
        var problem = JsonDocument.Parse(result.Out).RootElement.GetProperty("problems").EnumerateArray().Should().ContainSingle().Subject;
        (problem.GetProperty("line").GetInt32(), problem.GetProperty("field").GetString()).Should().Be((753, "firstName"));
        result.Transport.Requests.Should().BeEmpty();
    }

    [Theory]
    [InlineData("https://10.1.2.3/hooks?token=R2Sekr3tT0ken", "private")]
    [InlineData("https://192.168.0.10/R2Sekr3tT0ken", "private")]
    [InlineData("https://[::1]/R2Sekr3tT0ken", "loopback")]
    [InlineData("https://127.0.0.1:443/R2Sekr3tT0ken", "loopback")]
    [InlineData("https://0x7f000001/R2Sekr3tT0ken", "loopback")]
    [InlineData("https://169.254.169.254/R2Sekr3tT0ken", "metadata")]
    [InlineData("https://[fd00:ec2::254]/R2Sekr3tT0ken", "metadata")]
    [InlineData("https://printer/R2Sekr3tT0ken", "single-label")]
    [InlineData("https://hooks.corp.local/R2Sekr3tT0ken", "local or internal")]
    [InlineData("http://hooks.example.com/R2Sekr3tT0ken", "https")]
    [InlineData("ftp://hooks.example.com/R2Sekr3tT0ken", "https")]
    [InlineData("https://hooks.example.com/R2Sekr3tT0ken path", "space")]
    [InlineData("https://R2Sekr3tT0ken@hooks.example.com/", "user info")]
    [InlineData("https://[::ffff:a00:1]/R2Sekr3tT0ken", "private")]
    [InlineData("https://0x0a000001/R2Sekr3tT0ken", "private")]
    [InlineData("https://[64:ff9b::a00:1]/R2Sekr3tT0ken", "private")]
    [InlineData("https://[2002:a00:1::]/R2Sekr3tT0ken", "private")]
    [InlineData("https://hooks.example.com\\R2Sekr3tT0ken", "absolute https URL")]
    [InlineData("https:hooks.example.com/R2Sekr3tT0ken", "absolute https URL")]
    public async Task A_refused_hook_url_never_repeats_its_token_in_text_or_json(string url, string reason)
    {
        var run = new CliRun(fixture.Sandbox);

        var text = await run.RunAsync(["senar", "webhooks", "register", "--url", url, "--event", "activity", "--sandbox"]);
        var json = await run.RunAsync(["senar", "webhooks", "register", "--url", url, "--event", "activity", "--sandbox", "--json"]);

        text.ExitCode.Should().Be(3, text.ToString());
        text.Error.Should().Contain(reason);
        json.ExitCode.Should().Be(3, json.ToString());
        JsonDocument.Parse(json.Out).RootElement.GetProperty("error").GetProperty("exitCode").GetInt32().Should().Be(3);
        (text.Out + text.Error + json.Out + json.Error).Should().NotContainEquivalentOf("R2Sekr3tT0ken");
        (text.Transport.Requests.Count + json.Transport.Requests.Count).Should().Be(0);
    }

    [Fact]
    public async Task A_refused_symtrain_key_is_in_no_json_error_document()
    {
        const string Key = "R2-wrong-key-9f8e7d6c5b4a";
        var run = new CliRun(fixture.Sandbox);
        run.Environment["SYMTRAIN_BASE_ADDRESS"] = fixture.Sandbox.BaseAddress.ToString();
        run.Environment["SYMTRAIN_API_KEY"] = Key;

        var result = await run.RunAsync(["symtrain", "library", "list", "--user", fixture.Sandbox.TraineeUsername, "--organization", fixture.Sandbox.OrganizationId, "--json"]);

        result.ExitCode.Should().Be(1, result.ToString());
        var error = JsonDocument.Parse(result.Out).RootElement.GetProperty("error");
        error.GetProperty("message").GetString().Should().Contain("401");
        (result.Out + result.Error).Should().NotContainEquivalentOf(Key).And.NotContainEquivalentOf(Uri.EscapeDataString(Key))
            .And.NotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(Key)));
    }

    [Fact]
    public async Task A_refused_senar_password_is_in_no_json_error_document()
    {
        const string Password = "R2Wr0ng+Pass&word";
        var run = new CliRun(fixture.Sandbox);
        run.Environment["SENAR_BASE_ADDRESS"] = fixture.Sandbox.BaseAddress.ToString();
        run.Environment["SENAR_USERNAME"] = fixture.Sandbox.SenarUsername;
        run.Environment["SENAR_PASSWORD"] = Password;

        var result = await run.RunAsync(["senar", "users", "export", "--out", "users.csv", "--json"]);

        result.ExitCode.Should().Be(1, result.ToString());
        JsonDocument.Parse(result.Out).RootElement.GetProperty("error").GetProperty("exitCode").GetInt32().Should().Be(1);
        (result.Out + result.Error).Should().NotContainEquivalentOf(Password).And.NotContainEquivalentOf(Uri.EscapeDataString(Password))
            .And.NotContain("R2Wr0ng\\u002BPass");
        File.Exists(run.PathOf("users.csv")).Should().BeFalse();
    }
    [Theory]
    [InlineData("""{"symtrain": {"apiKey": {"k": "R2FileSecret"}}}""")]
    [InlineData("""{"symtrain": {"apiKey": ["R2FileSecret"]}}""")]
    [InlineData("""{"senar": {"password": R2FileSecret}}""")]
    [InlineData("""{"symtrain": {"apiKey": "R2FileSecret", }""")]
    [InlineData("""{"symtrain": {"apiKey": "R2File\u0000Secret"}}""")]
    [InlineData("""{"symtrain": {"baseAddress": "http://R2FileSecret@10.0.0.1/", "apiKey": "k"}}""")]
    public async Task A_settings_file_refused_for_its_shape_never_repeats_the_secret_in_it(string settings)
    {
        var run = new CliRun(fixture.Sandbox);
        await File.WriteAllTextAsync(run.PathOf("trainingapis.json"), settings);

        var result = await run.RunAsync(["symtrain", "library", "list", "--user", "u", "--organization", "o", "--json"]);

        result.ExitCode.Should().Be(2, result.ToString());
        JsonDocument.Parse(result.Out).RootElement.GetProperty("error").GetProperty("exitCode").GetInt32().Should().Be(2);
        (result.Out + result.Error).Should().NotContainEquivalentOf("R2FileSecret").And.NotContain("R2File");
        result.Transport.Requests.Should().BeEmpty();
    }

    [Theory]
    [InlineData("--first-name", "An\u0001n", "U+0001")]
    [InlineData("--last-name", "L\uFFFD", "U+FFFD")]
    [InlineData("--organization", "Ac\uFEFFme", "U+FEFF")]
    public async Task An_assign_with_a_damaged_name_is_refused_naming_the_option(string option, string value, string named)
    {
        var run = new CliRun(fixture.Sandbox);
        run.Environment["SENAR_NEW_USER_PASSWORD"] = "Welcome2024";
        var values = new Dictionary<string, string>
        {
            ["--email"] = "r2.assign@r2.example", ["--first-name"] = "Ann", ["--last-name"] = "Lee", ["--organization"] = "Acme", ["--collection"] = "41",
        };
        values[option] = System.Text.RegularExpressions.Regex.Unescape(value);

        var result = await run.RunAsync(["senar", "users", "assign", .. values.SelectMany(v => new[] { v.Key, v.Value }), "--sandbox"]);

        result.ExitCode.Should().Be(3, result.ToString());
        result.Error.Should().Contain(option + ":").And.Contain(named);
        result.Transport.Requests.Should().NotContain(r => r.Path.Contains("user_assign", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_hook_url_over_2048_characters_is_refused_without_repeating_it()
    {
        var run = new CliRun(fixture.Sandbox);

        var result = await run.RunAsync(["senar", "webhooks", "register", "--url", "https://hooks.example.com/" + new string('a', 2100) + "R2Tok", "--event", "user", "--sandbox"]);

        result.ExitCode.Should().Be(3, result.ToString());
        result.Error.Should().Contain("2,048").And.NotContain("aaaaaaaaaa").And.NotContain("R2Tok");
        result.Transport.Requests.Should().BeEmpty();
    }
}
