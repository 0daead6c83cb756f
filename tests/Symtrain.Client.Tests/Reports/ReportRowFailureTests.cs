using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Symtrain.Client.Reports;
using TrainingApis.Core;

namespace Symtrain.Client.Tests.Reports;

/// <summary>
/// Every way a report is read (rows kept as JSON, the caller's type, streamed), from a bare array or an envelope page,
/// refuses the same bad rows the same way: an <see cref="ApiException"/> naming the row.
/// </summary>
public sealed class ReportRowFailureTests
{
    private static readonly DateRange Quarter = new(new DateOnly(2024, 1, 1), new DateOnly(2024, 3, 31));

    public static TheoryData<string, bool> WaysAndShapes
    {
        get
        {
            var data = new TheoryData<string, bool>();
            foreach (var way in Ways.Keys)
            {
                data.Add(way, false);
                data.Add(way, true);
            }

            return data;
        }
    }

    private static readonly Dictionary<string, Func<ISymtrainReportsClient, Task<int>>> Ways = new()
    {
        ["GetReportAsync"] = async r => (await r.GetReportAsync(SymtrainReport.UserResults, Quarter)).Count,
        ["GetReportAsync<ScoreRow>"] = async r => (await r.GetReportAsync(SymtrainReport.UserResults, Quarter, TestJsonContext.Default.ScoreRow)).Count,
        ["StreamReportAsync"] = async r => (await r.StreamReportAsync(SymtrainReport.UserResults, Quarter).ToListAsync()).Count,
    };

    [Theory]
    [MemberData(nameof(WaysAndShapes))]
    public async Task A_null_row_is_refused_naming_its_row(string way, bool envelope)
    {
        var message = await FailAsync(way, Page(envelope, Row(1), "null", Row(3)));

        message.Should().ContainEquivalentOf("row 2").And.Contain("null");
    }

    [Theory]
    [MemberData(nameof(WaysAndShapes))]
    public async Task A_row_of_another_JSON_type_is_refused_naming_its_row(string way, bool envelope)
    {
        foreach (var row in new[] { "42", "\"text\"", "[1]" })
        {
            var message = await FailAsync(way, Page(envelope, Row(1), row, Row(3)));

            message.Should().ContainEquivalentOf("row 2", "row 2 was {0}", row);
        }
    }

    [Theory]
    [MemberData(nameof(WaysAndShapes))]
    public async Task A_truncated_body_is_refused_wherever_it_is_cut(string way, bool envelope)
    {
        var whole = Page(envelope, Row(1), Row(2));
        for (var length = 1; length < whole.Length; length++)
        {
            var act = () => CallAsync(way, whole[..length]);

            await act.Should().ThrowAsync<ApiException>("the body was cut after {0} of {1} bytes", length, whole.Length);
        }
    }

    [Theory]
    [MemberData(nameof(WaysAndShapes))]
    public async Task Text_that_is_not_UTF8_is_refused_naming_its_row_even_in_a_field_the_row_type_skips(string way, bool envelope)
    {
        byte[] bad = [.. "{\"userId\":\"u2\",\"score\":2,\"completedAt\":\"2024-01-01T00:00:00\",\"note\":\""u8, 0xC3, 0x28, .. "\"}"u8];
        var body = Page(envelope, Row(1), Encoding.Latin1.GetString(bad), Row(3), latin1: true);

        var message = await FailAsync(way, body);

        message.Should().ContainEquivalentOf("row 2").And.Contain("UTF-8");
    }

    [Theory]
    [InlineData("GetReportAsync")]
    [InlineData("GetReportAsync<ScoreRow>")]
    [InlineData("StreamReportAsync")]
    public async Task A_server_that_answers_the_first_page_again_is_caught_by_the_first_row_fingerprint(string way)
    {
        // Full pages of 2 without page numbers: only the first row tells page 2 from page 1.
        var first = Encoding.UTF8.GetString(Page(true, Row(1), Row(2))).Replace("\"page\":1,", string.Empty, StringComparison.Ordinal);
        var other = Encoding.UTF8.GetString(Page(true, Row(3), Row(4))).Replace("\"page\":1,", string.Empty, StringComparison.Ordinal);
        using var repeating = Harness.Sequence(first, first);
        using var moving = Harness.Sequence(first, other, Encoding.UTF8.GetString(Page(true, Row(5))).Replace("\"page\":1,", string.Empty, StringComparison.Ordinal));

        var act = () => Ways[way](repeating.Client.Reports);

        (await act.Should().ThrowAsync<ApiException>()).Which.Message.Should().Contain("previous page again");
        (await Ways[way](moving.Client.Reports)).Should().Be(5, "a full page (rows == pageSize) is followed, a short one ends the report");
        moving.Requests.Should().HaveCount(3);
    }

    private static string Row(int n) => $$"""{"userId":"u{{n}}","score":{{n}},"completedAt":"2024-01-0{{n}}T00:00:00"}""";

    private static byte[] Page(bool envelope, params string[] rows) => Page(envelope, rows, latin1: false);

    private static byte[] Page(bool envelope, string row1, string row2, string row3, bool latin1) => Page(envelope, [row1, row2, row3], latin1);

    private static byte[] Page(bool envelope, string[] rows, bool latin1)
    {
        var array = "[" + string.Join(",", rows) + "]";
        var json = envelope ? $$"""{"page":1,"pageSize":2,"total":99,"results":{{array}}}""" : array;
        return latin1 ? Encoding.Latin1.GetBytes(json) : Encoding.UTF8.GetBytes(json);
    }

    private static async Task<int> CallAsync(string way, byte[] body)
    {
        using var harness = new Harness((_, _) =>
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        });
        return await Ways[way](harness.Client.Reports);
    }

    private static async Task<string> FailAsync(string way, byte[] body)
    {
        var act = () => CallAsync(way, body);

        return (await act.Should().ThrowAsync<ApiException>()).Which.Message;
    }
}
