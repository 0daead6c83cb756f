using System.Text;
using Symtrain.Client.Users;
using TrainingApis.Core;

namespace Symtrain.Client.Tests.Users;

/// <summary>CSV files as spreadsheets save them: encodings, separators, empty rows, extra columns, line numbers, bounds.</summary>
public class BulkImportCsvFileTests
{
    private const string Header = "firstName,lastName,username,email,role,teamName,status,action";
    private const string Accepted = """{"taskId":"task-1","validUsersCount":1,"invalidUsersCount":0,"errors":[]}""";
    private const string Zoe = "Zoë,Nuñez,zoe@example.com,zoe@example.com,trainee,Logística,ACTIVE,Add";

    private static string Uploaded(Harness harness) => BulkImportTests.Parts(harness.Single)["file"].Content;

    private static async Task<BulkImportValidationException> RefusedAsync(Harness harness, byte[] csv)
    {
        var act = () => harness.Client.Users.BulkImportCsvAsync("org-1", new MemoryStream(csv));
        var error = (await act.Should().ThrowAsync<BulkImportValidationException>()).Which;
        harness.Handler.Count.Should().Be(0, "nothing is sent when the file is refused");
        return error;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Theory]
    [InlineData(0, "firstName")]
    [InlineData(1, "lastName")]
    [InlineData(5, "teamName")]
    public async Task A_windows_1252_file_is_refused_naming_the_row_the_line_and_how_to_save_it(int column, string field)
    {
        using var harness = Harness.Json(Accepted);
        var values = new[] { "Ann", "Lee", "ann@example.com", "ann@example.com", "trainee", "Ops", "ACTIVE", "Add" };
        values[column] = column == 5 ? "Logística" : column == 0 ? "Zoë" : "Nuñez";
        var csv = Encoding.Latin1.GetBytes(Header + "\r\nBo,Lee,bo@example.com,bo@example.com,trainee,,ACTIVE,Add\r\n" + string.Join(",", values) + "\r\n");

        var error = await RefusedAsync(harness, csv);

        var only = error.Errors.Should().ContainSingle().Subject;
        (only.Row, only.Line, only.Field).Should().Be((2, 3, field));
        only.Message.Should().Contain("not UTF-8").And.Contain("CSV UTF-8 (Comma delimited)");
        error.Message.Should().Contain($"row 2 (line 3), {field}:").And.NotContain("..").And.NotContain(".;");
    }

    [Fact]
    public async Task A_windows_1252_file_never_uploads_a_replacement_character()
    {
        using var harness = Harness.Json(Accepted);

        await RefusedAsync(harness, Encoding.Latin1.GetBytes(Header + "\n" + Zoe + "\n"));
    }

    [Theory]
    [InlineData("utf-8 bom")]
    [InlineData("utf-16le")]
    [InlineData("utf-16be")]
    [InlineData("utf-32le")]
    public async Task A_file_whose_byte_order_mark_names_its_encoding_is_transcoded_to_utf8(string encodingName)
    {
        using var harness = Harness.Json(Accepted);
        Encoding encoding = encodingName switch
        {
            "utf-8 bom" => new UTF8Encoding(true),
            "utf-16le" => Encoding.Unicode,
            "utf-16be" => Encoding.BigEndianUnicode,
            _ => Encoding.UTF32,
        };
        byte[] csv = [.. encoding.GetPreamble(), .. encoding.GetBytes(Header + "\r\n" + Zoe + "\r\n")];

        await harness.Client.Users.BulkImportCsvAsync("org-1", new MemoryStream(csv));

        Uploaded(harness).Should().Be(Header + "\r\n" + Zoe + "\r\n");
        Uploaded(harness).Should().NotContain("\uFFFD").And.NotContain("\uFEFF");
    }

