using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
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

    private static async Task Collect(Stream body, List<StrangerRow> rows)
    {
        await foreach (var row in JsonRowReader.ReadAsync(body, StrangerJsonContext.Default.StrangerRow, new JsonEnvelope("results"), pageRows: rows))
        {
            rows.Add(row);
        }
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
