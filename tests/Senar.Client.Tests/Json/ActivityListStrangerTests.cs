using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Senar.Client.Tests.TestSupport;
using TrainingApis.Core;

namespace Senar.Client.Tests.Json;

/// <summary>
/// A stranger's probes of the activities list as it arrives over the network in reads of 1 byte up to just past
/// System.Text.Json's 16 KB buffer: a bad row is named by number and field, the rows streamed before it come in order.
/// </summary>
public sealed class ActivityListStrangerTests
{
    private const int Rows = 40;

    public static TheoryData<int, int, string> Probes()
    {
        var data = new TheoryData<int, int, string>();
        foreach (var size in new[] { 1, 3, 4096, 16385 })
        {
            foreach (var row in new[] { 1, 3, 0, Rows })
            {
                data.Add(size, row, "type");
                data.Add(size, row, "utf8");
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Probes))]
    public async Task A_bad_activity_is_named_by_row_and_field_and_the_rows_before_it_stream_in_order(int readSize, int badRow, string fault)
    {
        (var body, badRow) = Body(badRow, fault);
        using var client = new SenarFake(api: _ => Chunked(body, readSize)).CreateClient();
        var streamed = new List<long>();

        var stream = async () =>
        {
            await foreach (var activity in client.Activities.StreamAsync())
            {
                streamed.Add(activity.Id);
            }
        };
        var list = () => client.Activities.ListAsync();

        var streamMessage = (await stream.Should().ThrowAsync<ApiException>()).Which.Message;
        var listMessage = (await list.Should().ThrowAsync<ApiException>()).Which.Message;

        // A stream names the row and the path inside it; a buffered list (errors.md) the path in the list, and its
        // UTF-8 check runs over the whole body before any row is read.
        streamMessage.Should().Contain(fault == "type" ? $"(row {badRow}: a type mismatch at $.totalPoints: " : $"(Row {badRow} of the list is not valid UTF-8 text.)", "reads of {0} bytes", readSize);
        listMessage.Should().Contain(fault == "type" ? $"(row {badRow}: a type mismatch at $[{badRow - 1}].totalPoints: " : "(The response is not valid UTF-8 text.)", "reads of {0} bytes", readSize);
        streamed.Should().Equal(Enumerable.Range(1, streamed.Count).Select(i => (long)i), "in order, none twice");
        streamed.Count.Should().BeLessThan(badRow);
    }

    // 40 activities of about 800 bytes; the fault in row badRow, or (0) in the row across byte 16,384, on byte 16,383.
    private static (byte[] Body, int Row) Body(int badRow, string fault)
    {
        var body = new List<byte>("["u8.ToArray());
        for (var n = 1; n <= Rows; n++)
        {
            body.AddRange(n > 1 ? ","u8.ToArray() : []);
            var head = Encoding.UTF8.GetBytes($"{{\"id\":{n},\"pad\":\"");
            var straddles = badRow == 0 && body.Count + 900 > 16 * 1024;
            badRow = straddles ? n : badRow; // The row across byte 16,384, its fault on byte 16,383.
            var pad = straddles ? 16 * 1024 - 1 - body.Count - head.Length : 760;
            body.AddRange([.. head, .. Encoding.UTF8.GetBytes(new string('t', pad))]);
            body.AddRange(n != badRow ? "\",\"totalPoints\":5}"u8.ToArray()
                : fault == "type" ? "\",\"totalPoints\":\"x\"}"u8.ToArray()
                : [0xE2, .. "\",\"totalPoints\":5}"u8]);
        }

        body.AddRange("]"u8.ToArray());
        return ([.. body], badRow);
    }

    private static HttpResponseMessage Chunked(byte[] body, int readSize)
    {
        var content = new StreamContent(new ChunkStream(body, readSize));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }

    /// <summary>Hands over at most <c>size</c> bytes per read, as a slow network would.</summary>
    private sealed class ChunkStream(byte[] data, int size) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, size)], cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, size));
    }
}