    [Fact]
    public async Task A_replacement_character_already_in_the_text_is_refused_in_a_file_and_in_rows()
    {
        using var harness = Harness.Json(Accepted);

        var fromFile = await RefusedAsync(harness, Utf8(Header + "\n" + Zoe.Replace("ë", "\uFFFD", StringComparison.Ordinal) + "\n"));
        var rows = () => harness.Client.Users.BulkImportAsync("org-1", [new BulkImportRow { FirstName = "Zo\uFFFD", LastName = "N", Email = "z@example.com" }]);
        var fromRows = (await rows.Should().ThrowAsync<BulkImportValidationException>()).Which;

        fromFile.Errors.Should().ContainSingle().Which.Should().Match<BulkImportRowError>(e => e.Row == 1 && e.Line == 2 && e.Field == "firstName" && e.Message.Contains("U+FFFD"));
        fromRows.Errors.Should().ContainSingle().Which.Field.Should().Be("firstName");
        BulkImportCsv.Validate([new BulkImportRow { FirstName = "A", LastName = "Log\uFFFDstica", Email = "a@example.com" }])
            .Should().ContainSingle().Which.Field.Should().Be("lastName");
        harness.Handler.Count.Should().Be(0);
    }

    [Theory]
    [InlineData(';', "';'")]
    [InlineData('\t', "tab")]
    [InlineData('|', "'|'")]
    public async Task A_file_separated_by_something_else_than_commas_gets_one_error_naming_the_separator(char separator, string named)
    {
        using var harness = Harness.Json(Accepted);
        var csv = Header.Replace(',', separator) + ",,\n" + Zoe.Replace(',', separator) + ",,\nAnn;Lee\n";

        var error = await RefusedAsync(harness, Utf8(csv));

        var only = error.Errors.Should().ContainSingle().Subject;
        only.Message.Should().Contain(named).And.Contain($"sep={separator}");
        only.Line.Should().Be(1);
    }

    [Theory]
    [InlineData(";", "\r\n")]
    [InlineData(",", "\r\n")]
    [InlineData("\t", "\n")]
    [InlineData("|", "\n")]
    public async Task A_sep_line_as_excel_writes_it_is_honoured_and_counted_in_line_numbers(string separator, string newLine)
    {
        using var harness = Harness.Json(Accepted);
        using var bad = Harness.Json(Accepted);
        var csv = $"sep={separator}{newLine}" + Header.Replace(",", separator, StringComparison.Ordinal) + newLine
            + Zoe.Replace(",", separator, StringComparison.Ordinal) + newLine;

        await harness.Client.Users.BulkImportCsvAsync("org-1", new MemoryStream(Utf8(csv)));
        var error = await RefusedAsync(bad, Utf8(csv.Replace("ACTIVE", "active", StringComparison.Ordinal)));

        Uploaded(harness).Should().Be(Header + "\r\n" + Zoe + "\r\n");
        error.Errors.Should().ContainSingle().Which.Should().Match<BulkImportRowError>(e => e.Row == 1 && e.Line == 3 && e.Field == "status");
    }

    [Theory]
    [InlineData("utf-8 bom")]
    [InlineData("utf-16le")]
    public async Task A_sep_line_after_a_byte_order_mark_is_honoured(string encodingName)
    {
        using var harness = Harness.Json(Accepted);
        Encoding encoding = encodingName == "utf-8 bom" ? new UTF8Encoding(true) : Encoding.Unicode;
        var text = "sep=;\r\n" + Header.Replace(',', ';') + "\r\n" + Zoe.Replace(',', ';') + "\r\n";

        await harness.Client.Users.BulkImportCsvAsync("org-1", new MemoryStream([.. encoding.GetPreamble(), .. encoding.GetBytes(text)]));

        Uploaded(harness).Should().Be(Header + "\r\n" + Zoe + "\r\n");
    }

    [Fact]
    public async Task A_sep_line_naming_an_unsupported_separator_is_refused()
    {
        using var harness = Harness.Json(Accepted);

        var error = await RefusedAsync(harness, Utf8("sep=#\n" + Header.Replace(',', '#') + "\n"));

        error.Errors.Should().ContainSingle().Which.Message.Should().Contain("'#'");
    }

    [Fact]
    public async Task An_extra_column_is_named_with_its_position()
    {
        using var harness = Harness.Json(Accepted);

        var error = await RefusedAsync(harness, Utf8(Header + ",phone\n" + Zoe + ",555\n"));

        var only = error.Errors.Should().ContainSingle().Subject;
        (only.Field, only.Line, only.Row).Should().Be(("phone", 1, null));
        only.Message.Should().Contain("unknown column 'phone' (column 9)");
    }

