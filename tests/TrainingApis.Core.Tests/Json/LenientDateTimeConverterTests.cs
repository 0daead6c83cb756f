using System.Text.Json;
using TrainingApis.Core.Json;
using TrainingApis.Core.Tests.TestSupport;

namespace TrainingApis.Core.Tests.Json;

public sealed class LenientDateTimeConverterTests
{
    [Theory]
    [InlineData("2022-09-07T06:25:23.9014976", 9014976)]
    [InlineData("2022-09-07T06:25:23.901497", 9014970)]
    [InlineData("2022-09-07T06:25:23.901", 9010000)]
    [InlineData("2022-09-07T06:25:23.9", 9000000)]
    [InlineData("2022-09-07T06:25:23", 0)]
    [InlineData("2022-09-07 06:25:23.9014976", 9014976)]
    public void Without_an_offset_the_value_is_unspecified_with_its_fraction(string text, int fractionTicks)
    {
        var value = Read(text);

        value.Kind.Should().Be(DateTimeKind.Unspecified);
        value.Should().Be(new DateTime(2022, 9, 7, 6, 25, 23, DateTimeKind.Unspecified).AddTicks(fractionTicks));
    }

    [Theory]
    [InlineData("2022-09-07T06:25:23.9014976Z")]
    [InlineData("2022-09-07T06:25:23.901497Z")]
    [InlineData("2022-09-07T08:25:23.9014976+02:00")]
    [InlineData("2022-09-07T01:25:23.9014976-05:00")]
    [InlineData("2022-09-07 06:25:23.9014976Z")]
    public void With_Z_or_an_offset_the_value_is_converted_to_utc(string text)
    {
        var value = Read(text);

        value.Kind.Should().Be(DateTimeKind.Utc);
        value.Should().Be(new DateTime(2022, 9, 7, 6, 25, 23, DateTimeKind.Utc).AddTicks(text.Contains(".901497Z", StringComparison.Ordinal) ? 9014970 : 9014976));
    }

    [Theory]
    [InlineData("2024-02-29", 2024, 2, 29, 0, 0)]
    [InlineData("2024-02-29T13:45", 2024, 2, 29, 13, 45)]
    public void Dates_and_minute_precision_times_are_read(string text, int year, int month, int day, int hour, int minute)
    {
        Read(text).Should().Be(new DateTime(year, month, day, hour, minute, 0));
    }

    [Theory]
    [InlineData("not a date")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("2022-13-07T06:25:23")]
    [InlineData("2022-09-07T25:25:23")]
    [InlineData("07/09/2022")]
    [InlineData("2022-09-07T06:25:23.123456789")]
    [InlineData("1662531923")]
    public void Garbage_is_a_JsonException(string text)
    {
        var act = () => Read(text);

        act.Should().Throw<JsonException>();
    }

    [Theory]
    [InlineData("{\"at\":12345}")]
    [InlineData("{\"at\":null}")]
    [InlineData("{\"at\":true}")]
    [InlineData("{\"at\":{}}")]
    public void A_value_that_is_not_a_string_is_a_JsonException(string json)
    {
        var act = () => JsonSerializer.Deserialize(json, TestJsonContext.Default.TestTimes);

        act.Should().Throw<JsonException>();
    }

    [Fact]
    public void An_overlong_string_is_refused_without_parsing()
    {
        var act = () => Read(new string('1', 100));

        act.Should().Throw<JsonException>().WithMessage("*too long*");
    }

    [Fact]
    public void Values_are_written_in_round_trip_form()
    {
        var json = JsonSerializer.Serialize(new TestTimes { At = new DateTime(2022, 9, 7, 6, 25, 23, DateTimeKind.Utc).AddTicks(9014976) }, TestJsonContext.Default.TestTimes);

        json.Should().Contain("\"at\":\"2022-09-07T06:25:23.9014976Z\"");
        JsonSerializer.Deserialize(json, TestJsonContext.Default.TestTimes)!.At.Kind.Should().Be(DateTimeKind.Utc);
    }

    [Fact]
    public void TryParse_reports_failure_without_throwing()
    {
        LenientDateTimeConverter.TryParse(null, out _).Should().BeFalse();
        LenientDateTimeConverter.TryParse("nope", out _).Should().BeFalse();
        LenientDateTimeConverter.TryParse(" 2022-09-07T06:25:23 ", out var value).Should().BeTrue();
        value.Should().Be(new DateTime(2022, 9, 7, 6, 25, 23));
    }

    private static DateTime Read(string text) =>
        JsonSerializer.Deserialize(JsonSerializer.Serialize(new Dictionary<string, string> { ["at"] = text }, JsonDictionaryContext.Default.DictionaryStringString), TestJsonContext.Default.TestTimes)!.At;
}
