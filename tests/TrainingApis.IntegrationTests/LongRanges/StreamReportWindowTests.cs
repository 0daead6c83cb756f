using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Symtrain.Client;
using TrainingApis.Core;
using TrainingApis.IntegrationTests.Infrastructure;

namespace TrainingApis.IntegrationTests.LongRanges;

/// <summary>
/// StreamReportAsync over a range longer than MaxReportRange: what WireMock received must be consecutive windows that
/// cover the range exactly, with no gap and no overlap, each within the maximum.
/// </summary>
[Collection(WireMockCollection.Name)]
public sealed class StreamReportWindowTests(WireMockFixture fixture) : WireMockTest(fixture)
{
    private const string Path = "/v2/report/syms-result";

    // 400 days across a year end and a leap day.
    private static readonly DateRange FourHundredDays = DateRange.FromDays(new DateOnly(2023, 11, 15), 400);

    [Fact]
    public async Task Four_hundred_days_are_sent_as_three_consecutive_windows_of_at_most_180_days()
    {
        StubEchoingWindow();
        var options = TestClients.SymtrainOptions(Server);
        using var client = new SymtrainClient(options);

        var rows = await ReadAllAsync(client, FourHundredDays);

        var windows = ReceivedWindows();
        windows.Should().HaveCount(3);
        ShouldTileExactly(windows, FourHundredDays, maxDays: 180);
        windows.Select(w => w.Days).Should().Equal(180, 180, 40);
        rows.Should().Equal(windows.Select(w => w.StartText), "rows arrive window by window, in order");
        Server.Count(RequestPattern.Post(Path).WithBearer(options.ApiKey!)).Should().Be(3);
        ShouldHaveNoUnmatchedRequests();
    }

    [Fact]
    public async Task A_smaller_max_report_range_gives_more_windows_that_still_tile_the_range()
    {
        StubEchoingWindow();
        var options = TestClients.SymtrainOptions(Server);
        options.MaxReportRange = TimeSpan.FromDays(30);
        using var client = new SymtrainClient(options);

        var rows = await ReadAllAsync(client, FourHundredDays);

        var windows = ReceivedWindows();
        windows.Should().HaveCount(14);
        ShouldTileExactly(windows, FourHundredDays, maxDays: 30);
        windows[^1].Days.Should().Be(10);
        rows.Should().HaveCount(14);
    }

    [Fact]
    public async Task Each_window_is_read_page_by_page_before_the_next_window_starts()
    {
        // Page 1 (no page in the body) is full: 2 of pageSize 2, total 3; page 2 holds the last row.
        Server.Add(Stub.For(RequestPattern.Post(Path).WithJsonBodyContaining("""{"page": 2}""")).Templated().Returns(200, new JsonObject
        {
            ["page"] = 2,
            ["pageSize"] = 2,
            ["total"] = 3,
            ["results"] = new JsonArray(Row("p2-r1")),
        }));
        Server.Add(Stub.For(RequestPattern.Post(Path)).WithPriority(2).Templated().Returns(200, new JsonObject
        {
            ["page"] = 1,
            ["pageSize"] = 2,
            ["total"] = 3,
            ["results"] = new JsonArray(Row("p1-r1"), Row("p1-r2")),
        }));
        using var client = new SymtrainClient(TestClients.SymtrainOptions(Server));

        var rows = new List<string>();
        await foreach (var row in client.Reports.StreamReportAsync(SymtrainReport.SymsResult, FourHundredDays))
        {
            rows.Add($"{row.GetString("windowStart")}/{row.GetString("row")}");
        }

        var requests = Server.ReceivedRequests(Path);
        requests.Should().HaveCount(6, "three windows of two pages");
        var bodies = requests.Select(r => r.Json()).ToList();
        bodies.Select(b => b.TryGetProperty("page", out var page) ? page.GetInt32() : 1).Should().Equal(1, 2, 1, 2, 1, 2);
        bodies.Where(b => b.TryGetProperty("page", out _)).Should().AllSatisfy(b => b.GetProperty("pageSize").GetInt32().Should().Be(2));
        var windows = bodies.Select(ToWindow).ToList();
        windows[0].Should().Be(windows[1]);
        windows[2].Should().Be(windows[3]);
        windows[4].Should().Be(windows[5]);
        ShouldTileExactly([windows[0], windows[2], windows[4]], FourHundredDays, maxDays: 180);
        rows.Should().HaveCount(9);
        rows.Take(3).Should().Equal($"{windows[0].StartText}/p1-r1", $"{windows[0].StartText}/p1-r2", $"{windows[0].StartText}/p2-r1");
    }

    private static JsonObject Row(string name) => new()
    {
        ["windowStart"] = "{{DateTime.Format (JsonPath.SelectToken request.body \"$.startDate\") \"yyyy-MM-dd\"}}",
        ["row"] = name,
    };

    private static void ShouldTileExactly(IReadOnlyList<DateRange> windows, DateRange range, int maxDays)
    {
        windows[0].Start.Should().Be(range.Start, "the first window starts with the range");
        windows[^1].End.Should().Be(range.End, "the last window ends with the range");
        for (var i = 1; i < windows.Count; i++)
        {
            windows[i].Start.Should().Be(windows[i - 1].End.AddDays(1), $"window {i + 1} starts the day after window {i} ends (no gap, no overlap)");
        }

        windows.Should().AllSatisfy(w => w.Days.Should().BeInRange(1, maxDays));
        windows.Sum(w => w.Days).Should().Be(range.Days);
    }

    private static DateRange ToWindow(JsonElement body) => new(
        DateOnly.ParseExact(body.GetProperty("startDate").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateOnly.ParseExact(body.GetProperty("endDate").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture));

    private static async Task<List<string>> ReadAllAsync(SymtrainClient client, DateRange range)
    {
        var rows = new List<string>();
        await foreach (var row in client.Reports.StreamReportAsync(SymtrainReport.SymsResult, range))
        {
            rows.Add(row.GetString("windowStart")!);
        }

        return rows;
    }

    // A bare array (one page) whose single row names the window it answered.
    private void StubEchoingWindow() =>
        Server.Add(Stub.For(RequestPattern.Post(Path)).Templated().Returns(200, new JsonArray(new JsonObject
        {
            ["windowStart"] = "{{DateTime.Format (JsonPath.SelectToken request.body \"$.startDate\") \"yyyy-MM-dd\"}}",
            ["windowEnd"] = "{{DateTime.Format (JsonPath.SelectToken request.body \"$.endDate\") \"yyyy-MM-dd\"}}",
        })));

    private IReadOnlyList<DateRange> ReceivedWindows()
    {
        var requests = Server.ReceivedRequests(Path);
        requests.Should().AllSatisfy(r => r.Json().EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("startDate", "endDate"));
        return [.. requests.Select(r => ToWindow(r.Json()))];
    }
}
