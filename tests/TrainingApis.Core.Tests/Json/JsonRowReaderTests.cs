using System.Text;
using System.Text.Json;
using TrainingApis.Core.Json;
using TrainingApis.Core.Tests.TestSupport;

namespace TrainingApis.Core.Tests.Json;

public sealed class JsonRowReaderTests
{
    private const string ThreeRows = """[{"id":1,"name":"a"},{"id":2,"name":"b ] } ["},{"id":3,"name":"c","extra":[1,{"x":"]"}]}]""";

    [Fact]
    public async Task A_bare_array_yields_its_rows()
    {
        var envelope = new JsonEnvelope("results");

        var rows = await ReadAllAsync(ThreeRows, envelope);

        rows.Select(r => (r.Id, r.Name)).Should().Equal((1, "a"), (2, "b ] } ["), (3, "c"));
        rows[2].AdditionalProperties!["extra"].GetArrayLength().Should().Be(2);
        envelope.IsBareArray.Should().BeTrue();
        envelope.RowProperty.Should().BeNull();
        envelope.Properties.Should().BeEmpty();
    }

    [Fact]
    public async Task A_bare_array_is_read_without_an_envelope()
    {
        (await ReadAllAsync(ThreeRows, null)).Should().HaveCount(3);
    }

    [Theory]
    [InlineData("results")]
    [InlineData("data")]
    [InlineData("items")]
    [InlineData("records")]
    [InlineData("Results")]
    public async Task Rows_are_read_from_any_named_row_property_with_paging_fields_before_and_after(string property)
    {
        var json = $$"""{"page":2,"pageSize":"3","meta":{"next":null},"{{property}}":[{"id":1},{"id":2},{"id":3}],"total":8,"hasMore":true}""";
        var envelope = new JsonEnvelope("results", "data", "items", "records");

        var rows = await ReadAllAsync(json, envelope);

        rows.Select(r => r.Id).Should().Equal(1, 2, 3);
        envelope.IsBareArray.Should().BeFalse();
        envelope.RowProperty.Should().Be(property);
        envelope.GetInt64("page").Should().Be(2);
        envelope.GetInt64("PAGESIZE").Should().Be(3, "names are case-insensitive and numbers may come as strings");
        envelope.GetInt64("total").Should().Be(8);
        envelope.GetInt64("hasMore").Should().BeNull();
        envelope.GetInt64("missing").Should().BeNull();
        envelope.Properties["meta"].GetProperty("next").ValueKind.Should().Be(JsonValueKind.Null);
        envelope.Properties.Should().NotContainKey(property);
    }

    [Fact]
    public async Task The_paging_fields_are_known_while_the_rows_are_read_when_they_come_first()
    {
        var envelope = new JsonEnvelope("results");
        var seen = new List<long?>();

        await foreach (var _ in JsonRowReader.ReadAsync(Utf8("""{"page":4,"results":[{"id":1},{"id":2}]}"""), TestJsonContext.Default.TestRow, envelope))
        {
            seen.Add(envelope.GetInt64("page"));
        }

        seen.Should().Equal(4, 4);
    }

    [Fact]
    public async Task Without_a_known_row_property_the_single_array_is_taken()
    {
        var envelope = new JsonEnvelope("results");

        var rows = await ReadAllAsync("""{"count":2,"list":[{"id":7},{"id":8}],"next":null}""", envelope);

        rows.Select(r => r.Id).Should().Equal(7, 8);
        envelope.RowProperty.Should().Be("list");
        envelope.GetInt64("count").Should().Be(2);
    }

    [Theory]
    [InlineData("""{"a":[{"id":1}],"b":[{"id":2}]}""")]
    [InlineData("""{"a":[{"id":1}],"b":[{"id":2}],"c":[{"id":3}]}""")]
    [InlineData("""{"a":[],"b":[],"c":[{"id":3}],"d":[]}""")]
    public async Task Several_arrays_without_a_known_row_property_give_no_rows(string json)
    {
        var envelope = new JsonEnvelope("results");

        var rows = await ReadAllAsync(json, envelope);

        rows.Should().BeEmpty("which array holds the rows is unknown");
        envelope.RowProperty.Should().BeNull();
    }

