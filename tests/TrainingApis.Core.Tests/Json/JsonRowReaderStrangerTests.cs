using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using TrainingApis.Core.Json;
using TrainingApis.Core.Tests.TestSupport;

namespace TrainingApis.Core.Tests.Json;

/// <summary>
/// A stranger's probes of <see cref="JsonRowReader"/> at read boundaries: every fault (a type error, a truncation, a
/// null row, text that is not UTF-8 in every place and shape) in the first row, a middle row, the row across
/// System.Text.Json's 16 KB buffer and the last row, for reads of 1 byte up to just past 16 KB and of random sizes.
/// </summary>
public sealed class JsonRowReaderStrangerTests
{
    private const int Rows = 30;
    private const int Boundary = 16 * 1024; // System.Text.Json's default buffer size for DeserializeAsyncEnumerable.
    private const string Page = "{\"page\":1,\"results\":";

    private static readonly string[] SizeNames = ["1", "2", "3", "7", "4096", "16383", "16384", "16385", "random"];

    public static TheoryData<string> ReadSizes => new(SizeNames);

    public static TheoryData<string, string> Faults()
    {
        var data = new TheoryData<string, string>();
        foreach (var fault in FaultKinds.Keys)
        {
            foreach (var where in new[] { "first", "middle", "straddling", "last" })
            {
                data.Add(fault, where);
            }
        }

        return data;
    }

