using System.Net;
using System.Text;
using System.Text.Json;
using TrainingApis.Core.Http;
using TrainingApis.Core.Json;
using TrainingApis.Core.Tests.TestSupport;
using TrainingApis.Testing;

namespace TrainingApis.Core.Tests.Http;

public sealed class ApiConnectionTests
{
    [Fact]
    public async Task A_json_answer_is_read_as_the_type()
    {
        using var pipeline = TestPipeline.Create(_ => TestPipeline.Status(HttpStatusCode.OK, """{"id":5,"name":"five","unknown":[1]}"""));

        var row = await pipeline.Time.RunAsync(pipeline.Connection.SendAsync(TestPipeline.Get(), TestJsonContext.Default.TestRow, CancellationToken.None));

        row.Id.Should().Be(5);
        row.AdditionalProperties.Should().ContainKey("unknown");
        pipeline.Handler.Requests.Single().Headers["Accept"].Should().Be("application/json");
    }

    [Fact]
    public async Task A_buffered_answer_starting_with_a_UTF8_byte_order_mark_is_read()
    {
        byte[] body = [0xEF, 0xBB, 0xBF, .. """{"id":5}"""u8];
        using var pipeline = TestPipeline.Create(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) });

        var row = await pipeline.Time.RunAsync(pipeline.Connection.SendAsync(TestPipeline.Get(), TestJsonContext.Default.TestRow, CancellationToken.None));

        row.Id.Should().Be(5);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("<html><body>Maintenance</body></html>")]
    [InlineData("{\"id\":")]
    [InlineData("{\"id\":\"five\"}")]
    [InlineData("[1,2,3]")]
    [InlineData("")]
    public async Task Bad_json_in_a_success_is_an_ApiException_not_a_JsonException(string body)
    {
        using var pipeline = TestPipeline.Create(_ => TestPipeline.Status(HttpStatusCode.OK, body));

        var act = () => pipeline.Time.RunAsync(pipeline.Connection.SendAsync(TestPipeline.Get("v1/things?key=secret-in-query"), TestJsonContext.Default.TestRow, CancellationToken.None));

        var exception = (await act.Should().ThrowExactlyAsync<ApiException>()).Which;
        exception.StatusCode.Should().Be(HttpStatusCode.OK);
        exception.IsTransient.Should().BeFalse();
        exception.Message.Should().Contain("not a JSON TestRow").And.NotContain("secret-in-query");
        exception.RequestUri.Should().Be(new Uri("https://api.test/v1/things"));
        pipeline.Handler.Count.Should().Be(1, "a body that is not the expected JSON is not retried");
    }

    public static TheoryData<byte[], string> UnreadableStarts => new()
    {
        { [], "The JSON response is empty." },
        { " \r\n\t"u8.ToArray(), "The JSON response is empty." },
        { [0xEF, 0xBB, 0xBF], "The JSON response is empty." },
        { [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, .. "{}"u8], "two byte order marks" },
        { [0xFF, 0xFE, (byte)'{', 0, (byte)'}', 0], "UTF-16 text" },
        { [0xFE, 0xFF, 0, (byte)'{', 0, (byte)'}'], "UTF-16 text" },
        { [0xFF, 0xFE, 0, 0, (byte)'{', 0, 0, 0], "UTF-32 text" },
    };

    [Theory]
    [MemberData(nameof(UnreadableStarts))]
    public async Task A_single_answer_that_is_empty_or_not_UTF8_says_so_as_the_list_readers_do(byte[] body, string expected)
    {
        // Fails on main: each said "invalid JSON at line 1, byte 1" (or "not valid UTF-8 text").
        using var pipeline = TestPipeline.Create(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) });

        var act = () => pipeline.Time.RunAsync(pipeline.Connection.SendAsync(TestPipeline.Get(), TestJsonContext.Default.TestRow, CancellationToken.None));

        var exception = (await act.Should().ThrowExactlyAsync<ApiException>()).Which;
        exception.Message.Should().Contain("not a JSON TestRow").And.Contain(expected).And.NotContain("line 1, byte 1");
        exception.IsTransient.Should().BeFalse();
    }

    [Fact]
    public async Task A_null_body_is_an_ApiException()
    {
        using var pipeline = TestPipeline.Create(_ => TestPipeline.Status(HttpStatusCode.OK, "null"));

        var act = () => pipeline.Time.RunAsync(pipeline.Connection.SendAsync(TestPipeline.Get(), TestJsonContext.Default.TestRow, CancellationToken.None));

        (await act.Should().ThrowExactlyAsync<ApiException>()).Which.Message.Should().Contain("it was null");
    }

    [Fact]
    public async Task An_error_status_becomes_the_matching_exception_with_secrets_masked()
    {
        const string key = "sk-test-5d41402abc4b2a76";
        using var pipeline = TestPipeline.Create(
            _ => TestPipeline.Status(HttpStatusCode.Unauthorized, $$"""{"message":"API key {{key}} is not valid"}"""),
            secrets: () => [key]);

        var act = () => pipeline.Time.RunAsync(pipeline.Connection.SendAsync(TestPipeline.Get(), TestJsonContext.Default.TestRow, CancellationToken.None));

        var exception = (await act.Should().ThrowExactlyAsync<ApiAuthenticationException>()).Which;
        exception.Message.Should().Contain("API key *** is not valid").And.NotContain(key);
        exception.ResponseBody.Should().NotContain(key);
    }

    [Fact]
    public async Task SendAsync_without_a_result_maps_errors_and_accepts_any_success()
    {
        using var pipeline = TestPipeline.Create(n => n == 0
            ? new HttpResponseMessage(HttpStatusCode.NoContent)
            : TestPipeline.Status(HttpStatusCode.NotFound, "{\"message\":\"no such user\"}"));

        await pipeline.Time.RunAsync(pipeline.Connection.SendAsync(TestPipeline.Get(), CancellationToken.None));
        var act = () => pipeline.Time.RunAsync(pipeline.Connection.SendAsync(TestPipeline.Get(), CancellationToken.None));

        (await act.Should().ThrowExactlyAsync<ApiNotFoundException>()).Which.Message.Should().Contain("no such user");
    }

    [Fact]
    public async Task StreamAsync_yields_rows_and_fills_the_envelope()
    {
        using var pipeline = TestPipeline.Create(_ => TestPipeline.Status(HttpStatusCode.OK, """{"page":1,"results":[{"id":1},{"id":2}],"total":2}"""));
        var envelope = new JsonEnvelope("results");

        var rows = await ReadAllAsync(pipeline, envelope);

        rows.Select(r => r.Id).Should().Equal(1, 2);
        envelope.GetInt64("total").Should().Be(2);
    }

    [Fact]
    public async Task StreamAsync_does_not_buffer_the_body()
    {
        var body = "[" + string.Join(",", Enumerable.Range(0, 2000).Select(i => $"{{\"id\":{i}}}")) + "]";
        using var pipeline = TestPipeline.Create(
            _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new ChunkedStream(Encoding.UTF8.GetBytes(body), [512])) },
            o => o.MaxResponseBufferSize = 1024);

        var rows = await ReadAllAsync(pipeline, null);

        rows.Should().HaveCount(2000, "a streamed body is not capped by MaxResponseBufferSize");
    }

    [Fact]
    public async Task Invalid_json_mid_stream_is_an_ApiException_after_the_good_rows_of_earlier_reads()
    {
        var body = Encoding.UTF8.GetBytes("""[{"id":1},{"id":2},{"id":oops}]""");
        using var pipeline = TestPipeline.Create(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new ChunkedStream(body, [10])) });
        var rows = new List<TestRow>();

        var act = async () =>
        {
            await foreach (var row in pipeline.Connection.StreamAsync(TestPipeline.Get(), TestJsonContext.Default.TestRow, null, CancellationToken.None))
            {
                rows.Add(row);
            }
        };

        var exception = (await act.Should().ThrowExactlyAsync<ApiException>()).Which;
        exception.InnerException.Should().BeAssignableTo<JsonException>();
        exception.IsTransient.Should().BeFalse();
        exception.Message.Should().Contain("row 3");
        rows.Select(r => r.Id).Should().Equal(1, 2);
    }

    [Fact]
    public async Task A_connection_lost_mid_stream_is_a_transient_ApiException()
    {
        var body = Encoding.UTF8.GetBytes("""[{"id":1},{"id":2},{"id":3},{"id":4}]""");
        using var pipeline = TestPipeline.Create(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new ChunkedStream(body, [10], failAt: 20)) });
        var rows = new List<TestRow>();

        var act = async () =>
        {
            await foreach (var row in pipeline.Connection.StreamAsync(TestPipeline.Get(), TestJsonContext.Default.TestRow, null, CancellationToken.None))
            {
                rows.Add(row);
            }
        };

        var exception = (await act.Should().ThrowExactlyAsync<ApiException>()).Which;
        exception.IsTransient.Should().BeTrue();
        exception.InnerException.Should().BeOfType<IOException>();
        rows.Select(r => r.Id).Should().Equal([1, 2], "the rows complete before the failure were yielded");
    }

    [Fact]
    public async Task StreamAsync_maps_an_error_status_before_any_row()
    {
        using var pipeline = TestPipeline.Create(_ => TestPipeline.Status(HttpStatusCode.BadRequest, """{"errors":[{"field":"startDate","message":"is required"}]}"""));

        var act = () => ReadAllAsync(pipeline, null);

        (await act.Should().ThrowExactlyAsync<ApiValidationException>()).Which.Errors.Should().Equal(new ApiFieldError("startDate", "is required"));
    }

    [Fact]
    public async Task Stopping_a_stream_early_releases_the_response()
    {
        var stream = new ChunkedStream(Encoding.UTF8.GetBytes("[{\"id\":1},{\"id\":2}]"), [4]);
        using var pipeline = TestPipeline.Create(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(stream) });

        await foreach (var _ in pipeline.Connection.StreamAsync(TestPipeline.Get(), TestJsonContext.Default.TestRow, null, CancellationToken.None))
        {
            break;
        }

        stream.IsDisposed.Should().BeTrue("the response and its stream were disposed");
    }

    [Fact]
    public async Task ReadRowsAsync_adds_the_rows_to_the_list_and_fills_the_envelope()
    {
        using var pipeline = TestPipeline.Create(_ => TestPipeline.Status(HttpStatusCode.OK, """{"page":1,"results":[{"id":1},{"id":2}],"total":2}"""));
        var envelope = new JsonEnvelope("results");
        var rows = new List<TestRow> { new() { Id = 0 } };

        await pipeline.Connection.ReadRowsAsync(TestPipeline.Get(), TestJsonContext.Default.TestRow, envelope, rows, CancellationToken.None);

        rows.Select(r => r.Id).Should().Equal([0, 1, 2], "the rows are appended to what the list held");
        envelope.GetInt64("total").Should().Be(2);
    }

    [Fact]
    public async Task ReadRowsAsync_does_not_buffer_the_body()
    {
        var body = "[" + string.Join(",", Enumerable.Range(0, 2000).Select(i => $"{{\"id\":{i}}}")) + "]";
        using var pipeline = TestPipeline.Create(
            _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new ChunkedStream(Encoding.UTF8.GetBytes(body), [512])) },
            o => o.MaxResponseBufferSize = 1024);
        var rows = new List<TestRow>();

        await pipeline.Connection.ReadRowsAsync(TestPipeline.Get(), TestJsonContext.Default.TestRow, null, rows, CancellationToken.None);

        rows.Should().HaveCount(2000, "the rows are read as they arrive, not capped by MaxResponseBufferSize");
    }

    [Fact]
    public async Task ReadRowsAsync_names_the_row_that_does_not_fit_and_keeps_the_rows_before_it()
    {
        using var pipeline = TestPipeline.Create(_ => TestPipeline.Status(HttpStatusCode.OK, """{"results":[{"id":1},{"id":2},{"id":"three"}]}"""));
        var rows = new List<TestRow>();

        var act = () => pipeline.Connection.ReadRowsAsync(TestPipeline.Get(), TestJsonContext.Default.TestRow, new JsonEnvelope("results"), rows, CancellationToken.None).AsTask();

        var exception = (await act.Should().ThrowExactlyAsync<ApiException>()).Which;
        exception.Message.Should().Contain("TestRow").And.Contain("row 3: a type mismatch at $.id: Either the JSON value is not in a supported format, or is out of bounds for an Int32");
        exception.IsTransient.Should().BeFalse();
        rows.Select(r => r.Id).Should().Equal(1, 2);
    }

    [Fact]
    public async Task ReadRowsAsync_maps_an_error_status_and_a_lost_connection()
    {
        using var rejecting = TestPipeline.Create(_ => TestPipeline.Status(HttpStatusCode.BadRequest, """{"errors":[{"field":"startDate","message":"is required"}]}"""));
        var body = Encoding.UTF8.GetBytes("""[{"id":1},{"id":2},{"id":3},{"id":4}]""");
        using var failing = TestPipeline.Create(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new ChunkedStream(body, [10], failAt: 20)) });
        var rows = new List<TestRow>();

        var rejected = () => rejecting.Connection.ReadRowsAsync(TestPipeline.Get(), TestJsonContext.Default.TestRow, null, rows, CancellationToken.None).AsTask();
        var lost = () => failing.Connection.ReadRowsAsync(TestPipeline.Get(), TestJsonContext.Default.TestRow, null, rows, CancellationToken.None).AsTask();

        await rejected.Should().ThrowExactlyAsync<ApiValidationException>();
        (await lost.Should().ThrowExactlyAsync<ApiException>()).Which.IsTransient.Should().BeTrue();
        rows.Select(r => r.Id).Should().Equal([1, 2], "the rows complete before the failure were kept");
    }

    [Fact]
    public async Task JsonContent_is_utf8_json_that_can_be_sent_again()
    {
        using var content = ApiConnection.JsonContent(new TestRow { Id = 3, Name = "é" }, TestJsonContext.Default.TestRow);

        content.Headers.ContentType!.ToString().Should().Be("application/json; charset=utf-8");
        (await content.ReadAsStringAsync()).Should().Be("{\"id\":3,\"name\":\"\\u00E9\"}");
        (await content.ReadAsStringAsync()).Should().Be("{\"id\":3,\"name\":\"\\u00E9\"}");
    }

    [Fact]
    public void CreateRequest_builds_a_relative_json_request_named_for_its_operation()
    {
        using var request = ApiConnection.CreateRequest(HttpMethod.Post, "v2/report/users", "Reports.GetUsers");

        request.RequestUri!.IsAbsoluteUri.Should().BeFalse();
        request.Headers.Accept.Single().MediaType.Should().Be("application/json");
        request.GetOperation().Should().Be("Reports.GetUsers");
    }

    [Fact]
    public void Constructor_arguments_are_checked()
    {
        using var client = new HttpClient();

        FluentActions.Invoking(() => new ApiConnection((HttpClient)null!, "X")).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => new ApiConnection((Func<HttpClient>)null!, "X")).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => new ApiConnection(client, string.Empty)).Should().Throw<ArgumentException>();
        new ApiConnection(client, "X").TimeProvider.Should().BeSameAs(TimeProvider.System);
    }

    private static async Task<List<TestRow>> ReadAllAsync(TestPipeline pipeline, JsonEnvelope? envelope)
    {
        var rows = new List<TestRow>();
        await foreach (var row in pipeline.Connection.StreamAsync(TestPipeline.Get(), TestJsonContext.Default.TestRow, envelope, CancellationToken.None))
        {
            rows.Add(row);
        }

        return rows;
    }
}
