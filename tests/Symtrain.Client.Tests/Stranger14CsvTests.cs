using System.Text;
using Symtrain.Client.Tests.Users;
using Symtrain.Client.Users;
using TrainingApis.Core;

namespace Symtrain.Client.Tests;

/// <summary>
/// Issue 14, tried "after you": CSV files as spreadsheets save them, on the inputs, fields, encodings and bounds the
/// first tests did not try. Every file that is refused sends nothing; every file that is accepted uploads exactly the
/// user's text, never a U+FFFD that was not in it.
/// </summary>
public sealed class Stranger14CsvTests
{
    private const string Header = "firstName,lastName,username,email,role,teamName,status,action";
    private const string Accepted = """{"taskId":"task-1","validUsersCount":1,"invalidUsersCount":0,"errors":[]}""";
    private const string Ann = "Ann,Lee,ann@example.com,ann@example.com,trainee,Ops,ACTIVE,Add";
    private const string Zoe = "Zoë,Nuñez,zoe@example.com,zoe@example.com,trainee,Logística,ACTIVE,Add";

    private static readonly string[] Fields = ["firstName", "lastName", "username", "email", "role", "teamName", "status", "action"];

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string Uploaded(Harness harness) => BulkImportTests.Parts(harness.Single)["file"].Content;

    private static async Task<BulkImportValidationException> RefusedAsync(Harness harness, byte[] csv, int? readSize = null)
    {
        Stream input = readSize is { } size ? new ChunkedStream(csv, size) : new MemoryStream(csv);
        var act = () => harness.Client.Users.BulkImportCsvAsync("org-1", input);
        var error = (await act.Should().ThrowAsync<BulkImportValidationException>()).Which;
        harness.Handler.Count.Should().Be(0, "nothing is sent when the file is refused");
        return error;
    }

    private static async Task<string> AcceptedAsync(byte[] csv, int? readSize = null, Action<SymtrainClientOptions>? configure = null)
    {
        using var harness = Harness.Json(Accepted, configure);
        Stream input = readSize is { } size ? new ChunkedStream(csv, size) : new MemoryStream(csv);
        await harness.Client.Users.BulkImportCsvAsync("org-1", input);
        var uploaded = Uploaded(harness);
        uploaded.Should().NotContain("\uFFFD").And.NotContain("\uFEFF");
        return uploaded;
    }

    // ---- 1. Encodings ----

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public async Task A_windows_1252_byte_in_any_column_is_refused_naming_that_column(int column)
    {
        using var harness = Harness.Json(Accepted);
        var values = Ann.Split(',');
        values[column] = column is 2 or 3 ? "zoë@example.com" : values[column] + "ë";
        var csv = Encoding.Latin1.GetBytes(Header + "\r\n" + Zoe + "\r\n" + string.Join(",", values) + "\r\n");

        var error = await RefusedAsync(harness, csv);

        var only = error.Errors.Should().ContainSingle().Subject;
        (only.Row, only.Line, only.Field).Should().Be((1, 2, "firstName"), "the first byte that is not UTF-8 is Zoë's, on row 1");
        only.Message.Should().Contain("not UTF-8").And.Contain("CSV UTF-8 (Comma delimited)");

        // With Zoë's row in UTF-8, the only byte that is not is the one in the column tried.
        using var second = Harness.Json(Accepted);
        csv = [.. Utf8(Header + "\r\n" + Zoe + "\r\n"), .. Encoding.Latin1.GetBytes(string.Join(",", values) + "\r\n")];
        var error2 = await RefusedAsync(second, csv);
        error2.Errors.Should().ContainSingle().Which.Should().Match<BulkImportRowError>(e => e.Row == 2 && e.Line == 3 && e.Field == Fields[column]);
    }

    [Fact]
    public async Task A_windows_1252_header_is_one_error_of_line_1_saying_how_to_save_the_file()
    {
        using var harness = Harness.Json(Accepted);
        var csv = Encoding.Latin1.GetBytes("firstName,lastName,username,email,role,teamName,status,action,Téléphone\r\n" + Ann + ",\r\n");

        var error = await RefusedAsync(harness, csv);

        var only = error.Errors.Should().ContainSingle().Subject;
        only.Line.Should().Be(1);
        only.Message.Should().Contain("UTF-8").And.Contain("CSV UTF-8 (Comma delimited)").And.NotContain("unknown column");
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("")]
    public async Task A_windows_1252_byte_on_the_first_or_the_last_line_names_that_line(string end)
    {
        using var first = Harness.Json(Accepted);
        using var last = Harness.Json(Accepted);
        var firstRow = Encoding.Latin1.GetBytes(Header + "\r\n" + Zoe + "\r\n" + Ann + end);
        var lastRow = Encoding.Latin1.GetBytes(Header + "\r\n" + Ann + "\r\n" + Ann.Replace("ann@", "bo@", StringComparison.Ordinal) + "\r\n" + Zoe + end);

        (await RefusedAsync(first, firstRow)).Errors.Should().ContainSingle().Which.Should().Match<BulkImportRowError>(e => e.Row == 1 && e.Line == 2);
        (await RefusedAsync(last, lastRow)).Errors.Should().ContainSingle().Which.Should().Match<BulkImportRowError>(e => e.Row == 3 && e.Line == 4 && e.Field == "firstName");
    }

