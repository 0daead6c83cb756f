using System.Net;
using System.Text;
using TrainingApis.Core.Http;
using TrainingApis.Core.Tests.TestSupport;

namespace TrainingApis.Core.Tests.Json;

/// <summary>Every way <see cref="ApiConnection"/> reads a body: a byte order mark is accepted, and a bad body says what is wrong where.</summary>
public sealed class ResponseReadingTests
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    [Fact]
    public async Task Every_reader_accepts_a_byte_order_mark()
    {
        using var pipeline = TestPipeline.Create(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([.. Bom, .. """[{"id":1},{"id":2}]"""u8]) });
        var collected = new List<TestRow>();

        var list = await pipeline.Time.RunAsync(pipeline.Connection.SendAsync(TestPipeline.Get(), TestJsonContext.Default.ListTestRow, CancellationToken.None));
        await pipeline.Time.RunAsync(pipeline.Connection.ReadRowsAsync(TestPipeline.Get(), TestJsonContext.Default.TestRow, null, collected, CancellationToken.None).AsTask());
        var streamed = await pipeline.Time.RunAsync(pipeline.Connection.StreamAsync(TestPipeline.Get(), TestJsonContext.Default.TestRow, null, CancellationToken.None).ToListAsync().AsTask());

        list.Select(r => r.Id).Should().Equal(1, 2);
        collected.Select(r => r.Id).Should().Equal(1, 2);
        streamed.Select(r => r.Id).Should().Equal(1, 2);
    }

    [Fact]
    public async Task An_error_body_after_a_byte_order_mark_still_gives_its_message_and_code()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.BadRequest)
        {
            RequestMessage = new HttpRequestMessage(HttpMethod.Post, "https://api.test/v2/x"),
            Content = new ByteArrayContent([.. Bom, .. """{"code":"E42","message":"organizationId is required"}"""u8]),
        };

        var exception = await ApiErrorMapper.CreateExceptionAsync(response, "Test");

        exception.ErrorCode.Should().Be("E42");
        exception.Message.Should().Contain("organizationId is required");
        exception.ResponseBody.Should().StartWith("{");
    }

    public static TheoryData<string, string> BadLists => new()
    {
        { """[{"id":1},{"id":2},{"id":null}]""", "(row 3: a type mismatch at $[2].id: expected a number, found null)" },
        { """[{"id":1},{"id":"two"}]""", "(row 2: a type mismatch at $[1].id: Either the JSON value is not in a supported format, or is out of bounds for an Int32.)" },
        { """[{"id":1},{"id":2]""", "invalid JSON at line 1, byte " },
    };

    [Theory]
    [MemberData(nameof(BadLists))]
    public async Task A_bad_list_is_an_ApiException_naming_the_kind_the_path_and_the_row_whichever_reader(string body, string expected)
    {
        using var pipeline = TestPipeline.Create(_ => TestPipeline.Status(HttpStatusCode.OK, body));

        var buffered = () => pipeline.Time.RunAsync(pipeline.Connection.SendAsync(TestPipeline.Get(), TestJsonContext.Default.ListTestRow, CancellationToken.None));
        var collected = () => pipeline.Time.RunAsync(pipeline.Connection.ReadRowsAsync(TestPipeline.Get(), TestJsonContext.Default.TestRow, null, [], CancellationToken.None).AsTask());

        var first = (await buffered.Should().ThrowExactlyAsync<ApiException>()).Which.Message;
        var second = (await collected.Should().ThrowExactlyAsync<ApiException>()).Which.Message;
        first.Should().Contain("not a JSON list of TestRow").And.Contain(expected).And.NotContain("List`1");
        second.Should().Contain("not a JSON list of TestRow");
        if (!expected.StartsWith("invalid", StringComparison.Ordinal))
        {
            // The streaming reader parses each row alone: the row number comes from the reader, the path is the row's own.
            var row = expected[5..expected.IndexOf(':', StringComparison.Ordinal)];
            second.Should().Contain($"(row {row}: a type mismatch at $.id: ");
        }
        else
        {
            second.Should().Contain("invalid JSON").And.NotContain("LineNumber:");
        }
    }
}
