using System.Text;

namespace TrainingApis.Cli.Tests;

/// <summary>
/// Issue 14, tried "after you" through the tool: the files spreadsheets save, read by <c>symtrain users import</c> under
/// the SDK's rules, and webhook addresses given to <c>senar webhooks register</c>. Every refusal is exit code 3 with
/// nothing sent.
/// </summary>
public sealed class Stranger14CsvTests(CliSandboxFixture fixture) : IClassFixture<CliSandboxFixture>
{
    private const string Header = "firstName,lastName,username,email,role,teamName,status,action";
    private const string Zoe = "Zoë,Nuñez,zoe@s14.example,zoe@s14.example,trainee,Logística,ACTIVE,Add";
    private const string Ann = "Ann,Lee,ann@s14.example,ann@s14.example,trainee,,ACTIVE,Add";

    private async Task<(CliResult Result, List<JsonElement> Problems, JsonElement Root)> DryRunAsync(byte[] file)
    {
        var run = new CliRun(fixture.Sandbox);
        await File.WriteAllBytesAsync(run.PathOf("users.csv"), file);

        var result = await run.RunAsync(["symtrain", "users", "import", "users.csv", "--dry-run", "--sandbox", "--json"]);

        result.Transport.Requests.Should().BeEmpty("a dry run, or a refused file, sends nothing");
        var root = JsonDocument.Parse(result.Out).RootElement.Clone();
        var problems = root.TryGetProperty("problems", out var list) ? list.EnumerateArray().ToList() : [];
        return (result, problems, root);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static (int? Line, string? Field, string Message) Describe(JsonElement problem) => (
        problem.GetProperty("line").ValueKind == JsonValueKind.Number ? problem.GetProperty("line").GetInt32() : null,
        problem.GetProperty("field").GetString(),
        problem.GetProperty("message").GetString()!);

    [Theory]
    [InlineData(0, "firstName")]
    [InlineData(1, "lastName")]
    [InlineData(5, "teamName")]
    public async Task A_windows_1252_file_is_one_problem_naming_its_line_column_and_how_to_save_it(int column, string field)
    {
        var values = Ann.Split(',');
        values[column] = "Logística";
        var file = Encoding.Latin1.GetBytes(Header + "\r\n" + Ann.Replace("ann@", "bo@", StringComparison.Ordinal) + "\r\n" + string.Join(",", values) + "\r\n");

        var (result, problems, _) = await DryRunAsync(file);

        result.ExitCode.Should().Be(3, result.ToString());
        var (line, named, message) = Describe(problems.Should().ContainSingle(result.ToString()).Subject);
        (line, named).Should().Be((3, field));
        message.Should().Contain("not UTF-8").And.Contain("CSV UTF-8 (Comma delimited)");
    }

    [Theory]
    [InlineData("utf-8 bom")]
    [InlineData("utf-16le")]
    [InlineData("utf-16be")]
    [InlineData("utf-32le")]
    public async Task A_file_whose_byte_order_mark_names_its_encoding_is_read(string name)
    {
        Encoding encoding = name switch
        {
            "utf-8 bom" => new UTF8Encoding(true),
            "utf-16le" => Encoding.Unicode,
            "utf-16be" => Encoding.BigEndianUnicode,
            _ => Encoding.UTF32,
        };

        var (result, _, root) = await DryRunAsync([.. encoding.GetPreamble(), .. encoding.GetBytes(Header + "\r\n" + Zoe + "\r\n" + Ann + "\r\n")]);

        result.ExitCode.Should().Be(0, result.ToString());
        root.GetProperty("rows").GetInt32().Should().Be(2);
    }

    [Fact]
    public async Task A_utf16_file_without_a_byte_order_mark_is_one_clear_problem()
    {
        var (result, problems, _) = await DryRunAsync(Encoding.Unicode.GetBytes(Header + "\r\n" + Zoe + "\r\n"));

        result.ExitCode.Should().Be(3, result.ToString());
        var (line, _, message) = Describe(problems.Should().ContainSingle(result.ToString()).Subject);
        line.Should().Be(1);
        message.Should().Contain("UTF-16");
    }

    [Theory]
    [InlineData("sep=;", ';')]
    [InlineData("sep=\t", '\t')]
    [InlineData("sep=,", ',')]
    public async Task A_sep_line_as_excel_writes_it_is_honoured_and_counts_as_line_1(string sepLine, char separator)
    {
        var text = sepLine + "\r\n" + Header.Replace(',', separator) + "\r\n" + Zoe.Replace(',', separator) + "\r\n" + Ann.Replace(',', separator).Replace("ACTIVE", "active", StringComparison.Ordinal) + "\r\n";

        var (refused, problems, _) = await DryRunAsync([0xEF, 0xBB, 0xBF, .. Utf8(text)]);
        var (accepted, _, root) = await DryRunAsync([0xEF, 0xBB, 0xBF, .. Utf8(text.Replace("active", "ACTIVE", StringComparison.Ordinal))]);

        refused.ExitCode.Should().Be(3, refused.ToString());
        Describe(problems.Should().ContainSingle(refused.ToString()).Subject).Should().Match<(int?, string?, string)>(p => p.Item1 == 4 && p.Item2 == "status");
        accepted.ExitCode.Should().Be(0, accepted.ToString());
        root.GetProperty("rows").GetInt32().Should().Be(2);
    }

    [Fact]
    public async Task A_semicolon_file_without_a_sep_line_is_one_problem_naming_the_separator_and_the_fix()
    {
        var (result, problems, _) = await DryRunAsync(Utf8(Header.Replace(',', ';') + "\r\n" + Zoe.Replace(',', ';') + "\r\n"));

        result.ExitCode.Should().Be(3, result.ToString());
        var (line, _, message) = Describe(problems.Should().ContainSingle(result.ToString()).Subject);
        line.Should().Be(1);
        message.Should().Contain("';'").And.Contain("sep=;");
    }

    [Fact]
    public async Task Header_names_match_ignoring_case_and_surrounding_spaces_as_in_the_sdk()
    {
        var (result, _, root) = await DryRunAsync(Utf8(" FirstName ,LASTNAME,Username , email,Role,TeamName,STATUS,Action \r\n" + Zoe + "\r\n"));

        result.ExitCode.Should().Be(0, result.ToString());
        root.GetProperty("rows").GetInt32().Should().Be(1);
    }

    [Theory]
    [InlineData("\r")]
    [InlineData("\n")]
    public async Task Every_line_ending_ends_a_row_and_counts_as_one_line(string newLine)
    {
        var text = Header + newLine + Zoe + newLine + newLine + Ann.Replace("Add", "Insert", StringComparison.Ordinal) + newLine;

        var (result, problems, _) = await DryRunAsync(Utf8(text));

        result.ExitCode.Should().Be(3, result.ToString());
        Describe(problems.Should().ContainSingle(result.ToString()).Subject).Should().Match<(int?, string?, string)>(p => p.Item1 == 4 && p.Item2 == "action");
    }

    [Fact]
    public async Task Quoted_empty_rows_are_skipped_like_empty_ones()
    {
        var (result, _, root) = await DryRunAsync(Utf8(Header + "\r\n\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\"\r\n" + Zoe + "\r\n\" \",,,,,,,\r\n"));

        result.ExitCode.Should().Be(0, result.ToString());
        root.GetProperty("rows").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task A_nul_byte_in_a_value_is_a_problem_of_its_line()
    {
        var (result, problems, _) = await DryRunAsync(Utf8(Header + "\r\n" + Zoe + "\r\nAnn,Le\0e,ann@s14.example,ann@s14.example,trainee,,ACTIVE,Add\r\n"));

        result.ExitCode.Should().Be(3, result.ToString());
        Describe(problems.Should().ContainSingle(result.ToString()).Subject).Should().Match<(int?, string?, string)>(p => p.Item1 == 3 && p.Item2 == "lastName" && p.Item3.Contains("U+0000"));
    }

    [Fact]
    public async Task A_value_over_the_field_bound_is_a_problem_of_its_line()
    {
        var (result, problems, _) = await DryRunAsync(Utf8(Header + "\r\n" + Zoe + "\r\nAnn," + new string('é', 33_000) + ",ann@s14.example,ann@s14.example,trainee,,ACTIVE,Add\r\n"));

        result.ExitCode.Should().Be(3, result.ToString());
        Describe(problems.Should().ContainSingle(result.ToString()).Subject).Should().Match<(int?, string?, string)>(p => p.Item1 == 3 && p.Item2 == "lastName" && p.Item3.Contains("66000 bytes"));
    }

    [Fact]
    public async Task A_line_that_never_ends_is_refused_at_the_record_bound_with_its_line()
    {
        // 20 MiB on one line, over the file bound too: the reading stops at the record bound, about 1 MiB in.
        var file = new byte[20 * 1024 * 1024];
        file.AsSpan().Fill((byte)'x');
        byte[] start = Utf8(Header + "\r\n" + Zoe + "\r\nAnn,");

        var (result, problems, _) = await DryRunAsync([.. start, .. file]);

        result.ExitCode.Should().Be(3, result.ToString());
        Describe(problems.Should().ContainSingle(result.ToString()).Subject).Should().Match<(int?, string?, string)>(p => p.Item1 == 3 && p.Item3.Contains("BulkImportMaxFieldBytes"));
    }

    [Fact]
    public async Task A_file_over_the_file_bound_is_refused()
    {
        var text = new StringBuilder(Header + "\r\n");
        var row = 0;
        while (text.Length <= 16 * 1024 * 1024)
        {
            row++;
            text.Append(FormattableString.Invariant($"F,{new string('l', 2000)},u{row}@s14.example,u{row}@s14.example,trainee,,ACTIVE,Add\r\n"));
        }

        var (result, problems, _) = await DryRunAsync(Utf8(text.ToString()));

        result.ExitCode.Should().Be(3, result.ToString());
        Describe(problems.Should().ContainSingle(result.ToString()).Subject).Message.Should().Contain("BulkImportMaxFileBytes");
    }

    [Fact]
    public async Task A_repeated_username_names_the_line_of_the_first_one()
    {
        var (result, problems, _) = await DryRunAsync(Utf8(Header + "\r\n,,,,,,,\r\n" + Ann + "\r\n" + Zoe + "\r\n" + Ann + "\r\n"));

        result.ExitCode.Should().Be(3, result.ToString());
        var (line, field, message) = Describe(problems.Should().ContainSingle(result.ToString()).Subject);
        (line, field).Should().Be((5, "username"));
        message.Should().Contain("line 3").And.NotContain("row");
    }

    // ---- senar webhooks register ----

    [Theory]
    [InlineData("https://2130706433/", "loopback")]
    [InlineData("https://0177.0.0.1/", "loopback")]
    [InlineData("https://0x7f.1/", "loopback")]
    [InlineData("https://127.1/", "loopback")]
    [InlineData("https://[::ffff:127.0.0.1]/", "loopback")]
    [InlineData("https://[::ffff:7f00:1]/", "loopback")]
    [InlineData("https://[::ffff:0:7f00:1]/", "loopback")]
    [InlineData("https://[0:0:0:0:0:0:0:1]/", "loopback")]
    [InlineData("https://[fe80::1%25eth0]/", "link-local")]
    [InlineData("https://[fd00::1]/", "unique local")]
    [InlineData("https://[::]/", "unspecified")]
    [InlineData("https://0.0.0.0/", "unspecified")]
    [InlineData("https://100.64.0.1/", "carrier-grade NAT")]
    [InlineData("https://172.16.0.1/", "private")]
    [InlineData("https://metadata.google.internal/", "local or internal")]
    [InlineData("https://LOCALHOST./", "local or internal")]
    [InlineData("https://foo.localhost/", "local or internal")]
    [InlineData("https://@hooks.example.com/senar", "user info")]
    [InlineData("https://ops:Hunter2pw@hooks.example.com/senar", "user info")]
    [InlineData("https://hooks.example.com/senar#Hunter2pw", "fragment")]
    [InlineData("http:", "absolute https URL")]
    [InlineData("https://", "absolute https URL")]
    [InlineData("/hooks/senar", "https")]
    [InlineData("//hooks.example.com/senar", "absolute https URL")]
    [InlineData("", "absolute https URL")]
    public async Task A_webhook_url_in_any_notation_is_refused_before_anything_is_sent(string url, string reason)
    {
        var run = new CliRun(fixture.Sandbox);

        var result = await run.RunAsync(["senar", "webhooks", "register", "--url", url, "--event", "user", "--sandbox"]);

        result.ExitCode.Should().Be(3, result.ToString());
        result.Error.Should().Contain("--url").And.Contain(reason).And.NotContain("Hunter2pw");
        result.Transport.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task An_idn_webhook_url_is_registered_and_printed_as_sent()
    {
        var run = new CliRun(fixture.Sandbox);

        var result = await run.RunAsync(["senar", "webhooks", "register", "--url", "https://bücher.example/senar", "--event", "user", "--sandbox", "--json"]);

        result.ExitCode.Should().Be(0, result.ToString());
        JsonDocument.Parse(result.Out).RootElement.GetProperty("url").GetString().Should().Be("https://xn--bcher-kva.example/senar");
    }
}