    [Fact]
    public async Task A_windows_1252_byte_in_a_quoted_value_with_line_breaks_names_the_line_its_row_starts_on()
    {
        using var inside = Harness.Json(Accepted);
        using var after = Harness.Json(Accepted);
        var multiLine = "Bo,Lee,bo@example.com,bo@example.com,trainee,\"Sales\r\nEMEA\r\nLogística\",ACTIVE,Add\r\n";

        var insideError = await RefusedAsync(inside, Encoding.Latin1.GetBytes(Header + "\r\n" + Ann + "\r\n" + multiLine));
        var afterError = await RefusedAsync(after, [.. Utf8(Header + "\r\n" + multiLine.Replace("í", "i", StringComparison.Ordinal)), .. Encoding.Latin1.GetBytes(Zoe + "\r\n")]);

        insideError.Errors.Should().ContainSingle().Which.Should().Match<BulkImportRowError>(e => e.Row == 2 && e.Line == 3 && e.Field == "teamName");
        afterError.Errors.Should().ContainSingle().Which.Should().Match<BulkImportRowError>(e => e.Row == 2 && e.Line == 5 && e.Field == "firstName");
    }

    /// <summary>A file of <paramref name="rows"/> valid rows whose multi-byte characters fall on every byte offset.</summary>
    private static string ManyRows(int rows)
    {
        var text = new StringBuilder(Header + "\r\n");
        for (var i = 1; i <= rows; i++)
        {
            // 'ë' is 2 bytes and '€' 3, so rows shift the characters across every buffer boundary.
            text.Append(FormattableString.Invariant($"Zoë{new string('€', i % 7)},Nuñez{new string('x', i % 5)},u{i}@example.com,u{i}@example.com,trainee,Logística,ACTIVE,Add\r\n"));
        }

        return text.ToString();
    }

    [Theory]
    [InlineData(4096, 1)]
    [InlineData(16384, 3)]
    [InlineData(65536, 4096)]
    [InlineData(65536, 65536)]
    public async Task Multi_byte_characters_across_buffer_boundaries_are_read_whole(int across, int readSize)
    {
        var rows = (across / 90) + 40;
        var text = ManyRows(Math.Min(rows, 750));

        var uploaded = await AcceptedAsync(Utf8(text), readSize);

        uploaded.Should().Be(text);
    }

    [Theory]
    [InlineData(4096)]
    [InlineData(16384)]
    [InlineData(65536)]
    public async Task An_invalid_byte_just_at_a_buffer_boundary_is_refused_naming_its_row_and_line(int boundary)
    {
        // Valid rows up to near the boundary, then a row whose lastName is padded so that a lone 0xAB (the second byte of
        // 'ë' without its first) sits exactly at the boundary offset; then more valid rows.
        var prefix = new StringBuilder(Header + "\r\n");
        var rows = 0;
        while (Encoding.UTF8.GetByteCount(prefix.ToString()) < boundary - 500)
        {
            rows++;
            prefix.Append(FormattableString.Invariant($"Zoë,Nuñez€,u{rows}@example.com,u{rows}@example.com,trainee,Logística,ACTIVE,Add\r\n"));
        }

        var start = Utf8(prefix + "Bo,");
        byte[] csv = [.. start, .. Enumerable.Repeat((byte)'e', boundary - start.Length), 0xAB, .. Utf8(",bo@example.com,bo@example.com,trainee,,ACTIVE,Add\r\n" + ManyRows(20)[(Header.Length + 2)..].Replace("@example.com", "@example.org", StringComparison.Ordinal))];
        csv[boundary].Should().Be(0xAB);

        foreach (var readSize in new int?[] { null, 1, 4096, boundary })
        {
            using var harness = Harness.Json(Accepted);
            var error = await RefusedAsync(harness, csv, readSize);
            error.Errors.Should().ContainSingle().Which.Should().Match<BulkImportRowError>(
                e => e.Row == rows + 1 && e.Line == rows + 2 && e.Field == "lastName" && e.Message.Contains("0xAB"), $"reads of {readSize?.ToString() ?? "all"}");
        }
    }

    public static TheoryData<string, byte[]> NotUtf8() => new()
    {
        { "overlong '/'", [0xC0, 0xAF] },
        { "overlong NUL", [0xC0, 0x80] },
        { "overlong 3-byte 'é'", [0xE0, 0x83, 0xA9] },
        { "CESU-8 surrogate pair for U+1F600", [0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80] },
        { "lone high surrogate", [0xED, 0xA0, 0x80] },
        { "lone continuation byte", [0x80] },
        { "two continuation bytes", [0xBF, 0xBF] },
        { "lead byte without continuation", [0xE2, 0x82, (byte)'x'] },
        { "5-byte form", [0xF8, 0x88, 0x80, 0x80, 0x80] },
        { "beyond U+10FFFF", [0xF4, 0x90, 0x80, 0x80] },
        { "byte FF", [0xFF] },
    };