    [Fact]
    public async Task A_known_row_property_wins_over_other_arrays()
    {
        var envelope = new JsonEnvelope("results");

        var rows = await ReadAllAsync("""{"warnings":[{"id":99}],"results":[{"id":1}]}""", envelope);

        rows.Select(r => r.Id).Should().Equal(1);
        envelope.Properties["warnings"].GetArrayLength().Should().Be(1);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData(" \r\n\t[ ] \n")]
    [InlineData("{}")]
    [InlineData("""{"results":[]}""")]
    [InlineData("""{"results":null,"total":0}""")]
    public async Task Empty_answers_give_no_rows(string json)
    {
        (await ReadAllAsync(json, new JsonEnvelope("results"))).Should().BeEmpty();
    }

    [Fact]
    public async Task An_object_where_a_bare_array_is_expected_is_a_JsonException()
    {
        var act = () => ReadAllAsync("""{"results":[{"id":1}]}""", null);

        await act.Should().ThrowAsync<JsonException>();
    }

    [Theory]
    [InlineData("42")]
    [InlineData("\"text\"")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("<html></html>")]
    public async Task A_root_that_is_neither_array_nor_object_is_a_JsonException(string json)
    {
        var act = () => ReadAllAsync(json, new JsonEnvelope("results"));

        await act.Should().ThrowAsync<JsonException>();
    }

    [Theory]
    [InlineData(ThreeRows)]
    [InlineData("""{"page":1,"results":[{"id":1,"name":"x"},{"id":2}],"total":2}""")]
    [InlineData("""{"count":1,"list":[{"id":1}]}""")]
    public async Task Every_truncation_is_a_JsonException(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        for (var length = 0; length < bytes.Length; length++)
        {
            var act = () => ReadAllAsync(bytes[..length], new JsonEnvelope("results"));

            await act.Should().ThrowAsync<JsonException>("the body was cut after {0} of {1} bytes", length, bytes.Length);
        }
    }

    [Theory]
    [InlineData("[1] x")]
    [InlineData("""[{"id":1}] [{"id":2}]""")]
    [InlineData("""{"results":[{"id":1}]}}""")]
    [InlineData("""{"results":[{"id":1}]} {}""")]
    [InlineData("""{"results":[]},""")]
    public async Task Trailing_garbage_is_a_JsonException_however_the_body_arrives(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);

        var whole = () => ReadAllAsync(bytes, new JsonEnvelope("results"), chunks: null);
        var tiny = () => ReadAllAsync(bytes, new JsonEnvelope("results"), chunks: [1]);
        var split = () => ReadAllAsync(bytes, new JsonEnvelope("results"), chunks: [json.LastIndexOf(']') + 1, 100]);

