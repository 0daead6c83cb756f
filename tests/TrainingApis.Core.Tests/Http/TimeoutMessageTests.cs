using System.Net;
using System.Text;
using TrainingApis.Core.Http;
using TrainingApis.Core.RateLimiting;
using TrainingApis.Core.Tests.TestSupport;
using TrainingApis.Testing;

namespace TrainingApis.Core.Tests.Http;

/// <summary>
/// Every timeout of a call says how long the call really took on the client's clock, which setting ended it, the
/// settings that bounded it and the host, never the query; one test per kind of timeout.
/// </summary>
public sealed class TimeoutMessageTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    // Each test arms one timer at a time (the others infinite), so that the fake clock's jumps cannot skip a step.
    [Fact]
    public async Task Retried_attempt_timeouts_state_the_whole_time_spent_not_one_attempts_bound()
    {
        // A server that accepts and never answers: 4 attempts of 100 s and backoffs of 0.5, 1 and 2 s. The message used
        // to say "did not complete within 00:01:40".
        var time = FakeTime.Create(Start);
        using var pipeline = TestPipeline.Create(NeverAnswers, o => (o.Timeout, o.AttemptTimeout) = (Timeout.InfiniteTimeSpan, TimeSpan.FromSeconds(100)), time);

        var exception = await pipeline.SendFailingAsync(TestPipeline.Get());

        (time.GetUtcNow() - Start).Should().Be(TimeSpan.FromSeconds(403.5));
        exception.Should().BeOfType<TimeoutException>().Which.Message.Should().Be(
            "Test Things.Get (GET https://api.test/v1/things) timed out after 403.5 s: the last of its 4 attempts reached AttemptTimeout "
            + "before the response (headers and body) arrived (TestOptions.Timeout = infinite; AttemptTimeout = 100 s; Retry.MaxRetries = 3). "
            + "Raise AttemptTimeout if the service is slow, or check that api.test answers.");
    }

    [Fact]
    public async Task The_total_timeout_names_Timeout_and_the_attempts_made()
    {
        var time = FakeTime.Create(Start);
        using var pipeline = TestPipeline.Create(NeverAnswers, o => (o.Timeout, o.AttemptTimeout) = (TimeSpan.FromSeconds(25), Timeout.InfiniteTimeSpan), time);

        var exception = await pipeline.SendFailingAsync(TestPipeline.Get());

        exception.Should().BeOfType<TimeoutException>().Which.Message.Should().Be(
            "Test Things.Get (GET https://api.test/v1/things) timed out after 25.0 s: the call's Timeout ran out with 1 of 4 attempts made: the remaining retries did not fit in it "
            + "(TestOptions.Timeout = 25 s; AttemptTimeout = infinite; Retry.MaxRetries = 3). Raise Timeout if the service is slow, or check that api.test answers.");
    }

    [Fact]
    public async Task The_total_timeout_in_the_last_attempt_allowed_counts_the_attempts_alone()
    {
        var time = FakeTime.Create(Start);
        using var pipeline = TestPipeline.Create(NeverAnswers, o => (o.Timeout, o.AttemptTimeout, o.Retry.MaxRetries) = (TimeSpan.FromSeconds(25), Timeout.InfiniteTimeSpan, 0), time);

        var exception = await pipeline.SendFailingAsync(TestPipeline.Get());

        exception.Should().BeOfType<TimeoutException>().Which.Message.Should().Contain(
            "timed out after 25.0 s: the call's Timeout ran out after 1 attempt(s) (TestOptions.Timeout = 25 s; AttemptTimeout = infinite; Retry.MaxRetries = 0)");
    }

    [Fact]
    public async Task Attempt_timeouts_with_retries_left_say_the_next_retry_did_not_fit_in_Timeout()
    {
        // Attempts of 4 s within 9 s: attempt 1 (0-4 s), a 0.5 s backoff, attempt 2 (4.5-8.5 s); the next backoff (1 s)
        // is longer than the 0.5 s left, so the call ends there with 2 of the 4 attempts Retry.MaxRetries = 3 allows.
        var time = FakeTime.Create(Start);
        using var pipeline = TestPipeline.Create(NeverAnswers, o => (o.Timeout, o.AttemptTimeout) = (TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(4)), time);

        var exception = await pipeline.SendFailingAsync(TestPipeline.Get());

        exception.Should().BeOfType<TimeoutException>().Which.Message.Should().Be(
            "Test Things.Get (GET https://api.test/v1/things) timed out after 8.5 s: the last of its 2 attempts reached AttemptTimeout before the response (headers and body) arrived; "
            + "2 of 4 attempts made: the next retry did not fit in what was left of Timeout "
            + "(TestOptions.Timeout = 9 s; AttemptTimeout = 4 s; Retry.MaxRetries = 3). Raise AttemptTimeout if the service is slow, or check that api.test answers.");
    }

    [Fact]
    public async Task An_attempt_timeout_of_a_request_that_is_not_idempotent_says_why_it_was_not_retried()
    {
        var time = FakeTime.Create(Start);
        using var pipeline = TestPipeline.Create(NeverAnswers, o => (o.Timeout, o.AttemptTimeout, o.Retry.MaxRetries) = (Timeout.InfiniteTimeSpan, TimeSpan.FromSeconds(2), 2), time);

        var exception = await pipeline.SendFailingAsync(TestPipeline.Post().MarkNonIdempotent());

        exception.Should().BeOfType<TimeoutException>().Which.Message.Should().StartWith(
            "Test Things.Create (POST https://api.test/v1/things) timed out after 2.0 s: its only attempt reached AttemptTimeout before the response (headers and body) arrived; "
            + "1 of 3 attempts made: a request that is not idempotent is not retried after a timeout, as it may have been processed "
            + "(TestOptions.Timeout = infinite; AttemptTimeout = 2 s; Retry.MaxRetries = 2)");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task A_timed_out_request_that_is_not_idempotent_says_its_outcome_is_unknown(int maxRetries)
    {
        // Fails on main: the message only said to raise AttemptTimeout, inviting the user to send the upload again.
        var time = FakeTime.Create(Start);
        using var pipeline = TestPipeline.Create(NeverAnswers, o => (o.Timeout, o.AttemptTimeout, o.Retry.MaxRetries) = (Timeout.InfiniteTimeSpan, TimeSpan.FromSeconds(2), maxRetries), time);

        var exception = await pipeline.SendFailingAsync(TestPipeline.Post().MarkNonIdempotent());

        exception.Should().BeOfType<TimeoutException>().Which.Message.Should().EndWith(
            "Its outcome is unknown: the server may have received and processed it. Do not send it again before checking whether it took effect (for a bulk import, the users or the import status).");
    }

    [Fact]
    public async Task A_timed_out_request_that_is_not_idempotent_but_was_never_sent_says_nothing_of_its_outcome()
    {
        var time = FakeTime.Create(Start);
        using var quota = new QuotaLimiter(1, TimeSpan.FromMinutes(5), 10, time);
        using var pipeline = TestPipeline.Create(_ => TestPipeline.Status(HttpStatusCode.OK), o => o.Timeout = TimeSpan.FromSeconds(30), time, quota);
        using var held = await quota.AcquireAsync();

        var exception = await pipeline.SendFailingAsync(TestPipeline.Post().MarkNonIdempotent());

        exception.Should().BeOfType<TimeoutException>().Which.Message.Should().Contain("before its first attempt was sent").And.NotContain("outcome");
    }

    [Fact]
    public async Task The_total_timeout_during_a_quota_wait_says_no_attempt_was_sent()
    {
        var time = FakeTime.Create(Start);
        using var quota = new QuotaLimiter(1, TimeSpan.FromMinutes(5), 10, time);
        using var pipeline = TestPipeline.Create(_ => TestPipeline.Status(HttpStatusCode.OK), o => o.Timeout = TimeSpan.FromSeconds(30), time, quota);
        using var held = await quota.AcquireAsync();

        var exception = await pipeline.SendFailingAsync(TestPipeline.Get());

        exception.Should().BeOfType<TimeoutException>().Which.Message.Should()
            .Contain("timed out after 30.0 s: the call's Timeout ran out before its first attempt was sent (waiting for the quota or a login)")
            .And.Contain("Raise Timeout");
    }

    [Fact]
    public async Task A_single_attempt_timeout_names_AttemptTimeout()
    {
        var time = FakeTime.Create(Start);
        using var pipeline = TestPipeline.Create(NeverAnswers, o => (o.Timeout, o.AttemptTimeout, o.Retry.MaxRetries) = (Timeout.InfiniteTimeSpan, TimeSpan.FromSeconds(2.5), 0), time);

        var exception = await pipeline.SendFailingAsync(TestPipeline.Post());

        exception.Should().BeOfType<TimeoutException>().Which.Message.Should().StartWith(
            "Test Things.Create (POST https://api.test/v1/things) timed out after 2.5 s: its only attempt reached AttemptTimeout before the response (headers and body) arrived "
            + "(TestOptions.Timeout = infinite; AttemptTimeout = 2.5 s; Retry.MaxRetries = 0)");
    }

    [Fact]
    public async Task A_stalled_body_of_a_buffered_call_is_the_attempt_timeout_with_the_time_spent()
    {
        var time = FakeTime.Create(Start);
        using var pipeline = TestPipeline.Create(_ => TrickleStream.Stalled("""[{"id":1},""", time), o => (o.Timeout, o.AttemptTimeout, o.Retry.MaxRetries) = (Timeout.InfiniteTimeSpan, TimeSpan.FromSeconds(2), 1), time);

        var act = () => time.RunAsync(pipeline.Connection.SendAsync(TestPipeline.Get(), TestJsonContext.Default.ListTestRow, CancellationToken.None));

        // Two attempts of 2 s and a backoff of 0.5 s.
        (await act.Should().ThrowAsync<TimeoutException>()).Which.Message.Should().StartWith(
            "Test Things.Get (GET https://api.test/v1/things) timed out after 4.5 s: the last of its 2 attempts reached AttemptTimeout before the response (headers and body) arrived "
            + "(TestOptions.Timeout = infinite; AttemptTimeout = 2 s; Retry.MaxRetries = 1)");
    }

    [Fact]
    public async Task A_stalled_stream_names_AttemptTimeout_as_the_bound_of_every_wait_for_bytes()
    {
        var time = FakeTime.Create(Start);
        using var pipeline = TestPipeline.Create(
            _ => Json(new TrickleStream("""[{"id":1},"""u8.ToArray(), time, null, static _ => null)),
            o => (o.Timeout, o.AttemptTimeout, o.Retry.MaxRetries) = (Timeout.InfiniteTimeSpan, TimeSpan.FromSeconds(2), 0),
            time);
        var rows = new List<TestRow>();

        var act = () => time.RunAsync(StreamAsync(pipeline, rows, betweenRows: TimeSpan.FromSeconds(7)));

        // The caller spends 7 s on the first row, then the server sends nothing for 2 s: 9 s since the call began.
        (await act.Should().ThrowAsync<TimeoutException>()).Which.Message.Should().Be(
            "Test Things.Get (GET https://api.test/v1/things) timed out after 9.0 s: no bytes of the response body arrived for AttemptTimeout (2 s), which bounds every wait for bytes "
            + "(TestOptions.Timeout = infinite; AttemptTimeout = 2 s; Retry.MaxRetries = 0). Raise AttemptTimeout if the service is slow, or check that api.test answers.");
    }

    [Fact]
    public async Task A_trickling_body_of_a_collected_list_names_the_calls_Timeout()
    {
        // A row every second: AttemptTimeout (2 s) never passes without bytes, but the call's Timeout (3 s) runs out.
        var time = FakeTime.Create(Start);
        using var pipeline = TestPipeline.Create(
            _ => Json(new TrickleStream("""[{"id":1},"""u8.ToArray(), time, TimeSpan.FromSeconds(1), n => Encoding.UTF8.GetBytes($$"""{"id":{{n + 2}}},"""))),
            o => (o.Timeout, o.AttemptTimeout, o.Retry.MaxRetries) = (TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2), 0),
            time);

        var act = () => time.RunAsync(pipeline.Connection.ReadRowsAsync(TestPipeline.Get(), TestJsonContext.Default.TestRow, null, [], CancellationToken.None).AsTask());

        (await act.Should().ThrowAsync<TimeoutException>()).Which.Message.Should().Be(
            "Test Things.Get (GET https://api.test/v1/things) timed out after 3.0 s: the response body was still arriving when the call's Timeout ran out (3 s were left when its headers came) "
            + "(TestOptions.Timeout = 3 s; AttemptTimeout = 2 s; Retry.MaxRetries = 0). Raise Timeout if the service is slow, or check that api.test answers.");
    }

    [Fact]
    public async Task A_stalled_error_body_names_its_status_and_AttemptTimeout()
    {
        var time = FakeTime.Create(Start);
        using var pipeline = TestPipeline.Create(
            _ =>
            {
                var response = TrickleStream.Stalled("""{"message":"bro""", time);
                response.StatusCode = HttpStatusCode.BadRequest;
                return response;
            },
            o => (o.Timeout, o.AttemptTimeout, o.Retry.MaxRetries) = (TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2), 0),
            time);

        var act = () => time.RunAsync(pipeline.Connection.ReadRowsAsync(TestPipeline.Get(), TestJsonContext.Default.TestRow, null, [], CancellationToken.None).AsTask());

        (await act.Should().ThrowAsync<TimeoutException>()).Which.Message.Should().Be(
            "Test Things.Get (GET https://api.test/v1/things) timed out after 2.0 s: the body of its 400 answer did not arrive within AttemptTimeout (2 s) "
            + "(TestOptions.Timeout = 3 s; AttemptTimeout = 2 s; Retry.MaxRetries = 0). Raise AttemptTimeout if the service is slow, or check that api.test answers.");
    }

    [Fact]
    public async Task A_timeout_message_never_carries_the_query()
    {
        var time = FakeTime.Create(Start);
        using var pipeline = TestPipeline.Create(NeverAnswers, o => (o.AttemptTimeout, o.Retry.MaxRetries) = (TimeSpan.FromSeconds(1), 0), time);

        var exception = await pipeline.SendFailingAsync(TestPipeline.Get("v1/things?token=s3cr3t-t0ken&apiKey=k3y"));

        exception.Message.Should().Contain("(GET https://api.test/v1/things)").And.NotContain("s3cr3t").And.NotContain("k3y").And.NotContain("?");
    }

    private static async Task<HttpResponseMessage> NeverAnswers(int attempt, RecordedRequest request, CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        return TestPipeline.Status(HttpStatusCode.OK);
    }

    private static HttpResponseMessage Json(Stream body)
    {
        var content = new StreamContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }

    private static async Task StreamAsync(TestPipeline pipeline, List<TestRow> rows, TimeSpan? betweenRows = null)
    {
        await foreach (var row in pipeline.Connection.StreamAsync(TestPipeline.Get(), TestJsonContext.Default.TestRow, null, CancellationToken.None))
        {
            rows.Add(row);
            if (betweenRows is { } pause)
            {
                await Task.Delay(pause, pipeline.Time);
            }
        }
    }
}
