using System.Text.Json;
using TrainingApis.Core.Json;
using TrainingApis.Core.Tests.TestSupport;

namespace TrainingApis.Core.Tests.Json;

public sealed class LenientDateTimeConverterTests
{
    // 2022-09-07T06:25:23 plus the fraction in ticks; the forms a server may send, with and without an offset.
    public static TheoryData<string, long, bool> Forms => new()
    {
        { "2022-09-07T06:25:23.9014976", 9014976, false },
        { "2022-09-07T06:25:23.90149761", 9014976, false },  // 8 digits (issue 14): truncated to 100 ns
        { "2022-09-07T06:25:23.901497619", 9014976, false }, // 9 digits
        { "2022-09-07T06:25:23.901497", 9014970, false },
        { "2022-09-07T06:25:23.901", 9010000, false },
        { "2022-09-07T06:25:23.9", 9000000, false },
        { "2022-09-07T06:25:23,9", 9000000, false },         // ISO 8601 allows a comma
        { "2022-09-07T06:25:23", 0, false },
        { "2022-09-07t06:25:23", 0, false },
        { "2022-09-07 06:25:23.9014976", 9014976, false },
        { " 2022-09-07T06:25:23 ", 0, false },
        { "2022-09-07T06:25:23.9014976Z", 9014976, true },
        { "2022-09-07T06:25:23.90149761Z", 9014976, true },
        { "2022-09-07T06:25:23.901497619z", 9014976, true },
        { "2022-09-07T06:25:23Z", 0, true },
        { "2022-09-07T08:25:23.9014976+02:00", 9014976, true },
        { "2022-09-07T08:25:23.9014976+0200", 9014976, true },
        { "2022-09-07T08:25:23.9014976+02", 9014976, true },
        { "2022-09-07T01:25:23.9014976-05:00", 9014976, true },
        { "2022-09-07T11:55:23+05:30", 0, true },
        { "2022-09-07T06:25:23-00:00", 0, true },
        { "2022-09-07 06:25:23.9014976Z", 9014976, true },
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public void Every_form_reads_into_every_date_time_shape(string text, long fractionTicks, bool hasOffset)
    {
        var times = ReadAll(text);

        var kind = hasOffset ? DateTimeKind.Utc : DateTimeKind.Unspecified;
        var expected = new DateTime(2022, 9, 7, 6, 25, 23, kind).AddTicks(fractionTicks);
        times.At.Should().Be(expected);
        times.At.Kind.Should().Be(kind);
        times.MaybeAt.Should().Be(expected);
        times.MaybeAt!.Value.Kind.Should().Be(kind);
        var instant = new DateTimeOffset(DateTime.SpecifyKind(expected, DateTimeKind.Utc));
        times.Offset.Should().Be(instant);
        times.Offset.Offset.Should().Be(TimeSpan.Zero);
        times.MaybeOffset.Should().Be(instant);
        LenientDateTimeConverter.TryParse(text, out var parsed).Should().BeTrue();
        parsed.Should().Be(expected);
        parsed.Kind.Should().Be(kind);
    }

    [Theory]
    [InlineData("2024-02-29T12:00Z", 2024, 2, 29, 12, 0, DateTimeKind.Utc)]          // minutes and an offset, no seconds (issue 14)
    [InlineData("2024-02-29T13:30+01:30", 2024, 2, 29, 12, 0, DateTimeKind.Utc)]
    [InlineData("2024-02-29T13:45", 2024, 2, 29, 13, 45, DateTimeKind.Unspecified)]
    [InlineData("2024-02-29 13:45", 2024, 2, 29, 13, 45, DateTimeKind.Unspecified)]
    [InlineData("2024-02-29", 2024, 2, 29, 0, 0, DateTimeKind.Unspecified)]
    [InlineData("2024-03-01T00:30+01:00", 2024, 2, 29, 23, 30, DateTimeKind.Utc)]   // the offset moves it across a day
    public void Dates_and_minute_precision_times_are_read(string text, int year, int month, int day, int hour, int minute, DateTimeKind kind)
    {
        var value = ReadAll(text).At;

        value.Should().Be(new DateTime(year, month, day, hour, minute, 0, kind));
        value.Kind.Should().Be(kind);
    }

    [Theory]
    [InlineData("not a date")]
    [InlineData("2022-13-07T06:25:23")]
    [InlineData("2022-02-30T06:25:23")]
    [InlineData("2023-02-29")]
    [InlineData("2022-09-07T24:00:00")]
    [InlineData("2022-09-07T06:60:00")]
    [InlineData("2022-09-07T06:25:60")]
    [InlineData("07/09/2022")]
    [InlineData("2022-9-7")]
    [InlineData("22-09-07")]
    [InlineData("2022-09-07T06")]
    [InlineData("2024-02-29T13+01")]                 // hours alone
    [InlineData("2022-09-07T06:25:23.")]
    [InlineData("2022-09-07T06:25:23.1234567890")]   // 10 digits
    [InlineData("2022-09-07T06:25.5")]               // a fraction needs seconds
    [InlineData("2022-09-07T06:25:23+2")]
    [InlineData("2022-09-07T06:25:23+02:0")]
    [InlineData("2022-09-07T06:25:23+02:60")]
    [InlineData("2022-09-07T06:25:23+15:00")]
    [InlineData("2022-09-07T06:25:23 Z")]
    [InlineData("2022-09-07T06:25:23ZZ")]
    [InlineData("2022-09-07Z")]
    [InlineData("2022-09-07T06:25:23UTC")]
    [InlineData("0001-01-01T00:30+01:00")]           // before DateTime.MinValue in UTC
    [InlineData("9999-12-31T23:30-01:00")]           // after DateTime.MaxValue in UTC
    [InlineData("1662531923")]
    [InlineData("２０２２-09-07")]                    // full-width digits
    public void Invalid_forms_are_a_JsonException_naming_the_path_and_the_expected_form(string text)
    {
        LenientDateTimeConverter.TryParse(text, out _).Should().BeFalse();
        LenientDateTimeConverter.TryParseDateTimeOffset(text, out _).Should().BeFalse();
        foreach (var property in new[] { "at", "maybeAt", "offset", "maybeOffset" })
        {
            var json = JsonSerializer.Serialize(new Dictionary<string, string> { [property] = text }, JsonDictionaryContext.Default.DictionaryStringString);

            var act = () => JsonSerializer.Deserialize(json, LenientTimesContext.Default.AllTimes);

            var exception = act.Should().Throw<JsonException>().Which;
            exception.Path.Should().Be($"$.{property}");
            exception.Message.Should().Contain("ISO 8601");
            JsonReadFailure.Describe(exception).Should().StartWith($"an invalid value at $.{property}: ").And.Contain("ISO 8601");
        }
    }

    [Theory]
    [InlineData("""{"maybeAt":null,"maybeOffset":null}""")]
    [InlineData("""{"maybeAt":"","maybeOffset":"  "}""")]
    [InlineData("""{}""")]
    public void Null_and_empty_strings_read_as_null_in_nullable_properties(string json)
    {
        var times = JsonSerializer.Deserialize(json, LenientTimesContext.Default.AllTimes)!;

        times.MaybeAt.Should().BeNull();
        times.MaybeOffset.Should().BeNull();
    }

    [Theory]
    [InlineData("""{"at":12345}""", "$.at", "number")]
    [InlineData("""{"at":null}""", "$.at", "null")]
    [InlineData("""{"at":""}""", "$.at", "ISO 8601")]
    [InlineData("""{"offset":true}""", "$.offset", "boolean")]
    [InlineData("""{"maybeAt":{}}""", "$.maybeAt", "object")]
    [InlineData("""{"maybeOffset":[]}""", "$.maybeOffset", "array")]
    public void A_value_that_is_not_a_date_time_string_is_a_JsonException_saying_what_was_found(string json, string path, string found)
    {
        var act = () => JsonSerializer.Deserialize(json, LenientTimesContext.Default.AllTimes);

        var exception = act.Should().Throw<JsonException>().Which;
        exception.Path.Should().Be(path);
        exception.Message.Should().Contain(found);
    }

    [Fact]
    public void The_converter_also_works_as_a_property_attribute()
    {
        var times = JsonSerializer.Deserialize("""{"at":"2022-09-07T06:25:23.90149761Z"}""", TestJsonContext.Default.TestTimes)!;

        times.At.Should().Be(new DateTime(2022, 9, 7, 6, 25, 23, DateTimeKind.Utc).AddTicks(9014976));
    }

    [Fact]
    public void An_overlong_string_is_refused_without_parsing()
    {
        var act = () => JsonSerializer.Deserialize($$"""{"at":"{{new string('1', 100)}}"}""", LenientTimesContext.Default.AllTimes);

        act.Should().Throw<JsonException>().WithMessage("*too long*");
    }

    [Fact]
    public void Values_are_written_in_round_trip_form_and_read_back()
    {
        var at = new DateTime(2022, 9, 7, 6, 25, 23, DateTimeKind.Utc).AddTicks(9014976);
        var times = new AllTimes { At = at, MaybeAt = null, Offset = new DateTimeOffset(at), MaybeOffset = new DateTimeOffset(at) };

        var json = JsonSerializer.Serialize(times, LenientTimesContext.Default.AllTimes);

        json.Should().Contain("\"at\":\"2022-09-07T06:25:23.9014976Z\"").And.Contain("\"maybeAt\":null").And.Contain("\"offset\":\"2022-09-07T06:25:23.9014976\\u002B00:00\"");
        JsonSerializer.Deserialize(json, LenientTimesContext.Default.AllTimes).Should().Be(times);
    }

    [Fact]
    public void TryParse_reports_failure_without_throwing()
    {
        LenientDateTimeConverter.TryParse(null, out _).Should().BeFalse();
        LenientDateTimeConverter.TryParse("", out _).Should().BeFalse();
        LenientDateTimeConverter.TryParseDateTimeOffset(null, out _).Should().BeFalse();
        LenientDateTimeConverter.TryParseDateTimeOffset("2022-09-07T08:25:23+02:00", out var offset).Should().BeTrue();
        offset.Should().Be(new DateTimeOffset(2022, 9, 7, 6, 25, 23, TimeSpan.Zero));
    }

    private static AllTimes ReadAll(string text)
    {
        var json = JsonSerializer.Serialize(
            new Dictionary<string, string> { ["at"] = text, ["maybeAt"] = text, ["offset"] = text, ["maybeOffset"] = text },
            JsonDictionaryContext.Default.DictionaryStringString);
        return JsonSerializer.Deserialize(json, LenientTimesContext.Default.AllTimes)!;
    }
}