        await whole.Should().ThrowAsync<JsonException>();
        await tiny.Should().ThrowAsync<JsonException>();
        await split.Should().ThrowAsync<JsonException>();
    }

    [Theory]
    [InlineData(null)]
    [InlineData(new[] { 1 })]
    [InlineData(new[] { 2, 1 })]
    [InlineData(new[] { 3 })]
    [InlineData(new[] { 4, 100 })]
    public async Task A_utf8_byte_order_mark_before_the_body_is_skipped_however_the_body_arrives(int[]? chunks)
    {
        var bare = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(ThreeRows)).ToArray();
        var wrapped = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("""{"total":1,"results":[{"id":5}]}""")).ToArray();
        var envelope = new JsonEnvelope("results");

        (await ReadAllAsync(bare, null, chunks)).Select(r => r.Id).Should().Equal(1, 2, 3);
        (await ReadAllAsync(wrapped, envelope, chunks)).Select(r => r.Id).Should().Equal(5);
        envelope.GetInt64("total").Should().Be(1);
    }

    [Theory]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF })]
    [InlineData(new byte[] { 0xEF, 0xBB })]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, (byte)'[', (byte)']' })]
    public async Task A_byte_order_mark_alone_or_twice_is_still_a_JsonException(byte[] body)
    {
        var act = () => ReadAllAsync(body, null, chunks: [1]);

        await act.Should().ThrowAsync<JsonException>();
    }

    [Fact]
    public async Task Trailing_whitespace_is_fine()
    {
        (await ReadAllAsync(Encoding.UTF8.GetBytes(ThreeRows + " \r\n\t "), null, chunks: [1, 2])).Should().HaveCount(3);
    }

    [Theory]
    [InlineData(ThreeRows)]
    [InlineData("""{"page":1,"pageSize":2,"items":[{"id":1,"name":"é😀\u00e9\"\\"},{"id":2,"name":null}],"total":2}""")]
    [InlineData("""{"other":{"deep":[[[]]],"s":"]}"},"list":[{"id":5}]}""")]
    [InlineData("""[ 1 , 2 ,3 ]""")]
    public async Task Reads_of_one_to_seven_bytes_give_the_same_result_as_one_read(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        if (json.StartsWith("[ 1", StringComparison.Ordinal))
        {
            var numbers = await ReadAllAsync(bytes, TestJsonContext.Default.Int32, chunks: [1, 2, 3, 4, 5, 6, 7]);
            numbers.Should().Equal(1, 2, 3);
            return;
        }

        var expected = await ReadAllAsync(bytes, new JsonEnvelope("results", "items"), chunks: null);
        foreach (var sizes in new[] { new[] { 1 }, [1, 2, 3, 4, 5, 6, 7], [7, 3], [2] })
        {
            var envelope = new JsonEnvelope("results", "items");
            var rows = await ReadAllAsync(bytes, envelope, chunks: sizes);

            rows.Should().BeEquivalentTo(expected, o => o.WithStrictOrdering().ComparingByMembers<TestRow>().Excluding(r => r.AdditionalProperties));
            rows.Select(r => r.AdditionalProperties?.Count ?? 0).Should().Equal(expected.Select(r => r.AdditionalProperties?.Count ?? 0));
        }
    }

    [Theory]
    [InlineData("""{"results":[{"id":1},{"id":2},{"id":""")]
    [InlineData("""{"results":[{"id":1},{"id":2},{"id":oops}]}""")]
    [InlineData("""{"results":[{"id":1},{"id":2}]} trailing""")]
    public async Task The_rows_of_a_page_before_a_failure_are_yielded_whatever_the_read_sizes(string json)
    {
        foreach (int[]? chunks in new[] { null, new[] { 1 }, [3, 7], [4096] })
        {
            var (rows, _) = await ReadUntilFailureAsync(json, chunks);

            rows.Should().Equal([1, 2], "reads of {0} bytes", chunks is null ? "any" : string.Join("/", chunks));
        }
    }

    [Theory]
    [InlineData("""[{"id":1},{"id":2},{"id":""")]
    [InlineData("""[{"id":1},{"id":2},{"id":oops}]""")]
    public async Task The_rows_of_a_bare_array_before_a_failure_are_yielded_as_far_as_earlier_reads_brought_them(string json)
    {
        // System.Text.Json parses a whole read before it yields that read's rows: the rows of the failing read are lost
        // (docs/wire-format.md), those of earlier reads are not, and the failure names its row either way.
        foreach (int[]? chunks in new[] { null, new[] { 1 }, [3, 7], [4096] })
        {
            var (rows, exception) = await ReadUntilFailureAsync(json, chunks);

            exception.Message.Should().StartWith("Row 3 of the list");
            rows.Should().Equal(new[] { 1, 2 }.Take(rows.Count), "rows come in order, none twice");
            if (chunks is [1] or [3, 7])
            {
                rows.Should().Equal([1, 2], "reads of {0} bytes", string.Join("/", chunks ?? []));
            }
        }
    }

    [Fact]
    public async Task A_row_larger_than_the_initial_buffer_is_read_whole()
    {
        var big = new string('x', 100_000);
        var json = $$"""{"page":1,"results":[{"id":1,"name":"{{big}}"},{"id":2,"name":"small"}],"total":2}""";
        var envelope = new JsonEnvelope("results");

        var rows = await ReadAllAsync(Encoding.UTF8.GetBytes(json), envelope, chunks: [4000, 1, 7000]);

        rows.Select(r => r.Name!.Length).Should().Equal(100_000, 5);
        envelope.GetInt64("total").Should().Be(2);
    }

    [Fact]
    public async Task A_row_larger_than_maxItemBytes_is_a_JsonException()
    {
        var json = $$"""[{"id":1,"name":"{{new string('x', 200_000)}}"}]""";

        var act = async () =>
        {
            await foreach (var _ in JsonRowReader.ReadAsync(Utf8(json), TestJsonContext.Default.TestRow, null, maxItemBytes: 64 * 1024))
            {
            }
        };

        await act.Should().ThrowAsync<JsonException>().WithMessage("*larger than 65536 bytes*");
    }

    [Fact]
    public async Task An_envelope_value_over_64_KB_is_skipped_and_reading_goes_on()
    {
        var json = $$"""{"blob":"{{new string('b', 70_000)}}","results":[{"id":1}],"total":1}""";
        var envelope = new JsonEnvelope("results");

        var rows = await ReadAllAsync(Encoding.UTF8.GetBytes(json), envelope, chunks: [5000]);

        rows.Should().ContainSingle();
        envelope.Properties.Should().NotContainKey("blob");
        envelope.GetInt64("total").Should().Be(1);
    }

    [Fact]
    public async Task A_single_unnamed_array_over_64_KB_is_read_not_silently_empty()
    {
        var rows = string.Join(",", Enumerable.Range(0, 5000).Select(i => $$"""{"id":{{i}},"name":"row {{i}}"}"""));

        var envelope = new JsonEnvelope("results");
        var read = await ReadAllAsync($$"""{"list":[{{rows}}]}""", envelope);

        read.Select(r => r.Id).Should().Equal(Enumerable.Range(0, 5000));
        envelope.RowProperty.Should().Be("list");
        (await ReadAllAsync($$"""{"list":[{{rows}}]}""", new JsonEnvelope("list"))).Should().HaveCount(5000);
    }

    [Fact]
    public async Task A_row_that_does_not_fit_the_type_is_a_JsonException()
    {
        var act = () => ReadAllAsync("""[{"id":1},{"id":"two"}]""", null);

        await act.Should().ThrowAsync<JsonException>();
    }

    [Fact]
    public async Task An_envelope_is_reset_by_each_read()
    {
        var envelope = new JsonEnvelope("results");
        await ReadAllAsync("""{"page":1,"results":[]}""", envelope);

        await ReadAllAsync("[]", envelope);

        envelope.Properties.Should().BeEmpty();
        envelope.IsBareArray.Should().BeTrue();
        envelope.RowProperty.Should().BeNull();
    }

    [Fact]
    public async Task A_hundred_thousand_rows_of_a_bare_array_are_streamed_with_bounded_read_ahead()
    {
        const int rowCount = 100_000;
        var source = new RowGeneratorStream(rowCount, envelope: false);
        var count = 0;
        long maxReadAhead = 0;

        await foreach (var row in JsonRowReader.ReadAsync(source, TestJsonContext.Default.TestRow, new JsonEnvelope("results")))
        {
            row.Id.Should().Be(count);
            source.FirstRowConsumed = true;
            maxReadAhead = Math.Max(maxReadAhead, source.BytesRead - source.EndOfRow(count));
            count++;
        }

        count.Should().Be(rowCount);
        source.TotalLength.Should().BeGreaterThan(2_000_000);
        maxReadAhead.Should().BeLessThan(256 * 1024, "the reader holds about one buffer of rows, not the whole body");
    }

    [Fact]
    public async Task An_envelope_page_is_read_whole_within_maxPageBytes()
    {
        var envelope = new JsonEnvelope("results");
        var rows = new List<TestRow>();

        await ReadIntoAsync(new RowGeneratorStream(100_000, envelope: true), TestJsonContext.Default.TestRow, rows, envelope, maxPageBytes: 4_000_000);
        var act = () => ReadIntoAsync(new RowGeneratorStream(100_000, envelope: true), TestJsonContext.Default.TestRow, [], envelope, maxPageBytes: 1_000_000);

        rows.Should().HaveCount(100_000);
        envelope.GetInt64("total").Should().Be(100_000);
        await act.Should().ThrowAsync<JsonException>().WithMessage("*larger than 1000000 bytes*");
    }

    [Fact]
    public async Task A_page_bound_below_what_the_peek_read_is_a_JsonException()
    {
        var json = $$"""{"results":[{"id":1,"name":"{{new string('x', 5000)}}"}]}""";

        var act = () => ReadIntoAsync(Utf8(json), TestJsonContext.Default.TestRow, [], new JsonEnvelope("results"), maxPageBytes: 100);

        await act.Should().ThrowAsync<JsonException>().WithMessage("*larger than 100 bytes*");
    }

    [Fact]
    public async Task The_first_row_is_yielded_before_the_body_is_read_further()
    {
        // The stream refuses to be read far past the first row until that row has been consumed.
        var source = new RowGeneratorStream(100_000, envelope: false) { ReadLimitBeforeFirstRow = 64 * 1024 };

        await using var rows = JsonRowReader.ReadAsync(source, TestJsonContext.Default.TestRow).GetAsyncEnumerator();

        (await rows.MoveNextAsync()).Should().BeTrue();
        rows.Current.Id.Should().Be(0);
        source.BytesRead.Should().BeLessThanOrEqualTo(64 * 1024);
    }

    [Fact]
    public async Task Cancellation_stops_the_enumeration()
    {
        using var cts = new CancellationTokenSource();
        var count = 0;

        var act = async () =>
        {
            await foreach (var _ in JsonRowReader.ReadAsync(new RowGeneratorStream(10_000, envelope: false), TestJsonContext.Default.TestRow, cancellationToken: cts.Token))
            {
                if (++count == 10)
                {
                    await cts.CancelAsync();
                }
            }
        };

        await act.Should().ThrowAsync<OperationCanceledException>();
        count.Should().Be(10);
    }

    [Fact]
    public async Task A_stream_failure_surfaces_as_is()
    {
        var act = () => ReadAllAsync(Encoding.UTF8.GetBytes(ThreeRows), null, chunks: [5], failAt: 25);

        await act.Should().ThrowAsync<IOException>();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Random_rows_with_escapes_and_brackets_in_strings_are_cut_exactly_whatever_the_read_sizes(int seed)
    {
        // The rows are cut out by a vectorized scan of quotes, backslashes and brackets; escapes and brackets inside
        // strings, across block and read boundaries, must not move a row's end.
        var random = new Random(seed);
        string[] pieces = ["a", "\\\"", "\\\\", "\\\\\\\"", "]", "}", "[", "{", "\\u00e9", "é", "😀", " ", ",", ":", "\\n", "\\/"];
        var rows = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            var text = new StringBuilder();
            for (var n = random.Next(0, 40); n > 0; n--)
            {
                text.Append(pieces[random.Next(pieces.Length)]);
            }

            rows.Add(random.Next(3) switch
            {
                0 => $$"""{"id":{{i}},"name":"{{text}}"}""",
                1 => $$"""{"id":{{i}},"nested":[{"s":"{{text}}"},[],{}],"n":-1.5e3}""",
                _ => $$"""["{{text}}",{"k":[true,false,null]},"x"]""",
            });
        }

        var json = $$"""{"page":1,"results":[{{string.Join(",", rows)}}],"total":{{rows.Count}}}""";
        var expected = rows.Select(row => JsonDocument.Parse(row).RootElement.GetRawText()).ToList();
        var bytes = Encoding.UTF8.GetBytes(json);

        foreach (int[]? chunks in new int[]?[] { null, [1, 31, 33], [7], [32, 64, 4095] })
        {
            var envelope = new JsonEnvelope("results");
            var read = await ReadAllAsync(bytes, TestJsonContext.Default.JsonElement, envelope, chunks);

            read.Select(element => element.GetRawText()).Should().Equal(expected, "reads of {0} bytes", chunks is null ? "any" : string.Join("/", chunks));
            envelope.GetInt64("total").Should().Be(rows.Count);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0xC3 })]
    [InlineData(new byte[] { 0xFF, 0xFE })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    public async Task A_JsonElement_row_that_is_not_valid_UTF8_is_a_JsonException_not_a_later_failure(byte[] invalid)
    {
        byte[] json = [.. "[{\"id\":1},{\"name\":\""u8, .. invalid, .. "\"}]"u8];

        var act = () => ReadAllAsync(json, TestJsonContext.Default.JsonElement);

        await act.Should().ThrowAsync<JsonException>().WithMessage("*UTF-8*");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_row_with_text_that_is_not_UTF8_is_named_by_its_number_in_an_array_or_a_page_whatever_the_read_sizes(bool page)
    {
        byte[] rows = [.. "[{\"id\":1},{\"id\":2,\"skipped\":\""u8, 0xC3, 0x28, .. "\"},{\"id\":3}]"u8];
        byte[] json = page ? [.. "{\"page\":1,\"results\":"u8, .. rows, .. "}"u8] : rows;

        foreach (int[]? chunks in new int[]?[] { null, [1], [5, 3] })
        {
            var read = new List<int>();
            var act = async () =>
            {
                await foreach (var row in JsonRowReader.ReadAsync(chunks is null ? new MemoryStream(json) : new ChunkedStream(json, chunks), TestJsonContext.Default.TestRow, new JsonEnvelope("results")))
                {
                    read.Add(row.Id);
                }
            };

            (await act.Should().ThrowAsync<JsonException>()).Which.Message.Should().Be("Row 2 of the list is not valid UTF-8 text.");
            read.Should().Equal([1], "the row before it is handed over (reads of {0} bytes)", chunks is null ? "any" : string.Join("/", chunks));
        }
    }

    [Theory]
    [InlineData("[1,]")]
    [InlineData("[1 2]")]
    [InlineData("[{\"id\":1}{\"id\":2}]")]
    [InlineData("{\"results\":[{\"id\":1},]}")]
    [InlineData("[,1]")]
    [InlineData("[{\"id\":1]]")]
    public async Task Malformed_separators_and_brackets_between_or_in_rows_are_JsonExceptions(string json)
    {
        var act = () => ReadAllAsync(Encoding.UTF8.GetBytes(json), TestJsonContext.Default.JsonElement, new JsonEnvelope("results"));

        await act.Should().ThrowAsync<JsonException>();
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public async Task ReadIntoAsync_collects_the_same_rows_as_ReadAsync_whatever_the_read_sizes(int seed)
    {
        var random = new Random(seed);
        var rows = Enumerable.Range(0, 500).Select(i => $$"""{"id":{{i}},"name":"{{new string('x', random.Next(0, 300))}}\"]}"}""");
        var bytes = Encoding.UTF8.GetBytes($$"""{"page":3,"items":[{{string.Join(",", rows)}}],"total":500}""");
        var expected = await ReadAllAsync(bytes, new JsonEnvelope("items"));

        foreach (int[]? chunks in new int[]?[] { null, [1, 2, 3], [16 * 1024 + 1] })
        {
            var envelope = new JsonEnvelope("items");
            var collected = new List<TestRow>();
            Stream stream = chunks is null ? new MemoryStream(bytes) : new ChunkedStream(bytes, chunks);

            await ReadIntoAsync(stream, TestJsonContext.Default.TestRow, collected, envelope);

            collected.Select(r => (r.Id, r.Name)).Should().Equal(expected.Select(r => (r.Id, r.Name)));
            envelope.GetInt64("page").Should().Be(3);
            envelope.GetInt64("total").Should().Be(500);
        }
    }

    [Theory]
    [InlineData("""[{"id":1},{"id":2},{"id":""")]
    [InlineData("""[{"id":1},{"id":2},{"id":oops}]""")]
    public async Task ReadIntoAsync_keeps_the_rows_before_a_failure_then_throws(string json)
    {
        var rows = new List<TestRow> { new() { Id = 0 } };

        var act = () => ReadIntoAsync(new ChunkedStream(Encoding.UTF8.GetBytes(json), [3]), TestJsonContext.Default.TestRow, rows);

        await act.Should().ThrowAsync<JsonException>();
        rows.Select(r => r.Id).Should().Equal(0, 1, 2);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(1L)]
    [InlineData(100L)]
    [InlineData(1_000_000L)]
    public async Task A_collected_page_is_the_same_whatever_the_expected_length_and_keeps_the_rows_before_a_failure(long? expectedBytes)
    {
        var rows = string.Join(",", Enumerable.Range(0, 3000).Select(i => $$"""{"id":{{i}},"name":"row {{i}}"}"""));
        var good = Encoding.UTF8.GetBytes($$"""{"page":1,"results":[{{rows}}],"total":3000}""");
        var bad = Encoding.UTF8.GetBytes($$"""{"page":1,"results":[{{rows}},{"id":"x"}]}""");
        var envelope = new JsonEnvelope("results");
        List<TestRow> read = [], partial = [];

        await foreach (var row in JsonRowReader.ReadAsync(new ChunkedStream(good, [7000]), TestJsonContext.Default.TestRow, envelope, pageRows: read, expectedBytes: expectedBytes))
        {
            read.Add(row);
        }

        var act = async () =>
        {
            await foreach (var row in JsonRowReader.ReadAsync(new MemoryStream(bad), TestJsonContext.Default.TestRow, new JsonEnvelope("results"), pageRows: partial, expectedBytes: expectedBytes))
            {
                partial.Add(row);
            }
        };

        read.Select(r => r.Id).Should().Equal(Enumerable.Range(0, 3000));
        envelope.GetInt64("total").Should().Be(3000);
        (await act.Should().ThrowAsync<JsonException>()).Which.Message.Should().StartWith("Row 3001 of the list could not be read");
        partial.Should().HaveCount(3000, "the rows before the bad one stay in the list");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Text_that_is_not_UTF8_in_a_property_name_is_refused_too(bool page)
    {
        // System.Text.Json matches property names as bytes and never decodes an unknown one.
        byte[] rows = [.. "[{\"id\":1},{\"id\":2,\""u8, 0xFF, .. "\":1}]"u8];
        byte[] json = page ? [.. "{\"results\":"u8, .. rows, .. "}"u8] : rows;

        var act = () => ReadAllAsync(json, new JsonEnvelope("results"));

        (await act.Should().ThrowAsync<JsonException>()).Which.Message.Should().Be("Row 2 of the list is not valid UTF-8 text.");
    }

    [Fact]
    public async Task A_row_that_does_not_fit_the_type_is_named_by_its_number_and_path()
    {
        var act = () => ReadAllAsync(Encoding.UTF8.GetBytes("""[{"id":1},{"id":2,"name":"b"},{"id":3,"name":7}]"""), envelope: null);

        var exception = (await act.Should().ThrowAsync<JsonException>()).Which;
        exception.Message.Should().StartWith("Row 3 of the list could not be read");
        exception.Path.Should().Be("$.name");
        exception.LineNumber.Should().BeNull("a position within the row alone would mislead");
    }

    [Fact]
    public async Task The_envelope_keeps_integers_and_other_values_and_the_last_of_a_repeated_name()
    {
        var envelope = new JsonEnvelope("results");

        await ReadAllAsync("""{"page":"2","total":9,"pageSize":5,"meta":{"a":1},"total":10,"meta":3,"big":12345678901234567890,"results":[]}""", envelope);

        envelope.GetInt64("PAGE").Should().Be(2, "a numeric string counts, and names ignore case");
        envelope.GetInt64("total").Should().Be(10);
        envelope.GetInt64("meta").Should().Be(3, "the integer replaced the object of the same name");
        envelope.GetInt64("big").Should().BeNull("it does not fit a long");
        envelope.Properties.Keys.Should().BeEquivalentTo("page", "total", "pageSize", "meta", "big");
        envelope.Properties["pageSize"].GetInt32().Should().Be(5);
        envelope.Properties["big"].GetRawText().Should().Be("12345678901234567890");
    }

    [Fact]
    public async Task The_first_row_fingerprint_tells_equal_first_rows_from_different_ones()
    {
        async Task<ulong?> FingerprintAsync(string json)
        {
            var envelope = new JsonEnvelope("results");
            await ReadAllAsync(json, envelope);
            return envelope.FirstRowFingerprint;
        }

        var first = await FingerprintAsync("""{"results":[{"id":1,"name":"a"},{"id":2}]}""");
        var same = await FingerprintAsync("""{"page":2,"results":[{"id":1,"name":"a"},{"id":3}]}""");
        var other = await FingerprintAsync("""{"results":[{"id":1,"name":"b"},{"id":2}]}""");
        var none = await FingerprintAsync("""{"results":[]}""");

        first.Should().NotBeNull().And.Be(same);
        other.Should().NotBe(first);
        none.Should().BeNull();
    }

    [Fact]
    public async Task A_null_row_is_a_JsonException_naming_it_while_a_null_JsonElement_is_a_value()
    {
        var typed = () => ReadAllAsync("""[{"id":1},null,{"id":3}]""", envelope: null);
        var elements = await ReadAllAsync(Encoding.UTF8.GetBytes("[1,null]"), TestJsonContext.Default.JsonElement);

        (await typed.Should().ThrowAsync<JsonException>()).Which.Message.Should().StartWith("Row 2 of the list could not be read").And.Contain("null");
        elements.Select(e => e.ValueKind).Should().Equal(JsonValueKind.Number, JsonValueKind.Null);
    }

    [Fact]
    public async Task A_row_nested_deeper_than_the_options_allow_is_a_JsonException_naming_it()
    {
        var deep = new string('[', 70) + new string(']', 70);

        var act = () => ReadAllAsync(Encoding.UTF8.GetBytes($"[1,{deep}]"), TestJsonContext.Default.JsonElement);

        (await act.Should().ThrowAsync<JsonException>()).Which.Message.Should().StartWith("Row 2 of the list could not be read").And.Contain("depth");
    }

    private static MemoryStream Utf8(string json) => new(Encoding.UTF8.GetBytes(json));

    // How ApiConnection.ReadRowsAsync collects a list: the rows read before a failure stay in it.
    private static async Task ReadIntoAsync<T>(Stream stream, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, List<T> rows, JsonEnvelope? envelope = null, long maxPageBytes = 64L << 20)
    {
        await foreach (var row in JsonRowReader.ReadAsync(stream, type, envelope, maxPageBytes: maxPageBytes, pageRows: rows))
        {
            rows.Add(row);
        }
    }

    private static async Task<(List<int> Rows, JsonException Failure)> ReadUntilFailureAsync(string json, int[]? chunks)
    {
        var rows = new List<int>();
        var stream = chunks is null ? (Stream)Utf8(json) : new ChunkedStream(Encoding.UTF8.GetBytes(json), chunks);
        var act = async () =>
        {
            await foreach (var row in JsonRowReader.ReadAsync(stream, TestJsonContext.Default.TestRow, new JsonEnvelope("results")))
            {
                rows.Add(row.Id);
            }
        };

        return (rows, (await act.Should().ThrowAsync<JsonException>()).Which);
    }

    private static Task<List<TestRow>> ReadAllAsync(string json, JsonEnvelope? envelope) =>
        ReadAllAsync(Encoding.UTF8.GetBytes(json), envelope, chunks: null);

    private static Task<List<TestRow>> ReadAllAsync(byte[] json, JsonEnvelope? envelope, int[]? chunks = null, long failAt = -1) =>
        ReadAllAsync(json, TestJsonContext.Default.TestRow, envelope, chunks, failAt);

    private static async Task<List<T>> ReadAllAsync<T>(byte[] json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, JsonEnvelope? envelope = null, int[]? chunks = null, long failAt = -1)
    {
        Stream stream = chunks is null && failAt < 0 ? new MemoryStream(json) : new ChunkedStream(json, chunks ?? [json.Length + 1], failAt);
        var rows = new List<T>();
        await foreach (var row in JsonRowReader.ReadAsync(stream, type, envelope))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Generates <c>[{"id":0,"name":"row 0"},…]</c> (optionally inside an envelope) on the fly, never holding it.</summary>
    private sealed class RowGeneratorStream : Stream
    {
        private readonly int _rows;
        private readonly byte[] _prefix;
        private readonly byte[] _suffix;
        private readonly List<long> _rowEnds = [];
        private byte[] _pending = [];
        private int _pendingOffset;
        private int _next = -1;

        public RowGeneratorStream(int rows, bool envelope)
        {
            _rows = rows;
            _prefix = Encoding.UTF8.GetBytes(envelope ? "{\"page\":1,\"results\":[" : "[");
            _suffix = Encoding.UTF8.GetBytes(envelope ? $"],\"total\":{rows}}}" : "]");
        }

        public bool FirstRowConsumed { get; set; }

        public long ReadLimitBeforeFirstRow { get; init; } = long.MaxValue;

        public long BytesRead { get; private set; }

        public long TotalLength { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => BytesRead;
            set => throw new NotSupportedException();
        }

        public long EndOfRow(int index) => _rowEnds[index];

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (!FirstRowConsumed && BytesRead >= ReadLimitBeforeFirstRow)
            {
                throw new InvalidOperationException($"Read past {ReadLimitBeforeFirstRow} bytes before the first row was consumed: the reader buffers the body.");
            }

            var written = 0;
            while (written < buffer.Length)
            {
                if (_pendingOffset == _pending.Length && !NextPiece())
                {
                    break;
                }

                var take = Math.Min(buffer.Length - written, _pending.Length - _pendingOffset);
                if (!FirstRowConsumed && BytesRead + written + take > ReadLimitBeforeFirstRow)
                {
                    take = (int)(ReadLimitBeforeFirstRow - BytesRead - written);
                    if (take <= 0)
                    {
                        break;
                    }
                }

                _pending.AsSpan(_pendingOffset, take).CopyTo(buffer[written..]);
                _pendingOffset += take;
                written += take;
            }

            BytesRead += written;
            return written;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            new(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer, offset, count));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private bool NextPiece()
        {
            if (_next > _rows)
            {
                return false;
            }

            _pending = _next switch
            {
                -1 => _prefix,
                _ when _next == _rows => _suffix,
                _ => Encoding.UTF8.GetBytes((_next == 0 ? string.Empty : ",") + $"{{\"id\":{_next},\"name\":\"row {_next}\"}}"),
            };
            _pendingOffset = 0;
            TotalLength += _pending.Length;
            if (_next >= 0 && _next < _rows)
            {
                _rowEnds.Add(TotalLength);
            }

            _next++;
            return true;
        }
    }
}
