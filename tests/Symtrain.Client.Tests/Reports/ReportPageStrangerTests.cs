using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Symtrain.Client.Reports;
using TrainingApis.Core;

namespace Symtrain.Client.Tests.Reports;

/// <summary>
/// A stranger's probes of report pages as they arrive over the network in reads of 1 byte up to just past 16 KB: a bad
/// row in the first, a middle, the 16 KB-straddling or the last place is named by number, whichever way the report is
/// read, and a stream of an envelope page hands over every row before it.
/// </summary>
public sealed class ReportPageStrangerTests
{
    private const int Rows = 30;
    private static readonly DateRange Quarter = new(new DateOnly(2024, 1, 1), new DateOnly(2024, 3, 31));

    public static TheoryData<int, int, bool> Probes()
    {
        var data = new TheoryData<int, int, bool>();
        foreach (var size in new[] { 1, 3, 16385 })
        {
            foreach (var row in new[] { 1, 9, 0, Rows })
            {
                data.Add(size, row, true);
                data.Add(size, row, false);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Probes))]
    public async Task A_cut_character_or_a_type_error_is_named_by_row_whichever_way_the_page_is_read(int readSize, int badRow, bool envelope)
    {
        (var utf8, badRow) = Body(badRow, envelope, typeError: false);
        var typed = Body(badRow, envelope, typeError: true).Body;
        var streamed = new List<string>();

        var all = await FailAsync(utf8, readSize, r => r.GetReportAsync(SymtrainReport.UserResults, Quarter));
        var typedUtf8 = await FailAsync(utf8, readSize, r => r.GetReportAsync(SymtrainReport.UserResults, Quarter, TestJsonContext.Default.ScoreRow));
        var typeError = await FailAsync(typed, readSize, r => r.GetReportAsync(SymtrainReport.UserResults, Quarter, TestJsonContext.Default.ScoreRow));
        var stream = await FailAsync(utf8, readSize, async r =>
        {
            await foreach (var row in r.StreamReportAsync(SymtrainReport.UserResults, Quarter))
            {
                streamed.Add(row.GetString("userId")!);
            }
        });

        foreach (var message in new[] { all, typedUtf8, stream })
        {
            message.Should().ContainEquivalentOf($"row {badRow} of the list is not valid UTF-8 text", "reads of {0} bytes", readSize);
        }

        typeError.Should().Contain($"(row {badRow}: a type mismatch at $", "reads of {0} bytes", readSize).And.Contain("score");
        streamed.Should().Equal(Enumerable.Range(1, envelope ? badRow - 1 : streamed.Count).Select(n => $"u{n}"), "in order, none twice; every row before the bad one for a page");
    }

    // 30 rows of about 800 bytes; the fault in row badRow, or (0) in the row across byte 16,384, on byte 16,383.
    private static (byte[] Body, int Row) Body(int badRow, bool envelope, bool typeError)
    {
        var body = new List<byte>(Encoding.UTF8.GetBytes(envelope ? """{"page":1,"pageSize":1000,"total":30,"results":[""" : "["));
        for (var n = 1; n <= Rows; n++)
        {
            body.AddRange(n > 1 ? ","u8.ToArray() : []);
            var head = Encoding.UTF8.GetBytes($"{{\"userId\":\"u{n}\",\"completedAt\":\"2024-01-01T00:00:00\",\"note\":\"");
            var straddles = badRow == 0 && body.Count + 900 > 16 * 1024;
            badRow = straddles ? n : badRow; // The row across byte 16,384, its fault on byte 16,383.
            var pad = straddles ? 16 * 1024 - 1 - body.Count - head.Length : 760;
            body.AddRange([.. head, .. Encoding.UTF8.GetBytes(new string('n', pad))]);
            body.AddRange(n != badRow ? "\",\"score\":5}"u8.ToArray()
                : typeError ? "\",\"score\":{}}"u8.ToArray()
                : [0xF0, 0x9F, .. "\",\"score\":5}"u8]);
        }

        body.AddRange(envelope ? "]}"u8.ToArray() : "]"u8.ToArray());
        return ([.. body], badRow);
    }

    private static async Task<string> FailAsync(byte[] body, int readSize, Func<ISymtrainReportsClient, Task> call)
    {
        using var harness = new Harness((_, _) =>
        {
            var content = new StreamContent(new ChunkStream(body, readSize));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        });

        var act = () => call(harness.Client.Reports);

        return (await act.Should().ThrowAsync<ApiException>()).Which.Message;
    }

    /// <summary>Hands over at most <c>size</c> bytes per read, as a slow network would.</summary>
    private sealed class ChunkStream(byte[] data, int size) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, size)], cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, size));
    }
}
