using System.Text;
using System.Text.Json.Nodes;
using TrainingApis.Core;
using TrainingApis.Testing;

namespace Symtrain.Client.Tests.Reports;

/// <summary>
/// <see cref="SymtrainClientOptions.ReportPageSize"/>: requests are the scarce resource (100 per 5 minutes), so the page
/// size is asked for from the first page on.
/// </summary>
public sealed class ReportPageSizeTests
{
    private static readonly DateRange Quarter = new(new DateOnly(2024, 1, 1), new DateOnly(2024, 3, 31));

    [Fact]
    public async Task The_page_size_goes_with_the_dates_from_the_first_page_and_saves_requests()
    {
        using var harness = new Harness(PagingServer(rows: 2345, serverPageSize: 100), o => o.ReportPageSize = 1000);

        var rows = await harness.Client.Reports.GetUsersAsync(Quarter);

        rows.Should().HaveCount(2345);
        harness.Requests.Should().HaveCount(3, "pages of 1000, 1000 and 345 rows");
        harness.Requests[0].Body.Should().Be("""{"startDate":"2024-01-01","endDate":"2024-03-31","pageSize":1000}""");
        harness.Requests[1].Body.Should().Be("""{"startDate":"2024-01-01","endDate":"2024-03-31","page":2,"pageSize":1000}""");
    }

    [Fact]
    public async Task Without_a_page_size_the_server_decides_as_before()
    {
        using var harness = new Harness(PagingServer(rows: 2345, serverPageSize: 100));

        var rows = await harness.Client.Reports.GetUsersAsync(Quarter);

        rows.Should().HaveCount(2345);
        harness.Requests.Should().HaveCount(24);
        harness.Requests[0].Body.Should().Be("""{"startDate":"2024-01-01","endDate":"2024-03-31"}""");
    }

    [Fact]
    public async Task Streaming_asks_for_the_page_size_in_every_window()
    {
        using var harness = new Harness(PagingServer(rows: 150, serverPageSize: 100), o => o.ReportPageSize = 500);
        var year = new DateRange(new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31));

        var count = 0;
        await foreach (var _ in harness.Client.Reports.StreamReportAsync(SymtrainReport.Users, year))
        {
            count++;
        }

        count.Should().Be(450, "three windows (180, 180 and 6 days of 2024) of 150 rows");
        harness.Requests.Should().HaveCount(3, "one page per window");
        harness.Requests.Should().OnlyContain(r => Harness.Body(r)["pageSize"]!.GetValue<int>() == 500);
    }

    [Fact]
    public void A_page_size_that_is_not_positive_is_refused_naming_the_setting()
    {
        var act = () => new SymtrainClient(new SymtrainClientOptions { ApiKey = Harness.ApiKey, ReportPageSize = -5 });

        act.Should().Throw<ArgumentException>().WithMessage("*SymtrainClientOptions.ReportPageSize must be positive when set (was -5)*");
    }

    /// <summary>A report server that reads page and pageSize from the body (its own page size when none is asked for).</summary>
    private static Func<RecordedRequest, int, HttpResponseMessage> PagingServer(int rows, int serverPageSize) => (request, _) =>
    {
        var body = JsonNode.Parse(request.Body)!.AsObject();
        var page = body["page"]?.GetValue<int>() ?? 1;
        var size = body["pageSize"]?.GetValue<int>() ?? serverPageSize;
        var from = (page - 1) * size;
        var items = Enumerable.Range(from, Math.Max(0, Math.Min(size, rows - from))).Select(n => $$"""{"n":{{n}}}""");
        var json = new StringBuilder($$"""{"page":{{page}},"pageSize":{{size}},"total":{{rows}},"results":[""").AppendJoin(',', items).Append("]}");
        return FakeHttpHandler.JsonResponse(json.ToString());
    };
}