    [Fact]
    public async Task Excel_empty_rows_and_empty_trailing_columns_are_skipped_and_rows_keep_their_lines()
    {
        using var harness = Harness.Json(Accepted);
        var csv = Header + ",,\r\n,,,,,,,\r\n" + Zoe + ",,\r\n , ,,,,,,,,\r\n\r\n"
            + "Ann,Lee,ann@example.com,ann@example.com,trainee,,ACTIVE,Add,,\r\n,,,,,,,\r\n";

        using var refusing = Harness.Json(Accepted);

        await harness.Client.Users.BulkImportCsvAsync("org-1", new MemoryStream(Utf8(csv)));
        var bad = await RefusedAsync(refusing, Utf8(csv.Replace("trainee,,ACTIVE,Add,,", "trainee,,ACTIVE,Remove,,", StringComparison.Ordinal)));

        Uploaded(harness).Should().Be(Header + "\r\n" + Zoe + "\r\nAnn,Lee,ann@example.com,ann@example.com,trainee,,ACTIVE,Add\r\n");
        bad.Errors.Should().ContainSingle().Which.Should().Match<BulkImportRowError>(e => e.Row == 2 && e.Line == 6 && e.Field == "action");
        bad.Message.Should().Contain("row 2 (line 6), action:");
    }

    [Fact]
    public async Task A_value_in_a_column_beyond_the_header_is_refused()
    {
        using var harness = Harness.Json(Accepted);

        var error = await RefusedAsync(harness, Utf8(Header + "\n" + Zoe + ",,surprise\n"));

        error.Errors.Should().ContainSingle().Which.Should().Match<BulkImportRowError>(e => e.Row == 1 && e.Line == 2 && e.Message.Contains("10 fields"));
    }

    [Fact]
    public async Task Line_numbers_count_the_lines_inside_quoted_values_and_crlf()
    {
        using var harness = Harness.Json(Accepted);
        var csv = Header + "\r\n"
            + "Ann,Lee,ann@example.com,ann@example.com,trainee,\"Sales\r\nEMEA\r\nNorth\",ACTIVE,Add\r\n"
            + "Bo,Lee,bo@example.com,BO@example.com,trainee,,ACTIVE,Add\r\n";

        var error = await RefusedAsync(harness, Utf8(csv));

        error.Errors.Should().ContainSingle().Which.Should().Match<BulkImportRowError>(e => e.Row == 2 && e.Line == 5 && e.Field == "username");
    }

    [Fact]
    public async Task Header_names_are_matched_ignoring_case_and_surrounding_whitespace()
    {
        using var harness = Harness.Json(Accepted);
        var csv = " FirstName ,LASTNAME,Username , email,Role,TeamName,STATUS,Action \n" + Zoe + "\n";

        await harness.Client.Users.BulkImportCsvAsync("org-1", new MemoryStream(Utf8(csv)));

        Uploaded(harness).Should().Be(Header + "\r\n" + Zoe + "\r\n");
    }