    [Theory]
    [MemberData(nameof(NotUtf8))]
    public async Task Byte_sequences_that_are_not_utf8_are_refused_naming_row_line_and_column(string kind, byte[] sequence)
    {
        using var harness = Harness.Json(Accepted);
        byte[] csv = [.. Utf8(Header + "\r\n" + Ann + "\r\nBo,Le"), .. sequence, .. Utf8("e,bo@example.com,bo@example.com,trainee,,ACTIVE,Add\r\n")];

        var error = await RefusedAsync(harness, csv);

        error.Errors.Should().ContainSingle(kind).Which.Should().Match<BulkImportRowError>(e => e.Row == 2 && e.Line == 3 && e.Field == "lastName" && e.Message.Contains("not UTF-8"));
    }

    [Theory]
    [InlineData(new byte[] { 0xE2, 0x82 })]
    [InlineData(new byte[] { 0xF0, 0x9F, 0x98 })]
    [InlineData(new byte[] { 0xC3 })]
    public async Task A_character_cut_at_the_end_of_a_file_without_a_final_line_break_is_refused(byte[] cut)
    {
        using var harness = Harness.Json(Accepted);
        byte[] csv = [.. Utf8(Header + "\r\n" + Ann + "\r\nBo,Lee,bo@example.com,bo@example.com,trainee,,ACTIVE,Add"), .. cut];

        var error = await RefusedAsync(harness, csv);

        error.Errors.Should().ContainSingle().Which.Should().Match<BulkImportRowError>(e => e.Row == 2 && e.Line == 3 && e.Field == "action");
    }

    [Fact]
    public async Task Characters_outside_the_basic_plane_and_combining_marks_are_uploaded_unchanged()
    {
        // A name is never normalised: "Zoë" with a combining diaeresis stays as written, as does an emoji.
        var text = Header + "\r\nZoe\u0308,Nu\u00F1ez 😀,zoe@example.com,zoe@example.com,trainee,𝔗eam,ACTIVE,Add\r\n";

        (await AcceptedAsync(Utf8(text))).Should().Be(text);
    }

    public static TheoryData<string> BomEncodings() => ["utf-16be", "utf-32le", "utf-32be"];

    [Theory]
    [MemberData(nameof(BomEncodings))]
    public async Task A_sep_line_and_a_multi_line_value_after_a_utf16_or_utf32_byte_order_mark_keep_their_lines(string name)
    {
        Encoding encoding = name switch
        {
            "utf-16be" => Encoding.BigEndianUnicode,
            "utf-32le" => Encoding.UTF32,
            _ => new UTF32Encoding(bigEndian: true, byteOrderMark: true),
        };
        var text = "sep=;\r\n" + Header.Replace(',', ';') + "\r\n" + Zoe.Replace(',', ';').Replace("Logística", "\"Logística\r\nNorte\"", StringComparison.Ordinal)
            + "\r\nBo;Lee;bo@example.com;bo@example.com;trainee;;active;Add\r\n";
        using var harness = Harness.Json(Accepted);

        var error = await RefusedAsync(harness, [.. encoding.GetPreamble(), .. encoding.GetBytes(text)]);

        error.Errors.Should().ContainSingle().Which.Should().Match<BulkImportRowError>(e => e.Row == 2 && e.Line == 5 && e.Field == "status");
        (await AcceptedAsync([.. encoding.GetPreamble(), .. encoding.GetBytes(text.Replace("active", "ACTIVE", StringComparison.Ordinal))]))
            .Should().Contain("Zoë,Nuñez,zoe@example.com,zoe@example.com,trainee,\"Logística\r\nNorte\",ACTIVE,Add\r\n");
    }

    [Theory]
    [InlineData("utf-16le")]
    [InlineData("utf-16be")]
    public async Task A_utf16_file_with_a_lone_surrogate_is_refused_without_uploading_a_replacement_character(string name)
    {
        var encoding = name == "utf-16le" ? Encoding.Unicode : Encoding.BigEndianUnicode;
        var body = encoding.GetBytes(Header + "\r\n" + Ann + "\r\nBo,Lee,bo@example.com,bo@example.com,trainee,X,ACTIVE,Add\r\n");
        var x = encoding.GetBytes("X");
        var at = body.AsSpan().IndexOf(x);
        byte[] lone = name == "utf-16le" ? [0x00, 0xD8] : [0xD8, 0x00];
        lone.CopyTo(body, at);
        using var harness = Harness.Json(Accepted);

        var error = await RefusedAsync(harness, [.. encoding.GetPreamble(), .. body]);

        error.Errors.Should().ContainSingle().Which.Should().Match<BulkImportRowError>(e => e.Row == 2 && e.Line == 3 && e.Field == "teamName");
    }

    [Theory]
    [InlineData("utf-16le")]
    [InlineData("utf-16be")]
    public async Task A_utf16_file_without_a_byte_order_mark_is_refused_with_one_clear_error(string name)
    {
        var encoding = name == "utf-16le" ? Encoding.Unicode : Encoding.BigEndianUnicode;
        using var harness = Harness.Json(Accepted);

        var error = await RefusedAsync(harness, encoding.GetBytes(Header + "\r\n" + Zoe + "\r\n"));

        var only = error.Errors.Should().ContainSingle().Subject;
        only.Line.Should().Be(1);
        only.Message.Should().Contain("UTF-16").And.Contain("CSV UTF-8 (Comma delimited)");
    }

