using System.Text.Json;
using Symtrain.Client.Reports;

namespace Symtrain.Client.Tests.Reports;

public class ReportRowTests
{
    private static readonly ReportRow Row = ReportRow.Parse("""
        {"userId":"u1","attempts":3,"attemptsText":"4","score":91.25,"scoreText":"12.5","passed":true,"passedText":"false",
         "completedAt":"2022-09-07T06:25:23.9014976","syncedAt":"2024-01-02T03:04:05+02:00","missing":null,"tags":["a"],"Team":"Blue"}
        """);

    [Fact]
    public void Field_names_and_raw_json_are_kept_in_order()
    {
        Row.FieldNames.Should().Equal("userId", "attempts", "attemptsText", "score", "scoreText", "passed", "passedText", "completedAt", "syncedAt", "missing", "tags", "Team");
        Row.RawJson.Should().StartWith("{\"userId\":\"u1\"");
        Row.ToString().Should().Be(Row.RawJson);
        Row.Json.ValueKind.Should().Be(JsonValueKind.Object);
    }

    [Fact]
    public void Typed_getters_read_numbers_booleans_strings_and_dates()
    {
        Row.GetString("userId").Should().Be("u1");
        Row.GetString("attempts").Should().Be("3");
        Row.GetInt64("attempts").Should().Be(3);
        Row.GetInt64("attemptsText").Should().Be(4);
        Row.GetDouble("score").Should().Be(91.25);
        Row.GetDouble("scoreText").Should().Be(12.5);
        Row.GetDecimal("score").Should().Be(91.25m);
        Row.GetBoolean("passed").Should().BeTrue();
        Row.GetBoolean("passedText").Should().BeFalse();
        var completed = Row.GetDateTime("completedAt")!.Value;
        completed.Kind.Should().Be(DateTimeKind.Unspecified);
        completed.Should().Be(new DateTime(2022, 9, 7, 6, 25, 23).AddTicks(9014976));
        Row.GetDateTime("syncedAt").Should().Be(new DateTime(2024, 1, 2, 1, 4, 5, DateTimeKind.Utc));
    }

    [Fact]
    public void Missing_and_null_fields_read_as_null_and_TryGet_is_false()
    {
        Row.GetString("nope").Should().BeNull();
        Row.GetInt64("missing").Should().BeNull();
        Row.TryGetInt64("nope", out _).Should().BeFalse();
        Row.TryGetString("missing", out _).Should().BeFalse();
        Row.Contains("missing").Should().BeTrue();
        Row.Contains("nope").Should().BeFalse();
    }

    [Fact]
    public void A_value_of_another_type_throws_from_Get_and_is_false_from_TryGet()
    {
        var act = () => Row.GetInt64("userId");

        act.Should().Throw<FormatException>().WithMessage("*userId*integer*");
        Row.TryGetInt64("userId", out _).Should().BeFalse();
        Row.TryGetDateTime("userId", out _).Should().BeFalse();
        Row.TryGetBoolean("score", out _).Should().BeFalse();
        ((Action)(() => Row.GetString("tags"))).Should().Throw<FormatException>();
    }

    [Fact]
    public void Names_match_exactly_then_ignoring_case()
    {
        Row.GetString("team").Should().Be("Blue");
        Row.TryGetString("USERID", out var id).Should().BeTrue();
        id.Should().Be("u1");
    }

    [Fact]
    public void A_row_must_be_an_object_and_outlives_its_document()
    {
        ReportRow row;
        using (var document = JsonDocument.Parse("""{"a":1}"""))
        {
            row = new ReportRow(document.RootElement);
        }

        row.GetInt64("a").Should().Be(1);
        var act = () => ReportRow.Parse("[1]");
        act.Should().Throw<ArgumentException>();
    }

    [Theory]
    [InlineData("2022-09-07T06:25:23.90149761", "2022-09-07T06:25:23.9014976", DateTimeKind.Unspecified)]
    [InlineData("2022-09-07T06:25:23.901497619+00:00", "2022-09-07T06:25:23.9014976Z", DateTimeKind.Utc)]
    [InlineData("2024-02-29T12:00Z", "2024-02-29T12:00:00.0000000Z", DateTimeKind.Utc)]
    [InlineData("2024-02-29T13:00+0100", "2024-02-29T12:00:00.0000000Z", DateTimeKind.Utc)]
    [InlineData("2024-02-29T12:00", "2024-02-29T12:00:00.0000000", DateTimeKind.Unspecified)]
    public void Date_times_are_read_in_every_ISO_8601_form(string text, string expected, DateTimeKind kind)
    {
        var row = ReportRow.Parse($$"""{"at":"{{text}}"}""");

        row.TryGetDateTime("at", out var value).Should().BeTrue();
        value.ToString("O", System.Globalization.CultureInfo.InvariantCulture).Should().Be(expected);
        value.Kind.Should().Be(kind);
        row.GetDateTime("at").Should().Be(value);
    }

    [Fact]
    public void A_date_time_in_an_unknown_form_names_the_field_and_the_form_expected()
    {
        var row = ReportRow.Parse("""{"at":"07/09/2022","n":null}""");

        row.TryGetDateTime("at", out _).Should().BeFalse();
        var act = () => row.GetDateTime("at");
        act.Should().Throw<FormatException>().WithMessage("*'at'*ISO 8601*");
        row.GetDateTime("n").Should().BeNull();
        row.GetInt64("n").Should().BeNull();
        row.GetDouble("n").Should().BeNull();
        row.TryGetInt64("n", out _).Should().BeFalse();
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"  \"")]
    public void An_empty_date_time_reads_as_null_as_it_does_in_every_model(string json)
    {
        var row = ReportRow.Parse($$"""{"at":{{json}}}""");

        row.GetDateTime("at").Should().BeNull();
        row.TryGetDateTime("at", out _).Should().BeFalse();
    }

    [Fact]
    public void Parse_skips_a_byte_order_mark()
    {
        ReportRow.Parse("\uFEFF{\"a\":1}").GetInt64("a").Should().Be(1);
    }
}