    [Fact]
    public async Task A_value_longer_than_the_field_bound_is_refused_naming_row_line_and_field()
    {
        using var harness = Harness.Json(Accepted, o => o.BulkImportMaxFieldBytes = 100);
        var csv = Header + "\n" + Zoe + "\nAnn," + new string('é', 51) + ",ann@example.com,ann@example.com,trainee,,ACTIVE,Add\n";

        var error = await RefusedAsync(harness, Utf8(csv));

        var only = error.Errors.Should().ContainSingle().Subject;
        (only.Row, only.Line, only.Field).Should().Be((2, 3, "lastName"));
        only.Message.Should().Contain("102 bytes").And.Contain("BulkImportMaxFieldBytes");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_endless_field_stops_the_reading_at_the_bound_without_reading_on(bool quoted)
    {
        using var harness = Harness.Json(Accepted);
        using var endless = new EndlessStream(Utf8(Header + "\n" + Zoe + "\nAnn," + (quoted ? "\"" : "")), (byte)'x');

        var act = () => harness.Client.Users.BulkImportCsvAsync("org-1", endless);

        var error = (await act.Should().ThrowAsync<BulkImportValidationException>()).Which;
        error.Errors.Should().ContainSingle().Which.Should().Match<BulkImportRowError>(e => e.Row == 2 && e.Line == 3 && e.Message.Contains("BulkImportMaxFieldBytes"));

        // The record bound (eight 64 KiB columns, each possibly all doubled quotes: about 1 MiB) is checked when the
        // reader's buffer grows, which doubles: at most about 2 MiB is read, not the 256 MiB that used to be.
        endless.BytesRead.Should().BeLessThan(3 * 1024 * 1024);
        harness.Handler.Count.Should().Be(0);
    }

    [Fact]
    public async Task A_file_larger_than_the_file_bound_is_not_read_further()
    {
        using var harness = Harness.Json(Accepted, o => o.BulkImportMaxFileBytes = 200_000);
        var row = Utf8("Ann,Lee,ann@example.com,ann@example.com,trainee," + new string('t', 900) + ",ACTIVE,Add\n");
        using var endless = new EndlessStream(Utf8(Header + "\n"), row);

        var act = () => harness.Client.Users.BulkImportCsvAsync("org-1", endless);

        var error = (await act.Should().ThrowAsync<BulkImportValidationException>()).Which;
        error.Errors.Should().ContainSingle().Which.Message.Should().Contain("larger than 200000 bytes").And.Contain("BulkImportMaxFileBytes");
        endless.BytesRead.Should().BeLessThan(200_000 + (1024 * 1024));
        harness.Handler.Count.Should().Be(0);
    }

    [Fact]
    public async Task Rows_with_values_longer_than_the_field_bound_are_refused_before_the_upload_is_built()
    {
        using var harness = Harness.Json(Accepted);
        var hundredKb = new string('n', 100 * 1024);
        var rows = Enumerable.Range(1, 750).Select(i => new BulkImportRow { FirstName = "F", LastName = hundredKb, Email = $"u{i}@example.com" }).ToList();

        var single = () => harness.Client.Users.BulkImportAsync("org-1", rows);
        var error = (await single.Should().ThrowAsync<BulkImportValidationException>()).Which;
        var batches = () => harness.Client.Users.BulkImportInBatchesAsync("org-1", rows);

        error.Errors.Should().HaveCount(750).And.OnlyContain(e => e.Field == "lastName" && e.Message.Contains("102400 bytes") && e.Line == null);
        batches.Should().Throw<BulkImportValidationException>().Which.Errors.Should().HaveCount(750);
        BulkImportCsv.Validate(rows).Should().HaveCount(750);
        harness.Handler.Count.Should().Be(0);
    }

    [Fact]
    public async Task An_upload_larger_than_the_file_bound_is_refused_before_sending()
    {
        using var harness = Harness.Json(Accepted, o => o.BulkImportMaxFileBytes = 20_000);
        var rows = Enumerable.Range(1, 300).Select(i => new BulkImportRow { FirstName = "First", LastName = "Last", Email = $"user{i}@example.com" }).ToList();

        var act = () => harness.Client.Users.BulkImportAsync("org-1", rows);

        var error = (await act.Should().ThrowAsync<BulkImportValidationException>()).Which;
        error.Errors.Should().ContainSingle().Which.Message.Should().Contain("at most 20000 bytes").And.Contain("BulkImportInBatchesAsync");
        BulkImportCsv.Validate(rows, harness.Options).Should().ContainSingle();
        BulkImportCsv.Validate(rows).Should().BeEmpty("the default bound is 16 MiB");
        harness.Handler.Count.Should().Be(0);
    }

    [Fact]
    public async Task Batches_are_all_measured_before_the_first_is_sent()
    {
        using var harness = Harness.Json(Accepted, o => o.BulkImportMaxFileBytes = 60_000);
        var rows = Enumerable.Range(1, 1500)
            .Select(i => new BulkImportRow { FirstName = "F", LastName = i > 750 ? new string('l', 80) : "L", Email = $"u{i}@example.com" })
            .ToList();

        var act = () => harness.Client.Users.BulkImportInBatchesAsync("org-1", rows);

        act.Should().Throw<BulkImportValidationException>().Which.Errors.Should().ContainSingle().Which.Message.Should().Contain("rows 751 to 1500");
        await Task.Yield();
        harness.Handler.Count.Should().Be(0);
    }

    [Fact]
    public async Task A_broken_upload_is_not_advertised_as_safe_to_retry()
    {
        using var harness = new Harness(
            (_, _) => throw new HttpRequestException(HttpRequestError.ResponseEnded, "Broken pipe", new IOException("Broken pipe")),
            o => o.Retry = new RetryOptions { MaxRetries = 3 });

        var act = () => harness.Client.Users.BulkImportCsvAsync("org-1", new MemoryStream(Utf8(Header + "\n" + Zoe + "\n")));

        var error = (await act.Should().ThrowAsync<ApiException>()).Which;
        error.IsTransient.Should().BeFalse();
        error.Message.Should().Contain("outcome is unknown").And.Contain("import status");
        harness.Handler.Count.Should().Be(1);
    }

    [Fact]
    public async Task A_failure_of_an_idempotent_call_or_before_connecting_stays_transient()
    {
        using var reset = new Harness((_, _) => throw new HttpRequestException(HttpRequestError.ResponseEnded, "reset", new IOException("reset")));
        using var refused = new Harness((_, _) => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused", new IOException("refused")));

        var status = () => reset.Client.Users.GetBulkImportStatusAsync("org-1", "task-1");
        var upload = () => refused.Client.Users.BulkImportAsync("org-1", [new BulkImportRow { FirstName = "F", LastName = "L", Email = "f@example.com" }]);

        (await status.Should().ThrowAsync<ApiException>()).Which.IsTransient.Should().BeTrue();
        var notSent = (await upload.Should().ThrowAsync<ApiException>()).Which;
        notSent.IsTransient.Should().BeTrue();
        notSent.Message.Should().NotContain("outcome is unknown");
    }

    [Fact]
    public async Task ReadAsync_applies_the_same_rules_without_uploading_and_without_the_per_file_limit()
    {
        var many = new StringBuilder("sep=;\r\n" + Header.Replace(',', ';') + "\r\n");
        for (var i = 1; i <= 800; i++)
        {
            many.Append(FormattableString.Invariant($"Zoë;Nuñez;u{i}@example.com;u{i}@example.com;trainee;Logística;ACTIVE;Add\r\n;;;;;;;\r\n"));
        }

        var rows = await BulkImportCsv.ReadAsync(new MemoryStream(Utf8(many.ToString())));
        var latin1 = () => BulkImportCsv.ReadAsync(new MemoryStream(Encoding.Latin1.GetBytes(Header + "\n" + Zoe + "\n")));
        var bounded = () => BulkImportCsv.ReadAsync(
            new MemoryStream(Utf8(Header + "\n" + Zoe + "\n")), new SymtrainClientOptions { BulkImportMaxFieldBytes = 5 });

        rows.Should().HaveCount(800);
        rows[799].Should().Be(new BulkImportRow { FirstName = "Zoë", LastName = "Nuñez", Username = "u800@example.com", Email = "u800@example.com", TeamName = "Logística" });
        (await latin1.Should().ThrowAsync<BulkImportValidationException>()).Which.Errors.Should().ContainSingle().Which.Line.Should().Be(2);
        (await bounded.Should().ThrowAsync<BulkImportValidationException>()).Which.Errors.Should().OnlyContain(e => e.Message.Contains("BulkImportMaxFieldBytes"));
    }

    [Fact]
    public void The_bounds_are_options_checked_when_the_options_are_validated()
    {
        var options = new SymtrainClientOptions { ApiKey = "k", BulkImportMaxFieldBytes = 0, BulkImportMaxFileBytes = -1 };

        options.Validate().Should().Contain(e => e.Contains("BulkImportMaxFieldBytes")).And.Contain(e => e.Contains("BulkImportMaxFileBytes"));
        new SymtrainClientOptions().BulkImportMaxFieldBytes.Should().Be(65_536);
        new SymtrainClientOptions().BulkImportMaxFileBytes.Should().Be(16 * 1024 * 1024);
    }

    [Fact]
    public void A_row_error_names_row_and_line_as_a_spreadsheet_shows_them()
    {
        new BulkImportRowError(4, "email", "is required.") { Line = 5 }.ToString().Should().Be("row 4 (line 5), email: is required.");
        new BulkImportRowError(4, null, "bad.") { Line = 5 }.ToString().Should().Be("row 4 (line 5): bad.");
        new BulkImportRowError(null, "phone", "unknown.") { Line = 1 }.ToString().Should().Be("line 1, phone: unknown.");
        new BulkImportRowError(4, "email", "is required.").ToString().Should().Be("row 4, email: is required.");
        new BulkImportRowError(null, null, "Too many.").ToString().Should().Be("Too many.");
    }
}