    [Theory]
    [InlineData("\0", "U+0000")]
    [InlineData("\u0001", "U+0001")]
    [InlineData("\u001B", "U+001B")]
    [InlineData("\u007F", "U+007F")]
    [InlineData("\u0085", "U+0085")]
    public async Task A_control_character_in_a_value_is_refused_naming_it(string control, string named)
    {
        using var harness = Harness.Json(Accepted);
        var csv = Header + "\r\n" + Ann + "\r\nBo,Le" + control + "e,bo@example.com,bo@example.com,trainee,,ACTIVE,Add\r\n";

        var error = await RefusedAsync(harness, Utf8(csv));
        var rows = BulkImportCsv.Validate([new BulkImportRow { FirstName = "Bo", LastName = "Le" + control + "e", Email = "bo@example.com" }]);

        error.Errors.Should().ContainSingle().Which.Should().Match<BulkImportRowError>(e => e.Row == 2 && e.Line == 3 && e.Field == "lastName" && e.Message.Contains(named));
        rows.Should().ContainSingle().Which.Field.Should().Be("lastName");
    }

    [Fact]
    public async Task A_byte_order_mark_inside_the_file_is_refused_naming_its_row_and_line()
    {
        // Two UTF-8 files with byte order marks joined into one: the second mark starts line 3.
        using var harness = Harness.Json(Accepted);
        byte[] csv = [0xEF, 0xBB, 0xBF, .. Utf8(Header + "\r\n" + Zoe + "\r\n"), 0xEF, 0xBB, 0xBF, .. Utf8(Ann + "\r\n")];

        var error = await RefusedAsync(harness, csv);
        var rows = BulkImportCsv.Validate([new BulkImportRow { FirstName = "\uFEFFAnn", LastName = "Lee", Email = "ann@example.com" }]);

        error.Errors.Should().ContainSingle().Which.Should().Match<BulkImportRowError>(e => e.Row == 2 && e.Line == 3 && e.Field == "firstName" && e.Message.Contains("U+FEFF"));
        rows.Should().ContainSingle().Which.Field.Should().Be("firstName");
    }

    [Fact]
    public async Task More_than_100000_rows_stop_the_reading_with_one_error_naming_the_line()
    {
        var text = new StringBuilder(Header + "\n");
        for (var i = 0; i < 100_001; i++)
        {
            text.Append("a,b,c,d,e,,f,g\n");
        }

        using var harness = Harness.Json(Accepted);
        var error = await RefusedAsync(harness, Utf8(text.ToString()));

        error.Errors.Should().ContainSingle().Which.Should().Match<BulkImportRowError>(e => e.Line == 100_002 && e.Message.Contains("more than 100000 rows"));
    }

    [Fact]
    public async Task Line_breaks_and_tabs_inside_quoted_values_stay_allowed()
    {
        var text = Header + "\r\nAnn,Lee,ann@example.com,ann@example.com,trainee,\"Sales\r\nEMEA\tNorth\",ACTIVE,Add\r\n";

        (await AcceptedAsync(Utf8(text))).Should().Be(text);
    }

    // ---- 2. Separators and spreadsheet habits ----

    [Theory]
    [InlineData("sep=\t", '\t')]
    [InlineData("sep=,", ',')]
    [InlineData("sep=;", ';')]
    [InlineData("SEP=;", ';')]
    public async Task A_sep_line_after_a_utf8_byte_order_mark_sets_the_separator_and_counts_as_line_1(string sepLine, char separator)
    {
        var text = sepLine + "\r\n" + Header.Replace(',', separator) + "\r\n" + Zoe.Replace(',', separator) + "\r\nBo" + separator + "Lee" + separator
            + "bo@example.com" + separator + "bo@example.com" + separator + "trainee" + separator + separator + "ACTIVE" + separator + "Insert\r\n";
        byte[] csv = [0xEF, 0xBB, 0xBF, .. Utf8(text)];
        using var harness = Harness.Json(Accepted);

        var error = await RefusedAsync(harness, csv);
        var uploaded = await AcceptedAsync([0xEF, 0xBB, 0xBF, .. Utf8(text.Replace("Insert", "Add", StringComparison.Ordinal))]);

        error.Errors.Should().ContainSingle().Which.Should().Match<BulkImportRowError>(e => e.Row == 2 && e.Line == 4 && e.Field == "action");
        uploaded.Should().StartWith(Header + "\r\n" + Zoe + "\r\n");
    }

    [Theory]
    [InlineData("sep=;;;;;;;;", ';')]   // a sep= line saved back by a program that read it as a cell
    [InlineData("sep=,,,,,,,,", ',')]
    public async Task A_sep_line_with_trailing_separators_is_still_the_separator_line(string sepLine, char separator)
    {
        var text = sepLine + "\r\n" + Header.Replace(',', separator) + "\r\n" + Zoe.Replace(',', separator) + "\r\n";

        (await AcceptedAsync(Utf8(text))).Should().Be(Header + "\r\n" + Zoe + "\r\n");
    }

