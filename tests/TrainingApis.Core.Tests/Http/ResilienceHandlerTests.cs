using System.Net;
using System.Text;
using TrainingApis.Core.Http;
using TrainingApis.Core.RateLimiting;
using TrainingApis.Core.Tests.TestSupport;
using TrainingApis.Testing;

namespace TrainingApis.Core.Tests.Http;

public sealed class ResilienceHandlerTests
{
    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task Transient_statuses_are_retried_MaxRetries_times(int status)
    {
        using var pipeline = TestPipeline.WithStatuses((HttpStatusCode)status);

        var response = await pipeline.SendAsync(TestPipeline.Get());

        response.StatusCode.Should().Be((HttpStatusCode)status);
        pipeline.Handler.Count.Should().Be(4, "one attempt and MaxRetries (3) retries");
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(422)]
    public async Task Client_errors_are_not_retried(int status)
    {
        using var pipeline = TestPipeline.WithStatuses((HttpStatusCode)status);

        var response = await pipeline.SendAsync(TestPipeline.Get());

        response.StatusCode.Should().Be((HttpStatusCode)status);
        pipeline.Handler.Count.Should().Be(1);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(5, 6)]
    public async Task The_attempt_count_follows_MaxRetries(int maxRetries, int attempts)
    {
        using var pipeline = TestPipeline.Create(_ => TestPipeline.Status(HttpStatusCode.ServiceUnavailable), o => o.Retry.MaxRetries = maxRetries);

        await pipeline.SendAsync(TestPipeline.Get());

        pipeline.Handler.Count.Should().Be(attempts);
    }