    // What the fault row holds after its padding: the bytes of the fault start at the offset of the marker \u0001.
    private static readonly Dictionary<string, (string Kind, byte[] Part)> FaultKinds = new()
    {
        ["type error"] = ("type", [.. "\"points\":\u0001\"x\""u8]),
        ["null row"] = ("null", []),
        ["truncated"] = ("truncated", [.. "\"name\":\"ab\u0001cd"u8]),
        ["invalid byte in a string"] = ("utf8", [.. "\"name\":\"a\u0001"u8, 0xFF, .. "b\""u8]),
        ["invalid byte in a property name"] = ("utf8", [.. "\"n\u0001"u8, 0xC3, 0x28, .. "\":1"u8]),
        ["invalid byte in a skipped property"] = ("utf8", [.. "\"unknown\":[\"\u0001"u8, 0xC3, .. "\"]"u8]),
        ["lead byte then no continuation"] = ("utf8", [.. "\"name\":\"\u0001"u8, 0xE2, 0x82, .. "x\""u8]),
        ["overlong slash"] = ("utf8", [.. "\"name\":\"\u0001"u8, 0xC0, 0xAF, .. "\""u8]),
        ["overlong three bytes"] = ("utf8", [.. "\"name\":\"\u0001"u8, 0xE0, 0x80, 0xAF, .. "\""u8]),
        ["lone surrogate"] = ("utf8", [.. "\"name\":\"\u0001"u8, 0xED, 0xA0, 0x80, .. "\""u8]),
        ["four-byte cut after 1"] = ("utf8", [.. "\"name\":\"\u0001"u8, 0xF0, .. "\""u8]),
        ["four-byte cut after 2"] = ("utf8", [.. "\"name\":\"\u0001"u8, 0xF0, 0x9F, .. "\""u8]),
        ["four-byte cut after 3"] = ("utf8", [.. "\"name\":\"\u0001"u8, 0xF0, 0x9F, 0x98, .. "\""u8]),
        ["past U+10FFFF"] = ("utf8", [.. "\"name\":\"\u0001"u8, 0xF4, 0x90, 0x80, 0x80, .. "\""u8]),
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_fault_in_a_bare_array_names_its_row_and_hands_over_a_prefix_of_the_rows_before_it(string fault, string where)
    {
        var (body, row, faultAt, ends) = Body(fault, where, page: false);

        foreach (var sizes in SizeSets)
        {
            var (rows, failure) = await ReadAsync(body, sizes);

            AssertFailure(failure, fault, row, sizes);
            rows.Should().Equal(Enumerable.Range(1, rows.Count), "rows come in order, none twice (reads of {0})", Name(sizes));
            rows.Count.Should().BeLessThan(row, "no row at or after the bad one is handed over (reads of {0})", Name(sizes));
            if (faultAt >= Boundary)
            {
                // System.Text.Json hands over the rows of a 16 KB buffer before it reads the next.
                rows.Count.Should().BeGreaterThanOrEqualTo(ends.Count(end => end <= Boundary - 4), "the rows of the first 16 KB came before the fault (reads of {0})", Name(sizes));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_fault_in_a_page_names_its_row_and_hands_over_every_row_before_it(string fault, string where)
    {
        var (body, row, _, _) = Body(fault, where, page: true);

        foreach (var sizes in SizeSets)
        {
            var (rows, failure) = await ReadAsync(body, sizes);
            var collected = new List<StrangerRow>();
            var collect = () => Collect(new ChunkedStream(body, sizes), collected);

            AssertFailure(failure, fault, row, sizes);
            rows.Should().Equal(Enumerable.Range(1, row - 1), "a page hands over every row before the bad one (reads of {0})", Name(sizes));
            AssertFailure((await collect.Should().ThrowAsync<JsonException>()).Which, fault, row, sizes);
            collected.Select(r => r.Id).Should().Equal(Enumerable.Range(1, row - 1), "a collected page keeps them (reads of {0})", Name(sizes));
        }
    }

    [Theory]
    [MemberData(nameof(ReadSizes))]
    public async Task A_clean_body_reads_the_same_whatever_the_read_sizes(string size)
    {
        var bare = Body(fault: null, "last", page: false).Body;
        var page = Body(fault: null, "last", page: true).Body;
        var sizes = Sizes(size);

        var (rows, failure) = await ReadAsync(bare, sizes);
        var (pageRows, pageFailure) = await ReadAsync(page, sizes);

        failure.Should().BeNull();
        pageFailure.Should().BeNull();
        rows.Should().Equal(Enumerable.Range(1, Rows));
        pageRows.Should().Equal(Enumerable.Range(1, Rows));
    }

    [Theory]
    [MemberData(nameof(ReadSizes))]
    public async Task Trailing_garbage_after_the_last_row_is_refused_after_every_row_was_read(string size)
    {
        var bare = Body(fault: null, "last", page: false).Body;
        var page = Body(fault: null, "last", page: true).Body;
        var sizes = Sizes(size);

        var (rows, failure) = await ReadAsync([.. bare, .. " x"u8], sizes);
        var (pageRows, pageFailure) = await ReadAsync([.. page, .. ",{}"u8], sizes);

        failure.Should().NotBeNull();
        pageFailure.Should().NotBeNull();
        rows.Should().Equal(Enumerable.Range(1, rows.Count), "a bare array hands over rows as far as System.Text.Json did");
        pageRows.Should().Equal(Enumerable.Range(1, Rows), "a page hands over every row before the failure");
    }

    [Theory]
    [MemberData(nameof(ReadSizes))]
    public async Task A_row_over_maxItemBytes_is_refused_by_number_and_one_of_a_quarter_of_it_is_read(string size)
    {
        const int bound = 64 * 1024;
        byte[] Rows(int nameLength) => Encoding.UTF8.GetBytes($$"""[{"id":1},{"id":2,"name":"{{new string('n', nameLength)}}"},{"id":3}]""");
        async Task<(List<int>, JsonException?)> Read(byte[] body)
        {
            var rows = new List<int>();
            try
            {
                await foreach (var row in JsonRowReader.ReadAsync(new ChunkedStream(body, Sizes(size)), StrangerJsonContext.Default.StrangerRow, maxItemBytes: bound))
                {
                    rows.Add(row.Id);
                }

                return (rows, null);
            }
            catch (JsonException ex)
            {
                return (rows, ex);
            }
        }

        // The bound is on the serializer's whole buffer, which doubles to hold a row, one or two steps ahead of it
        // depending on the read sizes (measured: rows of 36,000 bytes pass with reads of 16 KB, of 64,000 with reads of
        // 1 byte). Before the fix it was on what was left of that buffer: a row over the bound passed with small reads,
        // or was read whole, handed over, and the body refused after it ("The response is larger …").
        var (under, underFailure) = await Read(Rows(bound / 4));
        var (over, overFailure) = await Read(Rows(bound + 1000));

        underFailure.Should().BeNull();
        under.Should().Equal(1, 2, 3);
        overFailure.Should().NotBeNull().And.Subject.As<JsonException>().Message.Should().Be($"Row 2 of the list is larger than {bound} bytes.");
        over.Should().Equal(new[] { 1 }.Take(over.Count));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    [InlineData("7")]
    [InlineData("random")]
    public async Task A_page_of_exactly_maxPageBytes_is_read_and_one_byte_more_is_refused(string size)
    {
        var page = Body(fault: null, "last", page: true).Body;
        async Task<JsonException?> Read(byte[] body)
        {
            try
            {
                await Collect(new ChunkedStream(body, Sizes(size)), [], maxPageBytes: page.Length);
                return null;
            }
            catch (JsonException ex)
            {
                return ex;
            }
        }

        (await Read(page)).Should().BeNull();
        (await Read([.. page, .. " "u8])).Should().NotBeNull().And.Subject.As<JsonException>().Message
            .Should().Be($"The JSON object is larger than {page.Length} bytes (MaxResponseBufferSize).");
    }

    public static TheoryData<string, string, string> Roots => new()
    {
        { "BOM, white space, array", "\uFEFF \r\n\t[{\"id\":1} , {\"id\":2}] \n", "1,2" },
        { "BOM, white space, page", "\uFEFF \n {\"results\":[{\"id\":1}]}", "1" },
        { "empty array", "[]", "" },
        { "empty array with a space", "[ ]", "" },
        { "empty page", "{\"results\":[ ]}", "" },
        { "white space only", " \r\n\t ", "!The JSON response is empty." },
        { "empty body", "", "!The JSON response is empty." },
        { "BOM only", "\uFEFF", "!The JSON response is empty." },
        { "BOM and white space only", "\uFEFF  \n", "!The JSON response is empty." },
        { "two BOMs", "\uFEFF\uFEFF[]", "!Expected a JSON array or object, found byte 0xEF." },
        { "null", "null", "!Expected a JSON array or object, found 'n'." },
        { "a number", "42", "!Expected a JSON array or object, found '4'." },
        { "a string", "\"rows\"", "!Expected a JSON array or object, found '\"'." },
        { "a BOM in the array", "[\uFEFF{\"id\":1}]", "!" },
        { "a second BOM before a page's rows", "\uFEFF{\"results\":\uFEFF[]}", "!" },
    };

    [Theory]
    [MemberData(nameof(Roots))]
    public async Task Every_root_reads_or_fails_the_same_whatever_the_read_sizes(string what, string json, string expected)
    {
        foreach (var sizes in SizeSets)
        {
            var (rows, failure) = await ReadAsync(Encoding.UTF8.GetBytes(json), sizes);

            if (expected.StartsWith('!'))
            {
                failure.Should().NotBeNull("{0}, reads of {1}", what, Name(sizes));
                failure!.Message.Should().StartWith(expected[1..], "{0}, reads of {1}", what, Name(sizes));
                rows.Should().BeEmpty();
            }
            else
            {
                failure.Should().BeNull("{0}, reads of {1}", what, Name(sizes));
                string.Join(",", rows).Should().Be(expected, "{0}, reads of {1}", what, Name(sizes));
            }
        }
    }

    [Theory]
    [InlineData("1")]
    [InlineData("3")]
    [InlineData("16384")]
    public async Task A_byte_that_is_not_UTF8_after_the_array_or_between_rows_is_refused(string size)
    {
        byte[] after = [.. "[{\"id\":1},{\"id\":2}] "u8, 0xFF];
        byte[] between = [.. "[{\"id\":1}, "u8, 0xC3, .. "{\"id\":2}]"u8];

        var (afterRows, afterFailure) = await ReadAsync(after, Sizes(size));
        var (betweenRows, betweenFailure) = await ReadAsync(between, Sizes(size));

        afterFailure!.Message.Should().Be("The response is not valid UTF-8 text.");
        afterRows.Should().Equal(new[] { 1, 2 }.Take(afterRows.Count));
        betweenFailure!.Message.Should().Be("Row 2 of the list is not valid UTF-8 text.");
        betweenRows.Should().Equal(new[] { 1 }.Take(betweenRows.Count));
    }

    [Theory]
    [InlineData("results")]
    [InlineData("data")]
    [InlineData("items")]
    [InlineData("records")]
    public async Task Rows_under_each_row_property_after_large_other_values_are_read_whatever_the_read_sizes(string property)
    {
        var meta = $$"""{"note":"{{new string('m', 20_000)}}","list":[1,2,3]}""";
        var json = $$"""{"page":2,"meta":{{meta}},"pageSize":3,"{{property}}":[{"id":1},{"id":2},{"id":3}],"total":9}""";

        foreach (var sizes in SizeSets)
        {
            var envelope = new JsonEnvelope("results", "data", "items", "records");
            var (rows, failure) = await ReadAsync(Encoding.UTF8.GetBytes(json), sizes, envelope);

            failure.Should().BeNull();
            rows.Should().Equal(1, 2, 3);
            envelope.RowProperty.Should().Be(property);
            (envelope.GetInt64("page"), envelope.GetInt64("pageSize"), envelope.GetInt64("total")).Should().Be((2, 3, 9));
            envelope.Properties.Should().ContainKey("meta");
        }
    }

    [Theory]
    [InlineData("""{"a":[{"id":1}],"b":[{"id":2}]}""", "", null)]
    [InlineData("""{"warnings":[{"id":9}],"data":[{"id":1}]}""", "1", "data")]
    [InlineData("""{"results":[{"id":1}],"data":[{"id":2}]}""", "1", "results")]
    [InlineData("""{"results":null,"results":[{"id":1}]}""", "1", "results")]
    [InlineData("""{"results":[{"id":1}],"results":[{"id":2}]}""", "1", "results")]
    public async Task Several_arrays_and_repeated_row_properties_follow_the_documented_rule(string json, string expected, string? property)
    {
        var envelope = new JsonEnvelope("results", "data", "items", "records");

        var (rows, failure) = await ReadAsync(Encoding.UTF8.GetBytes(json), [3], envelope);

        failure.Should().BeNull();
        string.Join(",", rows).Should().Be(expected, "the rows are under the first known row property, else the only array");
        envelope.RowProperty.Should().Be(property);
    }

    [Theory]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    public async Task A_deeply_nested_row_fails_or_reads_the_same_in_a_bare_array_and_a_page(int depth)
    {
        var row = new string('[', depth) + new string(']', depth);
        var bare = Encoding.UTF8.GetBytes($"[1,{row}]");
        var page = Encoding.UTF8.GetBytes($$"""{"results":[1,{{row}}]}""");

        var bareFailure = await Failure(bare);
        var pageFailure = await Failure(page);

        (bareFailure is null).Should().Be(pageFailure is null, "the depth limit is the row's own in both: bare {0}, page {1}", bareFailure?.Message, pageFailure?.Message);
        (bareFailure is null).Should().Be(depth < 64, "System.Text.Json's default MaxDepth is 64, the array counts");
        bareFailure?.Message.Should().StartWith("Row 2 of the list could not be read");
        pageFailure?.Message.Should().StartWith("Row 2 of the list could not be read");

        static async Task<JsonException?> Failure(byte[] body)
        {
            try
            {
                await foreach (var _ in JsonRowReader.ReadAsync(new ChunkedStream(body, [5]), StrangerJsonContext.Default.JsonElement, new JsonEnvelope("results")))
                {
                }

                return null;
            }
            catch (JsonException ex)
            {
                return ex;
            }
        }
    }

    [Theory]
    [InlineData(62, true)]
    [InlineData(63, true)]
    [InlineData(70, false)]
    public async Task A_deeply_nested_value_beside_the_rows_is_kept_or_refused_as_a_JsonException(int depth, bool read)
    {
        var meta = new string('[', depth) + new string(']', depth);
        var envelope = new JsonEnvelope("results");

        var (rows, failure) = await ReadAsync(Encoding.UTF8.GetBytes($$"""{"meta":{{meta}},"results":[{"id":1}],"total":1}"""), [7], envelope);

        (failure is null).Should().Be(read, failure?.Message);
        if (read)
        {
            rows.Should().Equal(1);
            envelope.Properties["meta"].ValueKind.Should().Be(JsonValueKind.Array);
            envelope.GetInt64("total").Should().Be(1);
        }
    }

    [Fact]
    public async Task The_first_row_fingerprint_is_the_same_whatever_the_read_sizes_and_a_byte_order_mark()
    {
        var page = Body(fault: null, "last", page: true).Body;
        var fingerprints = new List<ulong?>();

        foreach (var body in new[] { page, [0xEF, 0xBB, 0xBF, .. page] })
        {
            foreach (var sizes in SizeSets)
            {
                var envelope = new JsonEnvelope("results");
                await ReadAsync(body, sizes, envelope);
                fingerprints.Add(envelope.FirstRowFingerprint);
            }
        }

        fingerprints.Should().NotContainNulls().And.OnlyContain(f => f == fingerprints[0]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Cancellation_while_the_body_is_read_is_the_callers_OperationCanceledException(bool page)
    {
        var body = Body(fault: null, "last", page).Body;
        using var cancellation = new CancellationTokenSource();
        var stream = new CancelAtStream(body, cancelAt: 10_000, cancellation);
        var rows = new List<int>();

        var act = async () =>
        {
            await foreach (var row in JsonRowReader.ReadAsync(stream, StrangerJsonContext.Default.StrangerRow, new JsonEnvelope("results"), cancellationToken: cancellation.Token))
            {
                rows.Add(row.Id);
            }
        };

        (await act.Should().ThrowAsync<OperationCanceledException>()).Which.CancellationToken.Should().Be(cancellation.Token);
        rows.Should().Equal(Enumerable.Range(1, rows.Count));
        rows.Count.Should().BeLessThan(Rows);
    }

    private static IEnumerable<int[]> SizeSets => SizeNames.Select(Sizes);

    private static int[] Sizes(string size)
    {
        if (size != "random")
        {
            return [int.Parse(size, System.Globalization.CultureInfo.InvariantCulture)];
        }

        var random = new Random(19);
        return [.. Enumerable.Range(0, 64).Select(_ => random.Next(1, 3 * Boundary))];
    }

    private static string Name(int[] sizes) => sizes.Length == 1 ? $"{sizes[0]} bytes" : "random sizes";

    private static void AssertFailure(JsonException? failure, string fault, int row, int[] sizes)
    {
        failure.Should().NotBeNull("reads of {0}", Name(sizes));
        var because = $"{fault} in row {row}, reads of {Name(sizes)}";
        switch (FaultKinds[fault].Kind)
        {
            case "utf8":
                failure!.Message.Should().Be($"Row {row} of the list is not valid UTF-8 text.", because);
                break;
            case "null":
                failure!.Message.Should().Be($"Row {row} of the list could not be read: The row is null.", because);
                break;
            case "type":
                failure!.Message.Should().StartWith($"Row {row} of the list could not be read", because);
                failure.Path.Should().Be("$.points", because);
                JsonReadFailure.Describe(failure).Should().StartWith($"row {row}: a type mismatch at $.points: ", because);
                break;
            default:
                failure!.Message.Should().StartWith($"Row {row} of the list could not be read", because);
                break;
        }
    }

    // 30 rows {"id":n,"pad":"…",…} of about 800 bytes; the fault in row `row`, the straddling row's fault bytes starting
    // at byte 16383 of the body: a lead byte at the end of the first 16 KB read, its continuation in the next.
    private static (byte[] Body, int Row, int FaultAt, List<int> Ends) Body(string? fault, string where, bool page)
    {
        var body = new List<byte>();
        body.AddRange(Encoding.UTF8.GetBytes(page ? Page + "[" : "["));
        var row = where switch { "first" => 1, "middle" => 8, "last" => Rows, _ => 0 };
        var faultAt = -1;
        var ends = new List<int>();
        for (var n = 1; n <= Rows; n++)
        {
            if (n > 1)
            {
                body.Add((byte)',');
            }

            var head = Encoding.UTF8.GetBytes($"{{\"id\":{n},\"pad\":\"");
            var (kind, part) = fault is null ? ("none", "\"name\":\"r\""u8.ToArray()) : FaultKinds[fault];
            var marker = Array.IndexOf(part, (byte)1);
            var straddles = row == 0 && body.Count + 900 > Boundary;
            if (straddles)
            {
                row = n;
            }

            if (n != row || fault is null)
            {
                body.AddRange([.. head, .. Encoding.UTF8.GetBytes(new string('p', 760)), .. "\","u8, .. "\"name\":\"r\"}"u8]);
                ends.Add(body.Count);
                continue;
            }

            if (kind == "null")
            {
                var before = Math.Max(0, Boundary - 2 - body.Count);
                body.AddRange(straddles ? Enumerable.Repeat((byte)' ', before) : []);
                faultAt = body.Count;
                body.AddRange("null"u8.ToArray());
                continue;
            }

            var fixedLength = head.Length + "\",".Length + marker;
            var pad = straddles ? Boundary - 1 - body.Count - fixedLength : 760;
            body.AddRange([.. head, .. Encoding.UTF8.GetBytes(new string('p', pad)), .. "\","u8]);
            faultAt = body.Count + marker;
            body.AddRange(part.Where((_, i) => i != marker));
            if (kind == "truncated")
            {
                return ([.. body], row, faultAt, ends);
            }

            body.Add((byte)'}');
        }

        body.AddRange(page ? "],\"total\":30}"u8.ToArray() : "]"u8.ToArray());
        return ([.. body], row, faultAt, ends);
    }

    private static async Task<(List<int> Rows, JsonException? Failure)> ReadAsync(byte[] body, int[] sizes, JsonEnvelope? envelope = null)
    {
        var rows = new List<int>();
        try
        {
            await foreach (var row in JsonRowReader.ReadAsync(new ChunkedStream(body, sizes), StrangerJsonContext.Default.StrangerRow, envelope ?? new JsonEnvelope("results")))
            {
                rows.Add(row.Id);
            }

            return (rows, null);
        }
        catch (JsonException ex)
        {
            return (rows, ex);
        }
    }

    private static async Task Collect(Stream body, List<StrangerRow> rows, long maxPageBytes = 64L << 20)
    {
        await foreach (var row in JsonRowReader.ReadAsync(body, StrangerJsonContext.Default.StrangerRow, new JsonEnvelope("results"), maxPageBytes: maxPageBytes, pageRows: rows))
        {
            rows.Add(row);
        }
    }
}

/// <summary>Reads of 4000 bytes that cancel the caller's token once <c>cancelAt</c> bytes were read, as a caller giving up would.</summary>
internal sealed class CancelAtStream(byte[] data, int cancelAt, CancellationTokenSource cancellation) : MemoryStream(data)
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Position >= cancelAt)
        {
            await cancellation.CancelAsync();
        }

        cancellationToken.ThrowIfCancellationRequested();
        return await base.ReadAsync(buffer[..Math.Min(buffer.Length, 4000)], cancellationToken);
    }
}

/// <summary>A row without extension data, so that an unknown property is skipped, never decoded.</summary>
internal sealed record StrangerRow
{
    public int Id { get; init; }

    public string? Name { get; init; }

    public int? Points { get; init; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(StrangerRow))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class StrangerJsonContext : JsonSerializerContext;