    [Fact]
    public async Task Quoted_header_names_and_values_are_read_as_their_text()
    {
        var quoted = string.Join(",", Header.Split(',').Select(h => "\"" + h + "\"")) + "\r\n" + string.Join(",", Zoe.Split(',').Select(v => "\"" + v + "\"")) + "\r\n";

        (await AcceptedAsync(Utf8(quoted))).Should().Be(Header + "\r\n" + Zoe + "\r\n");
    }

    [Fact]
    public async Task A_sep_line_that_does_not_match_the_header_says_which_separator_the_header_uses()
    {
        using var harness = Harness.Json(Accepted);

        var error = await RefusedAsync(harness, Utf8("sep=;\r\n" + Header + "\r\n" + Zoe + "\r\n"));

        var only = error.Errors.Should().ContainSingle().Subject;
        only.Line.Should().Be(2);
        only.Message.Should().Contain("separated by commas").And.Contain("sep=;").And.NotContain("not commas");
    }

    [Theory]
    [InlineData("\r", "CR")]
    [InlineData("\n", "LF")]
    [InlineData("\r\n", "CRLF")]
    [InlineData("mixed", "mixed")]
    public async Task Every_line_ending_ends_a_row_and_counts_as_one_line(string newLine, string name)
    {
        string[] endings = newLine == "mixed" ? ["\r\n", "\n", "\r", "\n", "\r\n"] : [newLine, newLine, newLine, newLine, newLine];
        var text = Header + endings[0] + Zoe + endings[1] + endings[2] + Ann + endings[3] + "Bo,Lee,bo@example.com,bo@example.com,trainee,,ACTIVE,Remove" + endings[4];
        using var harness = Harness.Json(Accepted);

        var error = await RefusedAsync(harness, Utf8(text));
        var uploaded = await AcceptedAsync(Utf8(text.Replace("Remove", "Add", StringComparison.Ordinal)));

        error.Errors.Should().ContainSingle(name).Which.Should().Match<BulkImportRowError>(e => e.Row == 3 && e.Line == 5 && e.Field == "action");
        uploaded.Should().Be(Header + "\r\n" + Zoe + "\r\n" + Ann + "\r\nBo,Lee,bo@example.com,bo@example.com,trainee,,ACTIVE,Add\r\n");
    }

    [Fact]
    public async Task A_repeated_column_is_named_once_on_line_1_and_nothing_else_is_reported()
    {
        using var harness = Harness.Json(Accepted);

        var error = await RefusedAsync(harness, Utf8(Header + ",Email\r\n" + Ann + ",ann@example.com\r\n"));

        var only = error.Errors.Should().ContainSingle().Subject;
        (only.Line, only.Row, only.Field).Should().Be((1, null, "email"));
        only.Message.Should().Contain("repeats the column 'email'");
    }

    [Fact]
    public async Task A_missing_column_is_named_on_line_1()
    {
        using var harness = Harness.Json(Accepted);

        var error = await RefusedAsync(harness, Utf8("firstName,lastName,username,email,role,status,action\r\nAnn,Lee,ann@example.com,ann@example.com,trainee,ACTIVE,Add\r\n"));

        error.Errors.Should().ContainSingle().Which.Should().Match<BulkImportRowError>(e => e.Line == 1 && e.Field == "teamName" && e.Message.Contains("no column 'teamName'"));
    }

    [Fact]
    public async Task The_columns_may_come_in_any_order()
    {
        var text = "email,action,status,teamName,role,username,lastName,firstName\r\nzoe@example.com,Add,ACTIVE,Logística,trainee,zoe@example.com,Nuñez,Zoë\r\n";

        (await AcceptedAsync(Utf8(text))).Should().Be(Header + "\r\n" + Zoe + "\r\n");
    }

    [Fact]
    public async Task A_row_with_missing_fields_names_its_row_line_and_field_count()
    {
        using var harness = Harness.Json(Accepted);

        var error = await RefusedAsync(harness, Utf8(Header + "\r\n,,,,,,,\r\n" + Zoe + "\r\nAnn,Lee,ann@example.com,ann@example.com,trainee,Ops\r\n"));

        error.Errors.Should().Contain(e => e.Row == 2 && e.Line == 4 && e.Message.Contains("has 6 fields; the header has 8"));
        error.Errors.Should().OnlyContain(e => e.Row == 2 && e.Line == 4);
    }

    [Theory]
    [InlineData("   ")]
    [InlineData("\t")]
    [InlineData(" , ,\t,,,,, ")]
    [InlineData("\"\",\"\",,,,,,")]
    [InlineData("")]
    public async Task Blank_rows_and_trailing_empty_lines_are_skipped_without_shifting_line_numbers(string blank)
    {
        var text = Header + "\r\n" + blank + "\r\n" + Zoe + "\r\n" + blank + "\r\n" + Ann.Replace("ACTIVE", "Active", StringComparison.Ordinal) + "\r\n" + blank + "\r\n\r\n\r\n";
        using var harness = Harness.Json(Accepted);

        var error = await RefusedAsync(harness, Utf8(text));
        var uploaded = await AcceptedAsync(Utf8(text.Replace("Active", "ACTIVE", StringComparison.Ordinal)));

        error.Errors.Should().ContainSingle().Which.Should().Match<BulkImportRowError>(e => e.Row == 2 && e.Line == 5 && e.Field == "status");
        uploaded.Should().Be(Header + "\r\n" + Zoe + "\r\n" + Ann + "\r\n");
    }

