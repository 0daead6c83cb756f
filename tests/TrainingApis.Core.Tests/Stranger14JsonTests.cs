using System.Globalization;
using System.Text;
using System.Text.Json;
using TrainingApis.Core.Json;
using TrainingApis.Core.Tests.TestSupport;

namespace TrainingApis.Core.Tests;

/// <summary>
/// Issue 14 after its fixes, probed by a stranger: byte order marks, dates and failure messages on inputs the first
/// tests did not try (the reader's peek at every read size, every date form crossed with every offset form, paths
/// built from the body).
/// </summary>
public sealed class Stranger14JsonTests
{
    private static readonly int[][] ReadSizes = [[1], [2], [3], [1, 2], [2, 1, 3], [16 * 1024]];

    public static TheoryData<string, byte[], string> ForeignStarts => new()
    {
        { "two UTF-8 byte order marks", [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, .. "[]"u8], "two byte order marks" },
        { "two byte order marks and white space", [0xEF, 0xBB, 0xBF, (byte)' ', 0xEF, 0xBB, 0xBF, .. "{}"u8], "two byte order marks" },
        { "UTF-16 little endian", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("[]")], "UTF-16" },
        { "UTF-16 big endian", [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes("[]")], "UTF-16" },
        { "UTF-32 little endian", [.. Encoding.UTF32.GetPreamble(), .. Encoding.UTF32.GetBytes("[]")], "UTF-32" },
    };

    [Theory]
    [MemberData(nameof(ForeignStarts))]
    public async Task A_body_in_another_encoding_or_with_two_byte_order_marks_is_refused_saying_so_at_every_read_size(string what, byte[] body, string named)
    {
        foreach (var sizes in ReadSizes)
        {
            var act = async () => await Collect(JsonRowReader.ReadAsync(new ChunkedStream(body, sizes), TestJsonContext.Default.TestRow, new JsonEnvelope("results")));

            var exception = (await act.Should().ThrowAsync<JsonException>(what)).Which;
            exception.Message.Should().Contain(named, "{0}, reads of {1}", what, string.Join(",", sizes));
            JsonReadFailure.Describe(exception).Should().Contain(named);
        }
    }

    [Theory]
    [InlineData("\uFEFF[{\"id\":1}]")]
    [InlineData("\uFEFF \r\n[{\"id\":1}]")]
    [InlineData("\uFEFF{\"results\":[{\"id\":1}]}")]
    [InlineData("\uFEFF\t{\"results\":[{\"id\":1}]}")]
    public async Task One_byte_order_mark_split_across_reads_of_1_2_or_3_bytes_is_skipped(string json)
    {
        foreach (var sizes in ReadSizes)
        {
            var rows = await Collect(JsonRowReader.ReadAsync(new ChunkedStream(Encoding.UTF8.GetBytes(json), sizes), TestJsonContext.Default.TestRow, new JsonEnvelope("results")));

            rows.Select(r => r.Id).Should().Equal([1], "reads of {0}", string.Join(",", sizes));
        }
    }

    [Fact]
    public async Task A_path_built_from_a_huge_property_name_is_cut_in_the_description()
    {
        var name = new string('k', 1_000_000);
        var body = Encoding.UTF8.GetBytes($$"""[{"id":1},{"id":2,"{{name}}":[1,}]""");

        var act = async () => await Collect(JsonRowReader.ReadAsync(new MemoryStream(body), TestJsonContext.Default.TestRow));

        var description = JsonReadFailure.Describe((await act.Should().ThrowAsync<JsonException>()).Which);
        description.Should().StartWith("row 2: invalid JSON").And.Contain("(in $.kkkk").And.Contain("…");
        description.Length.Should().BeLessThan(400);
    }

    [Fact]
    public void A_buffered_list_path_built_from_a_huge_property_name_is_cut_too()
    {
        var name = new string('k', 100_000);
        var act = () => JsonSerializer.Deserialize($$$"""[{"id":1,"{{{name}}}":{"a":[1,}}]""", TestJsonContext.Default.ListTestRow);

        var description = JsonReadFailure.Describe(act.Should().Throw<JsonException>().Which);

        description.Should().StartWith("row 1: invalid JSON").And.Contain("(in $[0].kkkk");
        description.Length.Should().BeLessThan(400);
    }

    [Theory]
    [InlineData("{}", "a type mismatch at $: expected a JSON array (list of TestRow)")]
    [InlineData("[{\"id\":1},5]", "row 2: a type mismatch at $[1]: expected a JSON object (TestRow)")]
    [InlineData("[{\"id\":1},[]]", "row 2: a type mismatch at $[1]: expected a JSON object (TestRow)")]
    public void A_root_or_a_row_of_the_wrong_JSON_type_is_named_as_a_reader_would_not_as_NET_spells_it(string json, string expected)
    {
        var act = () => JsonSerializer.Deserialize(json, TestJsonContext.Default.ListTestRow);

        JsonReadFailure.Describe(act.Should().Throw<JsonException>().Which).Should().Be(expected);
    }

    // Every time-of-day form crossed with every offset form and every separator: all read, and all alike.
    public static TheoryData<string, long> Times => new()
    {
        { "06:25", 0 },
        { "06:25:23", 23 * TimeSpan.TicksPerSecond },
        { "06:25:23.9", (23 * TimeSpan.TicksPerSecond) + 9_000_000 },
        { "06:25:23.12", (23 * TimeSpan.TicksPerSecond) + 1_200_000 },
        { "06:25:23.1234", (23 * TimeSpan.TicksPerSecond) + 1_234_000 },
        { "06:25:23.1234567", (23 * TimeSpan.TicksPerSecond) + 1_234_567 },
        { "06:25:23.12345678", (23 * TimeSpan.TicksPerSecond) + 1_234_567 },
        { "06:25:23.123456789", (23 * TimeSpan.TicksPerSecond) + 1_234_567 },
        { "06:25:23,5", (23 * TimeSpan.TicksPerSecond) + 5_000_000 },
    };

    private static readonly (string Text, int Minutes)?[] Offsets =
        [null, ("Z", 0), ("z", 0), ("+00:00", 0), ("-00:00", 0), ("-05:30", -330), ("+0530", 330), ("+05", 300), ("-14:00", -840), ("+14", 840)];

    [Theory]
    [MemberData(nameof(Times))]
    public void Every_time_form_reads_with_every_offset_form_and_separator_into_every_shape(string time, long ticksAfterMinute)
    {
        foreach (var separator in new[] { "T", "t", " " })
        {
            foreach (var offset in Offsets)
            {
                var text = $"2024-02-29{separator}{time}{offset?.Text}";
                var local = new DateTime(2024, 2, 29, 6, 25, 0).AddTicks(ticksAfterMinute);
                var expected = offset is { } o ? DateTime.SpecifyKind(local.AddMinutes(-o.Minutes), DateTimeKind.Utc) : local;

                LenientDateTimeConverter.TryParse(text, out var parsed).Should().BeTrue(text);
                parsed.Should().Be(expected, text);
                parsed.Kind.Should().Be(offset is null ? DateTimeKind.Unspecified : DateTimeKind.Utc, text);
                var times = JsonSerializer.Deserialize(
                    $$"""{"at":"{{text}}","maybeAt":"{{text}}","offset":"{{text}}","maybeOffset":"{{text}}"}""", LenientTimesContext.Default.AllTimes)!;
                times.At.Should().Be(expected, text);
                times.MaybeAt.Should().Be(expected, text);
                times.Offset.UtcDateTime.Should().Be(DateTime.SpecifyKind(expected, DateTimeKind.Utc), text);
                times.MaybeOffset!.Value.Offset.Should().Be(TimeSpan.Zero, text);
            }
        }
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00-01:00", "0001-01-01T01:00:00.0000000Z")]        // the earliest day, moved later
    [InlineData("0001-01-01T00:00:00Z", "0001-01-01T00:00:00.0000000Z")]
    [InlineData("9999-12-31T23:59:59.9999999Z", "9999-12-31T23:59:59.9999999Z")]
    [InlineData("9999-12-31T23:59:59.999999999+01:00", "9999-12-31T22:59:59.9999999Z")] // the latest day, moved earlier
    [InlineData("2000-02-29", "2000-02-29T00:00:00.0000000")]                          // a leap day of a century divisible by 400
    [InlineData("2024-02-29T23:30-01:00", "2024-03-01T00:30:00.0000000Z")]
    [InlineData("2024-03-01T00:30+01:00", "2024-02-29T23:30:00.0000000Z")]
    public void Dates_at_the_ends_of_the_range_and_leap_days_read(string text, string expected)
    {
        LenientDateTimeConverter.TryParse(text, out var parsed).Should().BeTrue();

        parsed.ToString("O", CultureInfo.InvariantCulture).Should().Be(expected);
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00+00:01")]          // before DateTime.MinValue in UTC
    [InlineData("0001-01-01+01:00")]                   // a date alone takes no offset
    [InlineData("9999-12-31T23:59:59.9999999-00:01")]  // after DateTime.MaxValue in UTC
    [InlineData("0000-12-31")]
    [InlineData("1900-02-29")]                         // not a leap year
    [InlineData("2024-02-29T24:00")]                   // 24:00 (ISO 8601's end of day) is not in RFC 3339
    [InlineData("2024-02-29T24:00:00Z")]
    [InlineData("2016-12-31T23:59:60Z")]               // a leap second: DateTime has none
    [InlineData("2024-02-29T06:25:23.1234567890")]     // 10 fractional digits
    [InlineData("2024-02-29T06:25:23.Z")]
    [InlineData("2024-02-29T06:25:23.+01:00")]
    [InlineData("2024-02-29T06:25:23+0")]
    [InlineData("2024-02-29T06:25:23+053")]
    [InlineData("2024-02-29T06:25:23+05:3")]
    [InlineData("2024-02-29T06:25:23+05:30:00")]
    [InlineData("2024-02-29T06:25:23+14:01")]
    [InlineData("2024-02-29T06:25:23 +01:00")]
    [InlineData("2024-02-29  06:25")]
    [InlineData("2024-02-29T6:25")]
    [InlineData("+2024-02-29")]
    [InlineData("2024-02-29T06:25:23\u0000")]
    public void Forms_outside_ISO_8601_and_RFC_3339_or_outside_DateTime_are_refused_naming_the_path_and_ISO_8601(string text)
    {
        LenientDateTimeConverter.TryParse(text, out _).Should().BeFalse(text);
        LenientDateTimeConverter.TryParseDateTimeOffset(text, out _).Should().BeFalse(text);
        foreach (var property in new[] { "at", "maybeAt", "offset", "maybeOffset" })
        {
            var json = JsonSerializer.Serialize(new Dictionary<string, string> { [property] = text }, JsonDictionaryContext.Default.DictionaryStringString);

            var act = () => JsonSerializer.Deserialize($"[{json}]", LenientTimesContext.Default.ListAllTimes);

            JsonReadFailure.Describe(act.Should().Throw<JsonException>().Which).Should().Be(
                $"row 1: an invalid value at $[0].{property}: The string is not an ISO 8601 date-time such as 2024-02-29T12:00:00Z, 2024-02-29T12:00:00.1234567+01:00 or 2024-02-29.");
        }
    }

    [Fact]
    public void A_date_the_serializer_wrote_with_an_escaped_plus_reads_back()
    {
        var times = JsonSerializer.Deserialize("""{"at":"2024-02-29T13:00:00\u002B01:00","offset":"2024-02-29T13:00:00\u002B01:00"}""", LenientTimesContext.Default.AllTimes)!;

        times.At.Should().Be(new DateTime(2024, 2, 29, 12, 0, 0, DateTimeKind.Utc));
        times.Offset.Should().Be(new DateTimeOffset(2024, 2, 29, 12, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void A_date_string_of_ten_megabytes_is_refused_with_a_short_message()
    {
        var json = $$"""[{"at":"2024-02-29{{new string('9', 10 * 1024 * 1024)}}"}]""";

        var act = () => JsonSerializer.Deserialize(json, LenientTimesContext.Default.ListAllTimes);

        var description = JsonReadFailure.Describe(act.Should().Throw<JsonException>().Which);
        description.Should().StartWith("row 1: an invalid value at $[0].at: A date-time string is too long").And.Contain("ISO 8601");
        description.Length.Should().BeLessThan(300);
    }

    private static async Task<List<T>> Collect<T>(IAsyncEnumerable<T> rows)
    {
        var list = new List<T>();
        await foreach (var row in rows)
        {
            list.Add(row);
        }

        return list;
    }
}
