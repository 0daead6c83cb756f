using System.Net;
using System.Text;
using TrainingApis.Core.Tests.TestSupport;
using TrainingApis.Testing;

namespace TrainingApis.Core.Tests.Http;

/// <summary>
/// Every call ends within its budget, body included: the library's timeouts end when the headers arrive, so the body
/// read is bounded by the SDK (a buffered list by Timeout, any read by AttemptTimeout without bytes).
/// </summary>
public sealed class BodyBudgetTests
{
    private static readonly byte[] FirstRow = Encoding.UTF8.GetBytes("""[{"id":1},""");

    [Fact]
    public async Task A_stalled_body_of_a_collected_list_ends_with_TimeoutException_after_AttemptTimeout()
    {
        var time = FakeTime.Create();
        using var pipeline = Create(time, interval: null);
        var started = time.GetUtcNow();

        var exception = await CollectFailingAsync(pipeline);

        exception.Should().BeOfType<TimeoutException>().Which.Message.Should().StartWith("Test Things.Get (GET https://api.test/v1/things) timed out after ").And.Contain("s: no bytes of the response body arrived for AttemptTimeout (2 s)");
        (time.GetUtcNow() - started).Should().BeLessThanOrEqualTo(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task A_trickling_body_of_a_collected_list_ends_with_TimeoutException_at_Timeout()
    {
        // A row every second: AttemptTimeout (2 s) never passes without bytes, but the call's budget (3 s) runs out.
        var time = FakeTime.Create();
        using var pipeline = Create(time, interval: TimeSpan.FromSeconds(1));
        var started = time.GetUtcNow();

        var exception = await CollectFailingAsync(pipeline);

        exception.Should().BeOfType<TimeoutException>().Which.Message.Should().Contain("Test Things.Get (GET https://api.test/v1/things)").And.Contain("Raise Timeout");
        (time.GetUtcNow() - started).Should().Be(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task A_stalled_stream_ends_with_TimeoutException_after_AttemptTimeout_without_bytes()
    {
        var time = FakeTime.Create();
        using var pipeline = Create(time, interval: null);
        var rows = new List<TestRow>();

        var act = () => time.RunAsync(StreamAsync(pipeline, rows, betweenRows: null, CancellationToken.None));

        (await act.Should().ThrowAsync<TimeoutException>()).Which.Message.Should().Contain("no bytes of the response body arrived for AttemptTimeout (2 s)");
        rows.Select(r => r.Id).Should().Equal(1);
    }

    [Fact]
    public async Task A_slow_but_steady_stream_outlives_Timeout()
    {
        // Ten rows a second apart: 10 s in all, past Timeout (3 s), but never AttemptTimeout (2 s) without bytes.
        var time = FakeTime.Create();
        using var pipeline = Create(time, interval: TimeSpan.FromSeconds(1), rows: 10);
        var rows = new List<TestRow>();

        await time.RunAsync(StreamAsync(pipeline, rows, betweenRows: null, CancellationToken.None));

        rows.Should().HaveCount(10);
    }

    [Fact]
    public async Task Time_the_caller_spends_between_rows_is_not_idle_time()
    {
        var time = FakeTime.Create();
        using var pipeline = Create(time, interval: TimeSpan.FromMilliseconds(100), rows: 3);
        var rows = new List<TestRow>();

        await time.RunAsync(StreamAsync(pipeline, rows, betweenRows: TimeSpan.FromSeconds(5), CancellationToken.None));

        rows.Should().HaveCount(3);
    }

    [Fact]
    public async Task Cancelling_a_stalled_body_read_is_an_OperationCanceledException()
    {
        var time = FakeTime.Create();
        using var pipeline = Create(time, interval: null, configure: o => o.AttemptTimeout = System.Threading.Timeout.InfiniteTimeSpan, timeout: System.Threading.Timeout.InfiniteTimeSpan);
        using var cancellation = new CancellationTokenSource();
        var rows = new List<TestRow>();

        var collect = pipeline.Connection.ReadRowsAsync(Streamed(), TestJsonContext.Default.TestRow, null, rows, cancellation.Token).AsTask();
        await TestWait.UntilAsync(() => rows.Count == 1 || pipeline.Handler.Count == 1, "the body is being read");
        await cancellation.CancelAsync();

        await collect.Invoking(t => t.Guard()).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task A_stalled_body_of_a_buffered_call_ends_with_TimeoutException_within_the_attempt()
    {
        var time = FakeTime.Create();
        using var pipeline = Create(time, interval: null);
        var started = time.GetUtcNow();

        var act = () => time.RunAsync(pipeline.Connection.SendAsync(TestPipeline.Get(), TestJsonContext.Default.ListTestRow, CancellationToken.None));

        (await act.Should().ThrowAsync<TimeoutException>()).Which.Message.Should().StartWith("Test Things.Get (GET https://api.test/v1/things) timed out after ").And.Contain("its only attempt reached AttemptTimeout");
        (time.GetUtcNow() - started).Should().BeLessThanOrEqualTo(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task A_stalled_error_body_of_a_collected_list_ends_with_TimeoutException()
    {
        var time = FakeTime.Create();
        using var pipeline = TestPipeline.Create(
            _ =>
            {
                var response = TrickleStream.Stalled("""{"message":"bro""", time);
                response.StatusCode = HttpStatusCode.BadRequest;
                return response;
            },
            o => (o.Timeout, o.AttemptTimeout, o.Retry.MaxRetries) = (TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2), 0),
            time);

        var exception = await CollectFailingAsync(pipeline);

        exception.Should().BeOfType<TimeoutException>().Which.Message.Should().Contain("the body of its 400 answer did not arrive within AttemptTimeout (2 s)");
    }

    private static TestPipeline Create(FakeTimeProvider time, TimeSpan? interval, int rows = int.MaxValue, Action<TestOptions>? configure = null, TimeSpan? timeout = null) =>
        TestPipeline.Create(
            _ =>
            {
                var body = new TrickleStream(FirstRow, time, interval, n => n + 2 > rows ? null : Encoding.UTF8.GetBytes(n + 2 == rows ? $$"""{"id":{{n + 2}}}]""" : $$"""{"id":{{n + 2}}},"""));
                var content = new StreamContent(body);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
            },
            o =>
            {
                o.Timeout = timeout ?? TimeSpan.FromSeconds(3);
                o.AttemptTimeout = TimeSpan.FromSeconds(2);
                o.Retry.MaxRetries = 0;
                configure?.Invoke(o);
            },
            time);

    private static HttpRequestMessage Streamed() => TestPipeline.Get();

    private static async Task<Exception> CollectFailingAsync(TestPipeline pipeline)
    {
        var rows = new List<TestRow>();
        try
        {
            await pipeline.Time.RunAsync(pipeline.Connection.ReadRowsAsync(Streamed(), TestJsonContext.Default.TestRow, null, rows, CancellationToken.None).AsTask());
        }
        catch (Exception ex)
        {
            return ex;
        }

        throw new InvalidOperationException("The call completed; it was expected to time out.");
    }

    private static async Task StreamAsync(TestPipeline pipeline, List<TestRow> rows, TimeSpan? betweenRows, CancellationToken cancellationToken)
    {
        await foreach (var row in pipeline.Connection.StreamAsync(Streamed(), TestJsonContext.Default.TestRow, null, cancellationToken))
        {
            rows.Add(row);
            if (betweenRows is { } pause)
            {
                await Task.Delay(pause, pipeline.Time, cancellationToken);
            }
        }
    }
}