    [Fact]
    public async Task Doubled_quotes_and_quoted_separators_round_trip_exactly()
    {
        var text = Header + "\r\n\"O\"\"Brien\",\"Lee, Jr.\",ann@example.com,ann@example.com,trainee,\"\"\"Ops\"\"\",ACTIVE,Add\r\n";

        (await AcceptedAsync(Utf8(text))).Should().Be(text);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"\"https://evil.example\"\")", "'=HYPERLINK(")]
    [InlineData("+1", "'+1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    public async Task A_formula_looking_team_is_written_with_a_leading_apostrophe_as_documented(string team, string written)
    {
        var text = Header + "\r\nAnn,Lee,ann@example.com,ann@example.com,trainee,\"" + team + "\",ACTIVE,Add\r\n";

        (await AcceptedAsync(Utf8(text))).Should().Contain(written);
    }

    [Fact]
    public async Task A_formula_looking_email_is_refused_not_changed()
    {
        using var harness = Harness.Json(Accepted);

        var error = await RefusedAsync(harness, Utf8(Header + "\r\nAnn,Lee,=ann@example.com,=ann@example.com,trainee,,ACTIVE,Add\r\n"));

        error.Errors.Should().Contain(e => e.Field == "email" && e.Line == 2 && e.Message.Contains("formula"));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF })]
    [InlineData(new byte[] { 0xFF, 0xFE })]
    [InlineData(new byte[] { 0x0D, 0x0A, 0x0D, 0x0A })]
    public async Task An_empty_file_is_one_error(byte[] csv)
    {
        using var harness = Harness.Json(Accepted);

        var error = await RefusedAsync(harness, csv);

        error.Errors.Should().ContainSingle().Which.Message.Should().Contain("empty");
    }

    [Fact]
    public async Task A_header_without_rows_is_one_error()
    {
        using var harness = Harness.Json(Accepted);

        var error = await RefusedAsync(harness, Utf8(Header + "\r\n,,,,,,,\r\n"));

        error.Errors.Should().ContainSingle().Which.Message.Should().Contain("no rows");
    }

    [Fact]
    public async Task An_unclosed_quote_is_one_error_of_its_row_not_a_cascade_of_its_fields()
    {
        using var harness = Harness.Json(Accepted);

        var error = await RefusedAsync(harness, Utf8(Header + "\r\n" + Ann + "\r\nGrace,\"Hopper,grace@example.com,grace@example.com,trainee,,ACTIVE,Add\r\n" + Zoe + "\r\n"));

        error.Errors.Should().ContainSingle().Which.Should().Match<BulkImportRowError>(e => e.Row == 2 && e.Line == 3 && e.Message.Contains("never closed"));
    }

    [Fact]
    public async Task A_quote_inside_an_unquoted_value_is_one_error_and_the_other_rows_are_still_checked()
    {
        using var harness = Harness.Json(Accepted);

        var error = await RefusedAsync(harness, Utf8(Header + "\r\nAnn,O\"Brien,ann@example.com,ann@example.com,trainee,,ACTIVE,Add\r\n" + Zoe.Replace("ACTIVE", "active", StringComparison.Ordinal) + "\r\n"));

        error.Errors.Should().HaveCount(2);
        error.Errors[0].Should().Match<BulkImportRowError>(e => e.Row == 1 && e.Line == 2 && e.Message.Contains("malformed"));

        // Said in words, not as the reader's enum (fails on main: "StrayQuote (a quote inside …)").
        error.Errors[0].Message.Should().Contain("a quote inside a value that is not quoted").And.NotContain("StrayQuote");
        error.Errors[1].Should().Match<BulkImportRowError>(e => e.Row == 2 && e.Line == 3 && e.Field == "status");
    }

    [Fact]
    public async Task A_duplicate_username_names_the_row_and_the_line_of_its_first_appearance()
    {
        using var harness = Harness.Json(Accepted);

        var error = await RefusedAsync(harness, Utf8(Header + "\r\n,,,,,,,\r\n" + Ann + "\r\n" + Zoe + "\r\n" + Ann.Replace("Ann,", "Annie,", StringComparison.Ordinal) + "\r\n"));

        var only = error.Errors.Should().ContainSingle().Subject;
        (only.Row, only.Line).Should().Be((3, 5));
        only.Message.Should().Contain("row 1 (line 3)");
    }

    // ---- 3. Bounds ----

    [Theory]
    [InlineData("é", 2)]
    [InlineData("€", 3)]
    [InlineData("😀", 4)]
    public async Task The_field_bound_is_in_utf8_bytes_exactly(string character, int size)
    {
        const int Max = 120;
        var atBound = string.Concat(Enumerable.Repeat(character, Max / size));
        var over = atBound + "x";
        static byte[] File(string lastName) => Utf8(Header + "\r\n" + Zoe + "\r\nAnn," + lastName + ",ann@example.com,ann@example.com,trainee,,ACTIVE,Add\r\n");
        using var harness = Harness.Json(Accepted, o => o.BulkImportMaxFieldBytes = Max);

        (await AcceptedAsync(File(atBound), configure: o => o.BulkImportMaxFieldBytes = Max)).Should().Contain(atBound);
        var error = await RefusedAsync(harness, File(over));
        error.Errors.Should().ContainSingle().Which.Should().Match<BulkImportRowError>(e => e.Row == 2 && e.Line == 3 && e.Field == "lastName" && e.Message.Contains($"{Max + 1} bytes"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_file_bound_is_exact_for_seekable_and_non_seekable_streams(bool seekable)
    {
        var text = Header + "\r\n" + Zoe + "\r\n";
        var size = Utf8(text).Length;
        var readSize = seekable ? (int?)null : 7;

        var uploaded = await AcceptedAsync(Utf8(text), readSize, o => o.BulkImportMaxFileBytes = size);
        using var harness = Harness.Json(Accepted, o => o.BulkImportMaxFileBytes = size - 1);
        var error = await RefusedAsync(harness, Utf8(text), readSize);

        uploaded.Should().Be(text);
        error.Errors.Should().ContainSingle().Which.Message.Should().Contain($"larger than {size - 1} bytes");
    }

    [Fact]
    public async Task A_file_under_the_bound_whose_upload_would_be_over_it_is_refused_before_sending()
    {
        // Formula escaping and CRLF make the upload larger than the file read.
        var text = Header + "\n" + "Ann,Lee,ann@example.com,ann@example.com,trainee,=a,ACTIVE,Add\n";
        var size = Utf8(text).Length;
        using var harness = Harness.Json(Accepted, o => o.BulkImportMaxFileBytes = size);

        var error = await RefusedAsync(harness, Utf8(text));

        error.Errors.Should().ContainSingle().Which.Message.Should().Contain($"at most {size} bytes");
    }

    [Fact]
    public async Task Seven_hundred_fifty_one_rows_are_refused_and_750_with_empty_rows_between_are_sent()
    {
        static string File(int rows)
        {
            var text = new StringBuilder(Header + "\r\n");
            for (var i = 1; i <= rows; i++)
            {
                text.Append(FormattableString.Invariant($"F,L,u{i}@example.com,u{i}@example.com,trainee,,ACTIVE,Add\r\n,,,,,,,\r\n"));
            }

            return text.ToString();
        }

        using var harness = Harness.Json(Accepted);
        var error = await RefusedAsync(harness, Utf8(File(751)));
        var uploaded = await AcceptedAsync(Utf8(File(750)));

        error.Errors.Should().ContainSingle().Which.Message.Should().Contain("751 rows").And.Contain("750").And.Contain("BulkImportInBatchesAsync");
        uploaded.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(751);
    }

    [Theory]
    [InlineData(",")]
    [InlineData("\r\n")]
    [InlineData(",,,,,,,\r\n")]
    [InlineData("\"\"")]
    public async Task Input_that_never_ends_is_read_only_to_a_bound(string repeated)
    {
        using var harness = Harness.Json(Accepted, o => o.BulkImportMaxFileBytes = 1024 * 1024);
        using var endless = new EndlessStream(Utf8(Header + "\r\n" + Zoe + "\r\nAnn,"), Utf8(repeated));

        var act = () => harness.Client.Users.BulkImportCsvAsync("org-1", endless);

        var error = (await act.Should().ThrowAsync<BulkImportValidationException>()).Which;
        error.Errors.Should().ContainSingle().Which.Message.Should().Contain("Bulk");
        endless.BytesRead.Should().BeLessThan(4L * 1024 * 1024);
        harness.Handler.Count.Should().Be(0);
    }

    [Fact]
    public async Task A_huge_quoted_field_made_of_doubled_quotes_stops_at_the_record_bound_naming_row_and_line()
    {
        using var harness = Harness.Json(Accepted, o => o.BulkImportMaxFieldBytes = 1000);
        using var endless = new EndlessStream(Utf8(Header + "\r\n" + Zoe + "\r\nAnn,\""), Utf8("\"\""));

        var act = () => harness.Client.Users.BulkImportCsvAsync("org-1", endless);

        var error = (await act.Should().ThrowAsync<BulkImportValidationException>()).Which;
        error.Errors.Should().ContainSingle().Which.Should().Match<BulkImportRowError>(e => e.Row == 2 && e.Line == 3 && e.Message.Contains("BulkImportMaxFieldBytes"));
        endless.BytesRead.Should().BeLessThan(1024 * 1024);
    }

    // ---- 3b. Uploads whose outcome is unknown ----

    public static TheoryData<string, HttpRequestError> AfterSending() => new()
    {
        { "reset", HttpRequestError.ResponseEnded },
        { "invalid response", HttpRequestError.InvalidResponse },
        { "unknown", HttpRequestError.Unknown },
        { "http2 protocol error", HttpRequestError.HttpProtocolError },
    };

    [Theory]
    [MemberData(nameof(AfterSending))]
    public async Task Every_upload_that_broke_after_connecting_is_unknown_not_transient_and_sent_once(string kind, HttpRequestError error)
    {
        using var csv = new Harness((_, _) => throw new HttpRequestException(error, kind, new IOException(kind)));
        using var rows = new Harness((_, _) => throw new HttpRequestException(error, kind, new IOException(kind)));
        using var batches = new Harness((_, _) => throw new HttpRequestException(error, kind, new IOException(kind)));

        var fromCsv = () => csv.Client.Users.BulkImportCsvAsync("org-1", new MemoryStream(Utf8(Header + "\r\n" + Zoe + "\r\n")));
        var fromRows = () => rows.Client.Users.BulkImportAsync("org-1", [new BulkImportRow { FirstName = "F", LastName = "L", Email = "f@example.com" }]);
        var inBatches = async () =>
        {
            await foreach (var _ in batches.Client.Users.BulkImportInBatchesAsync("org-1", [new BulkImportRow { FirstName = "F", LastName = "L", Email = "f@example.com" }]))
            {
            }
        };

        foreach (var (harness, act) in new[] { (csv, fromCsv), (rows, fromRows), (batches, inBatches) })
        {
            var exception = (await act.Should().ThrowAsync<ApiException>()).Which;
            exception.IsTransient.Should().BeFalse(kind);
            exception.Message.Should().Contain("outcome is unknown").And.Contain("import status");
            harness.Handler.Count.Should().Be(1, "an upload whose fate is unknown is never sent again by the client");
        }
    }

    [Fact]
    public async Task A_bare_broken_pipe_after_the_whole_body_was_read_is_unknown_not_transient()
    {
        using var harness = new Harness(
            (request, _) => request.Body.Length > 0 ? throw new IOException("Broken pipe") : FakeHttpHandler.JsonResponse(Accepted),
            o => o.Retry = new RetryOptions { MaxRetries = 3 });

        var act = () => harness.Time.RunAsync(harness.Client.Users.BulkImportCsvAsync("org-1", new MemoryStream(Utf8(Header + "\r\n" + Zoe + "\r\n"))));

        var exception = (await act.Should().ThrowAsync<ApiException>()).Which;
        exception.IsTransient.Should().BeFalse();
        exception.Message.Should().Contain("outcome is unknown");
        harness.Handler.Requests.Should().ContainSingle().Which.Body.Should().Contain("Zoë,Nuñez");
    }

    [Fact]
    public async Task An_upload_refused_before_connecting_is_transient_and_retried()
    {
        using var harness = new Harness(
            (_, _) => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused", new IOException("refused")),
            o => o.Retry = new RetryOptions { MaxRetries = 2 });

        var act = () => harness.Time.RunAsync(harness.Client.Users.BulkImportCsvAsync("org-1", new MemoryStream(Utf8(Header + "\r\n" + Zoe + "\r\n"))));

        var exception = (await act.Should().ThrowAsync<ApiException>()).Which;
        exception.IsTransient.Should().BeTrue();
        exception.Message.Should().NotContain("outcome is unknown");
        harness.Handler.Count.Should().Be(3);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task A_5xx_answer_to_an_upload_is_unknown_and_not_retried(int status)
    {
        using var harness = new Harness(
            (_, _) => FakeHttpHandler.JsonResponse("{}", (System.Net.HttpStatusCode)status),
            o => o.Retry = new RetryOptions { MaxRetries = 2 });

        var act = () => harness.Time.RunAsync(harness.Client.Users.BulkImportCsvAsync("org-1", new MemoryStream(Utf8(Header + "\r\n" + Zoe + "\r\n"))));

        var exception = (await act.Should().ThrowAsync<ApiException>()).Which;
        exception.IsTransient.Should().BeFalse();
        exception.Message.Should().Contain("outcome is unknown");
        harness.Handler.Count.Should().Be(1);
    }

    [Fact]
    public async Task The_other_symtrain_writes_are_retried_after_a_reset_because_repeating_them_is_harmless()
    {
        // Create user "creates or returns the existing user" (Symtrain's docs), assign and tokens give the same result
        // twice: their failures stay transient, as docs/errors.md says.
        using var harness = new Harness(
            (_, _) => throw new HttpRequestException(HttpRequestError.ResponseEnded, "reset", new IOException("reset")),
            o => o.Retry = new RetryOptions { MaxRetries = 1 });

        var create = () => harness.Time.RunAsync(harness.Client.Users.CreateUserAsync(new CreateUserRequest { OrganizationId = "org-1", Email = "a@example.com" }));
        var assign = () => harness.Time.RunAsync(harness.Client.Access.AssignSimulationAsync("org-1", "user-1", "sim-1"));

        (await create.Should().ThrowAsync<ApiException>()).Which.IsTransient.Should().BeTrue();
        (await assign.Should().ThrowAsync<ApiException>()).Which.IsTransient.Should().BeTrue();
        harness.Handler.Count.Should().Be(4, "each was sent twice");
    }

    /// <summary>A stream over <paramref name="bytes"/> that hands over at most <paramref name="size"/> bytes per read and cannot seek.</summary>
    private sealed class ChunkedStream(byte[] bytes, int size) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, size), bytes.Length - _position);
            Array.Copy(bytes, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