    [Fact]
    public async Task A_success_after_transient_failures_is_returned_and_the_body_is_sent_every_time()
    {
        using var pipeline = TestPipeline.WithStatuses(HttpStatusCode.ServiceUnavailable, HttpStatusCode.BadGateway, HttpStatusCode.OK);

        var response = await pipeline.SendAsync(TestPipeline.Post("{\"name\":\"retry me\"}"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        pipeline.Handler.Requests.Should().HaveCount(3).And.OnlyContain(r => r.Body == "{\"name\":\"retry me\"}");
    }

    public static TheoryData<Exception> NetworkFailures => new()
    {
        new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused"),
        new HttpRequestException(HttpRequestError.NameResolutionError, "No such host"),
        new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely"),
        new HttpRequestException(HttpRequestError.SecureConnectionError, "TLS handshake failed"),
        new HttpRequestException("Unknown network failure"),
        new IOException("Connection reset by peer"),
    };

    [Theory]
    [MemberData(nameof(NetworkFailures))]
    public async Task Network_failures_are_retried_then_surface_as_a_transient_ApiException(Exception failure)
    {
        using var pipeline = TestPipeline.Create((_, _, _) => Task.FromException<HttpResponseMessage>(failure));

        var exception = await pipeline.SendFailingAsync(TestPipeline.Get("v1/things?token=abc"));

        pipeline.Handler.Count.Should().Be(4);
        var api = exception.Should().BeOfType<ApiException>().Subject;
        api.IsTransient.Should().BeTrue();
        api.StatusCode.Should().BeNull();
        api.InnerException.Should().BeSameAs(failure);
        api.RequestUri.Should().Be(new Uri("https://api.test/v1/things"));
        api.Method.Should().Be("GET");
    }

    [Fact]
    public async Task A_network_failure_then_success_returns_the_success()
    {
        using var pipeline = TestPipeline.Create((n, _, _) => n == 0
            ? Task.FromException<HttpResponseMessage>(new HttpRequestException(HttpRequestError.ConnectionError, "refused"))
            : Task.FromResult(TestPipeline.Status(HttpStatusCode.OK)));

        var response = await pipeline.SendAsync(TestPipeline.Get());

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        pipeline.Handler.Count.Should().Be(2);
    }

    [Fact]
    public async Task Other_failures_are_not_retried()
    {
        using var pipeline = TestPipeline.Create((_, _, _) => Task.FromException<HttpResponseMessage>(new FormatException("a bug")));

        var exception = await pipeline.SendFailingAsync(TestPipeline.Get());

        exception.Should().BeOfType<FormatException>();
        pipeline.Handler.Count.Should().Be(1);
    }

    [Fact]
    public async Task Backoff_is_exponential_with_equal_jitter_from_the_injected_source()
    {
        var jitter = new Queue<double>([0.0, 0.5, 0.999, 0.25, 0.0]); // The last answer is also judged (and not retried).
        using var pipeline = TestPipeline.Create(
            _ => TestPipeline.Status(HttpStatusCode.InternalServerError),
            o => o.Retry = new RetryOptions { MaxRetries = 4, BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(30) },
            jitter: jitter.Dequeue);

        await pipeline.SendAsync(TestPipeline.Get());

        // delay(n) = d/2 + d/2 * jitter with d = BaseDelay * 2^n (n from 0).
        pipeline.Gaps.Should().Equal(
            TimeSpan.FromMilliseconds(500),
            TimeSpan.FromMilliseconds(1500),
            TimeSpan.FromMilliseconds(2000 + 1998),
            TimeSpan.FromMilliseconds(4000 + 1000));
    }

    [Fact]
    public async Task Backoff_is_capped_by_MaxDelay()
    {
        using var pipeline = TestPipeline.Create(
            _ => TestPipeline.Status(HttpStatusCode.InternalServerError),
            o => o.Retry = new RetryOptions { MaxRetries = 6, BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(3) },
            jitter: () => 0.0);

        await pipeline.SendAsync(TestPipeline.Get());

        pipeline.Gaps.Select(g => g.TotalSeconds).Should().Equal(0.5, 1, 1.5, 1.5, 1.5, 1.5);
    }

    [Fact]
    public async Task Random_jitter_stays_within_half_and_whole_of_the_exponential_delay()
    {
        for (var run = 0; run < 5; run++)
        {
            using var pipeline = TestPipeline.Create(
                _ => TestPipeline.Status(HttpStatusCode.InternalServerError),
                o => o.Retry.MaxRetries = 4,
                jitter: Random.Shared.NextDouble);

            await pipeline.SendAsync(TestPipeline.Get());

            var gaps = pipeline.Gaps;
            gaps.Should().HaveCount(4);
            for (var n = 0; n < gaps.Count; n++)
            {
                var full = TimeSpan.FromSeconds(Math.Pow(2, n));
                gaps[n].Should().BeGreaterThanOrEqualTo(full / 2).And.BeLessThanOrEqualTo(full);
            }
        }
    }

    [Fact]
    public async Task Retry_after_in_seconds_is_honoured_exactly()
    {
        using var pipeline = TestPipeline.Create(n => n == 0
            ? TestPipeline.WithRetryAfter(TestPipeline.Status(HttpStatusCode.TooManyRequests), TimeSpan.FromSeconds(7))
            : TestPipeline.Status(HttpStatusCode.OK));

        var response = await pipeline.SendAsync(TestPipeline.Get());

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        pipeline.Gaps.Should().Equal(TimeSpan.FromSeconds(7));
    }

    [Fact]
    public async Task Retry_after_as_an_http_date_is_honoured_in_fake_time()
    {
        var time = FakeTime.Create(new DateTimeOffset(2026, 5, 4, 10, 0, 0, TimeSpan.Zero));
        using var pipeline = TestPipeline.Create(
            n => n == 0
                ? TestPipeline.WithRetryAfter(TestPipeline.Status(HttpStatusCode.ServiceUnavailable), new DateTimeOffset(2026, 5, 4, 10, 0, 42, TimeSpan.Zero))
                : TestPipeline.Status(HttpStatusCode.OK),
            time: time);

        var response = await pipeline.SendAsync(TestPipeline.Get());

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        pipeline.Gaps.Should().Equal(TimeSpan.FromSeconds(42));
    }

    [Fact]
    public async Task Retry_after_on_a_500_is_ignored_in_favour_of_backoff()
    {
        using var pipeline = TestPipeline.Create(n => n == 0
            ? TestPipeline.WithRetryAfter(TestPipeline.Status(HttpStatusCode.InternalServerError), TimeSpan.FromSeconds(60))
            : TestPipeline.Status(HttpStatusCode.OK));

        await pipeline.SendAsync(TestPipeline.Get());

        pipeline.Gaps.Should().Equal(TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public async Task A_retry_after_of_ten_days_is_capped_to_MaxRetryAfter()
    {
        using var pipeline = TestPipeline.Create(n => n == 0
            ? TestPipeline.WithRetryAfter(TestPipeline.Status(HttpStatusCode.TooManyRequests), TimeSpan.FromDays(10))
            : TestPipeline.Status(HttpStatusCode.OK));

        var response = await pipeline.SendAsync(TestPipeline.Get());

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        pipeline.Gaps.Should().Equal(pipeline.Options.Retry.MaxRetryAfter);
        pipeline.Options.Retry.MaxRetryAfter.Should().Be(TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task A_retry_after_of_ten_days_as_a_date_is_capped_too()
    {
        var time = FakeTime.Create(new DateTimeOffset(2026, 5, 4, 10, 0, 0, TimeSpan.Zero));
        using var pipeline = TestPipeline.Create(
            n => n == 0
                ? TestPipeline.WithRetryAfter(TestPipeline.Status(HttpStatusCode.TooManyRequests), time.GetUtcNow().AddDays(10))
                : TestPipeline.Status(HttpStatusCode.OK),
            o => o.Retry.MaxRetryAfter = TimeSpan.FromSeconds(90),
            time: time);

        await pipeline.SendAsync(TestPipeline.Get());

        pipeline.Gaps.Should().Equal(TimeSpan.FromSeconds(90));
    }

    [Fact]
    public async Task A_retry_after_beyond_the_total_budget_ends_the_call_at_once_with_ApiRateLimitException()
    {
        using var pipeline = TestPipeline.Create(
            _ => TestPipeline.WithRetryAfter(TestPipeline.Status(HttpStatusCode.TooManyRequests, "{\"message\":\"slow down\"}"), TimeSpan.FromMinutes(20)),
            o =>
            {
                o.Timeout = TimeSpan.FromMinutes(10);
                o.Retry.MaxRetryAfter = TimeSpan.FromHours(1);
            });
        var started = pipeline.Time.GetUtcNow();

        var act = () => pipeline.Time.RunAsync(pipeline.Connection.SendAsync(TestPipeline.Get(), CancellationToken.None));

        var exception = (await act.Should().ThrowAsync<ApiRateLimitException>()).Which;
        exception.RetryAfter.Should().Be(TimeSpan.FromMinutes(20));
        exception.IsLocal.Should().BeFalse();
        exception.Message.Should().Contain("slow down");
        pipeline.Handler.Count.Should().Be(1);
        pipeline.Time.GetUtcNow().Should().Be(started, "the client did not wait at all");
    }

    [Fact]
    public async Task The_budget_check_uses_what_remains_of_the_total_timeout()
    {
        // 4 minutes are waited, then 7 more would pass the 10-minute budget: the call ends at minute 4.
        using var pipeline = TestPipeline.Create(
            n => TestPipeline.WithRetryAfter(TestPipeline.Status(HttpStatusCode.TooManyRequests), TimeSpan.FromMinutes(n == 0 ? 4 : 7)),
            o =>
            {
                o.Timeout = TimeSpan.FromMinutes(10);
                o.Retry.MaxRetryAfter = TimeSpan.FromHours(1);
            });
        var started = pipeline.Time.GetUtcNow();

        var act = () => pipeline.Time.RunAsync(pipeline.Connection.SendAsync(TestPipeline.Get(), CancellationToken.None));

        (await act.Should().ThrowAsync<ApiRateLimitException>()).Which.RetryAfter.Should().Be(TimeSpan.FromMinutes(7));
        pipeline.Handler.Count.Should().Be(2);
        (pipeline.Time.GetUtcNow() - started).Should().Be(TimeSpan.FromMinutes(4));
    }

    [Fact]
    public async Task A_retry_after_equal_to_the_remaining_budget_is_not_waited_for()
    {
        using var pipeline = TestPipeline.Create(
            _ => TestPipeline.WithRetryAfter(TestPipeline.Status(HttpStatusCode.TooManyRequests), TimeSpan.FromMinutes(10)),
            o =>
            {
                o.Timeout = TimeSpan.FromMinutes(10);
                o.Retry.MaxRetryAfter = TimeSpan.FromHours(1);
            });
        var started = pipeline.Time.GetUtcNow();

        var act = () => pipeline.Time.RunAsync(pipeline.Connection.SendAsync(TestPipeline.Get(), CancellationToken.None));

        await act.Should().ThrowAsync<ApiRateLimitException>();
        pipeline.Time.GetUtcNow().Should().Be(started);
    }

    [Fact]
    public async Task A_backoff_beyond_the_remaining_budget_returns_the_last_answer_without_waiting()
    {
        using var pipeline = TestPipeline.Create(
            _ => TestPipeline.Status(HttpStatusCode.ServiceUnavailable),
            o =>
            {
                o.Timeout = TimeSpan.FromSeconds(10);
                o.Retry = new RetryOptions { MaxRetries = 10, BaseDelay = TimeSpan.FromSeconds(4), MaxDelay = TimeSpan.FromSeconds(60) };
            });
        var started = pipeline.Time.GetUtcNow();

        var response = await pipeline.SendAsync(TestPipeline.Get());

        // Backoffs 2 s and 4 s fit (6 s used); the next, 8 s, would not.
        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        pipeline.Handler.Count.Should().Be(3);
        (pipeline.Time.GetUtcNow() - started).Should().Be(TimeSpan.FromSeconds(6));
    }

    [Fact]
    public async Task A_non_idempotent_request_is_retried_on_429()
    {
        using var pipeline = TestPipeline.WithStatuses(HttpStatusCode.TooManyRequests, HttpStatusCode.OK);

        var response = await pipeline.SendAsync(TestPipeline.Post().MarkNonIdempotent());

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        pipeline.Handler.Count.Should().Be(2);
    }

    [Theory]
    [InlineData(HttpRequestError.ConnectionError)]
    [InlineData(HttpRequestError.NameResolutionError)]
    public async Task A_non_idempotent_request_is_retried_when_the_connection_was_refused(HttpRequestError error)
    {
        using var pipeline = TestPipeline.Create((n, _, _) => n == 0
            ? Task.FromException<HttpResponseMessage>(new HttpRequestException(error, "refused"))
            : Task.FromResult(TestPipeline.Status(HttpStatusCode.Created)));

        var response = await pipeline.SendAsync(TestPipeline.Post().MarkNonIdempotent());

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        pipeline.Handler.Count.Should().Be(2);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(408)]
    public async Task A_non_idempotent_request_is_not_retried_on_a_server_error(int status)
    {
        using var pipeline = TestPipeline.Create(_ => TestPipeline.WithRetryAfter(TestPipeline.Status((HttpStatusCode)status), TimeSpan.FromSeconds(1)));

        var response = await pipeline.SendAsync(TestPipeline.Post().MarkNonIdempotent());

        response.StatusCode.Should().Be((HttpStatusCode)status);
        pipeline.Handler.Count.Should().Be(1);
    }

    public static TheoryData<Exception> FailuresAfterSending => new()
    {
        new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely"),
        new HttpRequestException("reset"),
        new IOException("Connection reset by peer"),
        new TaskCanceledException("The request was canceled by something other than the caller"),
    };

    [Theory]
    [MemberData(nameof(FailuresAfterSending))]
    public async Task A_non_idempotent_request_is_not_retried_after_a_reset(Exception failure)
    {
        using var pipeline = TestPipeline.Create((_, _, _) => Task.FromException<HttpResponseMessage>(failure));

        var exception = await pipeline.SendFailingAsync(TestPipeline.Post().MarkNonIdempotent());

        pipeline.Handler.Count.Should().Be(1);
        var api = exception.Should().BeOfType<ApiException>().Subject;
        api.IsTransient.Should().BeFalse("the request may have been processed: its outcome is unknown, so a retry is not safe");
        api.Message.Should().Contain("outcome is unknown");
    }

    [Fact]
    public async Task A_non_idempotent_request_is_not_retried_after_an_attempt_timeout()
    {
        using var pipeline = TestPipeline.Create(
            async (_, _, ct) =>
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                return TestPipeline.Status(HttpStatusCode.OK);
            },
            o => o.AttemptTimeout = TimeSpan.FromSeconds(10));

        var exception = await pipeline.SendFailingAsync(TestPipeline.Post().MarkNonIdempotent());

        exception.Should().BeOfType<TimeoutException>();
        pipeline.Handler.Count.Should().Be(1);
    }

    [Fact]
    public async Task Caller_cancellation_during_an_attempt_is_OperationCanceledException_and_never_retried()
    {
        using var cts = new CancellationTokenSource();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var pipeline = TestPipeline.Create(async (_, _, ct) =>
        {
            entered.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return TestPipeline.Status(HttpStatusCode.OK);
        });

        var task = pipeline.Client.SendAsync(TestPipeline.Get(), cts.Token);
        await entered.Task.Guard();
        await cts.CancelAsync();

        await FluentActions.Awaiting(() => task.Guard()).Should().ThrowAsync<OperationCanceledException>();
        pipeline.Handler.Count.Should().Be(1);
        pipeline.Time.ActiveTimerCount.Should().Be(0, "no retry is scheduled and the timeouts are gone");
    }

    [Fact]
    public async Task An_already_cancelled_call_sends_nothing()
    {
        using var pipeline = TestPipeline.WithStatuses(HttpStatusCode.OK);

        var act = () => pipeline.Client.SendAsync(TestPipeline.Get(), new CancellationToken(canceled: true));

        await act.Should().ThrowAsync<OperationCanceledException>();
        pipeline.Handler.Count.Should().Be(0);
    }

    [Fact]
    public async Task Cancelling_during_a_backoff_ends_the_call_and_leaves_no_permit_taken()
    {
        var time = FakeTime.Create();
        using var quota = new QuotaLimiter(10, TimeSpan.FromMinutes(5), 10, time);
        using var cts = new CancellationTokenSource();
        using var pipeline = TestPipeline.Create(_ => TestPipeline.Status(HttpStatusCode.ServiceUnavailable), time: time, quota: quota);

        var task = pipeline.Client.SendAsync(TestPipeline.Get(), cts.Token);
        await TestWait.UntilAsync(() => pipeline.Handler.Count == 1 && time.ActiveTimerCount > 0 && quota.InFlightCount == 0, "the first attempt failed and a backoff started");
        var started = time.GetUtcNow();
        await cts.CancelAsync();

        await FluentActions.Awaiting(() => task.Guard()).Should().ThrowAsync<OperationCanceledException>();
        pipeline.Handler.Count.Should().Be(1);
        time.GetUtcNow().Should().Be(started);
        quota.InFlightCount.Should().Be(0);
        quota.QueuedCount.Should().Be(0);
        quota.AvailablePermits.Should().Be(9, "the one attempt sent counts for a window");
        time.Advance(TimeSpan.FromMinutes(5));
        quota.AvailablePermits.Should().Be(10);
        time.ActiveTimerCount.Should().Be(0);
    }

    [Fact]
    public async Task Cancelling_during_a_quota_wait_ends_the_call_and_consumes_no_permit()
    {
        var time = FakeTime.Create();
        using var quota = new QuotaLimiter(1, TimeSpan.FromMinutes(5), 10, time);
        using var cts = new CancellationTokenSource();
        using var pipeline = TestPipeline.Create(_ => TestPipeline.Status(HttpStatusCode.OK), time: time, quota: quota);
        var held = await quota.AcquireAsync();

        var task = pipeline.Client.SendAsync(TestPipeline.Get(), cts.Token);
        await TestWait.UntilAsync(() => quota.QueuedCount == 1, "the request waits for a permit");
        await cts.CancelAsync();

        await FluentActions.Awaiting(() => task.Guard()).Should().ThrowAsync<OperationCanceledException>();
        quota.QueuedCount.Should().Be(0);
        pipeline.Handler.Count.Should().Be(0);
        held.ReturnUnused();
        quota.AvailablePermits.Should().Be(1, "the cancelled request took nothing");
    }

    [Fact]
    public async Task The_total_timeout_during_a_quota_wait_is_a_TimeoutException_and_leaves_the_queue()
    {
        var time = FakeTime.Create();
        using var quota = new QuotaLimiter(1, TimeSpan.FromMinutes(5), 10, time);
        using var pipeline = TestPipeline.Create(_ => TestPipeline.Status(HttpStatusCode.OK), o => o.Timeout = TimeSpan.FromSeconds(30), time: time, quota: quota);
        var held = await quota.AcquireAsync();
        var started = time.GetUtcNow();

        var exception = await pipeline.SendFailingAsync(TestPipeline.Get());

        exception.Should().BeOfType<TimeoutException>();
        (time.GetUtcNow() - started).Should().Be(TimeSpan.FromSeconds(30));
        quota.QueuedCount.Should().Be(0);
        pipeline.Handler.Count.Should().Be(0);
        held.Dispose();
    }

    [Fact]
    public async Task Attempt_timeouts_are_retried_then_surface_as_TimeoutException()
    {
        using var pipeline = TestPipeline.Create(
            async (_, _, ct) =>
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                return TestPipeline.Status(HttpStatusCode.OK);
            },
            o =>
            {
                o.AttemptTimeout = TimeSpan.FromSeconds(10);
                o.Timeout = Timeout.InfiniteTimeSpan;
            });

        var exception = await pipeline.SendFailingAsync(TestPipeline.Get());

        exception.Should().BeOfType<TimeoutException>().Which.Message.Should().Contain("the last of its 4 attempts reached AttemptTimeout");
        pipeline.Handler.Count.Should().Be(4);
        pipeline.Gaps.Select(g => g.TotalSeconds).Should().Equal(10.5, 11, 12);
    }

    [Fact]
    public async Task A_slow_attempt_is_replaced_by_a_fast_retry()
    {
        using var pipeline = TestPipeline.Create(
            async (n, _, ct) =>
            {
                if (n == 0)
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                }

                return TestPipeline.Status(HttpStatusCode.OK);
            },
            o => o.AttemptTimeout = TimeSpan.FromSeconds(5));

        var response = await pipeline.SendAsync(TestPipeline.Get());

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        pipeline.Gaps.Should().Equal(TimeSpan.FromSeconds(5.5));
    }

    [Fact]
    public async Task The_total_timeout_is_a_TimeoutException_at_exactly_the_budget()
    {
        using var pipeline = TestPipeline.Create(
            async (_, _, ct) =>
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                return TestPipeline.Status(HttpStatusCode.OK);
            },
            o =>
            {
                o.AttemptTimeout = Timeout.InfiniteTimeSpan;
                o.Timeout = TimeSpan.FromSeconds(30);
            });
        var started = pipeline.Time.GetUtcNow();

        var exception = await pipeline.SendFailingAsync(TestPipeline.Get());

        exception.Should().BeOfType<TimeoutException>();
        pipeline.Handler.Count.Should().Be(1);
        (pipeline.Time.GetUtcNow() - started).Should().Be(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task The_total_timeout_bounds_attempts_and_backoffs_together()
    {
        using var pipeline = TestPipeline.Create(
            async (_, _, ct) =>
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                return TestPipeline.Status(HttpStatusCode.OK);
            },
            o =>
            {
                o.AttemptTimeout = TimeSpan.FromSeconds(10);
                o.Timeout = TimeSpan.FromSeconds(25);
            });
        var started = pipeline.Time.GetUtcNow();

        var exception = await pipeline.SendFailingAsync(TestPipeline.Get());

        // Attempts at 0, 10.5 and 21.5 s; the budget ends the third at 25 s.
        exception.Should().BeOfType<TimeoutException>();
        pipeline.Handler.Count.Should().Be(3);
        (pipeline.Time.GetUtcNow() - started).Should().Be(TimeSpan.FromSeconds(25));
    }

    [Fact]
    public async Task A_timeout_and_a_cancellation_can_be_told_apart()
    {
        using var cts = new CancellationTokenSource();
        using var pipeline = TestPipeline.Create(
            async (_, _, ct) =>
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                return TestPipeline.Status(HttpStatusCode.OK);
            },
            o => o.Timeout = TimeSpan.FromSeconds(30));

        var timeout = await pipeline.SendFailingAsync(TestPipeline.Get());
        var task = pipeline.Client.SendAsync(TestPipeline.Get(), cts.Token);
        await cts.CancelAsync();
        var cancelled = await FluentActions.Awaiting(() => task.Guard()).Should().ThrowAsync<OperationCanceledException>();

        timeout.Should().BeOfType<TimeoutException>().And.NotBeAssignableTo<OperationCanceledException>();
        cancelled.Which.Should().NotBeAssignableTo<TimeoutException>();
    }

    [Fact]
    public async Task A_response_larger_than_MaxResponseBufferSize_is_an_ApiException_and_not_retried()
    {
        using var pipeline = TestPipeline.Create(_ => TestPipeline.Status(HttpStatusCode.OK, "[" + new string('1', 5000) + "]"), o => o.MaxResponseBufferSize = 1000);

        var exception = await pipeline.SendFailingAsync(TestPipeline.Get());

        exception.Should().BeOfType<ApiException>().Which.Message.Should().Contain("MaxResponseBufferSize");
        ((ApiException)exception).IsTransient.Should().BeFalse();
        pipeline.Handler.Count.Should().Be(1);
    }

    [Fact]
    public async Task A_response_of_unknown_length_is_cut_off_at_MaxResponseBufferSize()
    {
        var body = Encoding.UTF8.GetBytes("[" + new string('1', 50_000) + "]");
        using var pipeline = TestPipeline.Create(
            _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new ChunkedStream(body, [4096])) },
            o => o.MaxResponseBufferSize = 10_000);

        var exception = await pipeline.SendFailingAsync(TestPipeline.Get());

        exception.Should().BeOfType<ApiException>().Which.StatusCode.Should().Be(HttpStatusCode.OK);
        pipeline.Handler.Count.Should().Be(1);
    }

    [Fact]
    public async Task A_response_of_exactly_MaxResponseBufferSize_is_accepted()
    {
        var body = new string('x', 1000);
        using var pipeline = TestPipeline.Create(
            _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new ChunkedStream(Encoding.UTF8.GetBytes(body), [300])) },
            o => o.MaxResponseBufferSize = 1000);

        var response = await pipeline.SendAsync(TestPipeline.Get());

        (await response.Content.ReadAsStringAsync()).Should().Be(body);
    }

    [Fact]
    public async Task A_body_cut_short_while_buffering_is_retried_for_an_idempotent_call()
    {
        var body = Encoding.UTF8.GetBytes("{\"id\":1,\"name\":\"complete\"}");
        using var pipeline = TestPipeline.Create(n => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(new ChunkedStream(body, [5], failAt: n == 0 ? 10 : -1)),
        });

        var row = await pipeline.Time.RunAsync(pipeline.Connection.SendAsync(TestPipeline.Get(), TestJsonContext.Default.TestRow, CancellationToken.None));

        row.Name.Should().Be("complete");
        pipeline.Handler.Count.Should().Be(2);
    }

    [Fact]
    public async Task A_body_shorter_than_its_Content_Length_is_retried_like_one_cut_short()
    {
        var body = Encoding.UTF8.GetBytes("{\"id\":1,\"name\":\"complete\"}");
        using var pipeline = TestPipeline.Create(n =>
        {
            // The first answer announces more bytes than it sends: the buffer of the declared size is never filled.
            var content = new StreamContent(new ChunkedStream(body, [7]));
            content.Headers.ContentLength = n == 0 ? body.Length + 10 : body.Length;
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        });

        var row = await pipeline.Time.RunAsync(pipeline.Connection.SendAsync(TestPipeline.Get(), TestJsonContext.Default.TestRow, CancellationToken.None));

        row.Name.Should().Be("complete");
        pipeline.Handler.Count.Should().Be(2);
    }

    [Fact]
    public async Task A_body_cut_short_is_not_retried_for_a_non_idempotent_call()
    {
        var body = Encoding.UTF8.GetBytes("{\"id\":1,\"name\":\"complete\"}");
        using var pipeline = TestPipeline.Create(_ => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(new ChunkedStream(body, [5], failAt: 10)),
        });

        var exception = await pipeline.SendFailingAsync(TestPipeline.Post().MarkNonIdempotent());

        exception.Should().BeOfType<ApiException>().Which.IsTransient.Should().BeFalse("the server processed the request; sending it again would repeat it");
        pipeline.Handler.Count.Should().Be(1);
    }

    [Fact]
    public async Task A_streaming_request_is_handed_over_unbuffered_and_not_capped()
    {
        var stream = new ChunkedStream(Encoding.UTF8.GetBytes("[" + new string('1', 5000) + "]"), [100]);
        using var pipeline = TestPipeline.Create(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(stream) }, o => o.MaxResponseBufferSize = 1000);

        var response = await pipeline.Time.RunAsync(pipeline.Client.SendAsync(TestPipeline.Get().MarkStreaming(), HttpCompletionOption.ResponseHeadersRead));

        stream.ReadCount.Should().Be(0, "nothing was read before the caller asked");
        (await response.Content.ReadAsStringAsync()).Should().HaveLength(5002);
    }
}
