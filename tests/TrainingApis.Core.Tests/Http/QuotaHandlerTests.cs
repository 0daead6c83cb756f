using System.Collections.Concurrent;
using System.Net;
using TrainingApis.Core.RateLimiting;
using TrainingApis.Core.Tests.RateLimiting;
using TrainingApis.Core.Tests.TestSupport;
using TrainingApis.Testing;

namespace TrainingApis.Core.Tests.Http;

public sealed class QuotaHandlerTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_thousand_requests_never_exceed_100_in_any_5_minute_span_and_finish_in_minimal_time()
    {
        var time = new FakeTimeProvider();
        using var quota = new QuotaLimiter(100, Window, 1000, time);
        using var pipeline = TestPipeline.Create(_ => TestPipeline.Status(HttpStatusCode.OK), o => o.Timeout = Timeout.InfiniteTimeSpan, time, quota);
        var start = time.GetUtcNow();
        var completions = new ConcurrentDictionary<int, DateTimeOffset>();

        async Task SendOne(int i)
        {
            using var response = await pipeline.Client.SendAsync(TestPipeline.Get($"v1/things/{i}"));
            response.EnsureSuccessStatusCode();
            completions[i] = time.GetUtcNow();
        }

        var all = Task.WhenAll(Enumerable.Range(0, 1000).Select(SendOne).ToList());

        // Move the clock only once every request due at this instant has been sent and completed.
        while (!all.IsCompleted)
        {
            await TestWait.UntilAsync(
                () => all.IsCompleted || (quota.InFlightCount == 0 && quota.QueuedCount + completions.Count == 1000),
                "the requests of this instant are done");
            if (all.IsCompleted)
            {
                break;
            }

            var due = time.NextDue();
            due.Should().NotBeNull("requests are waiting, so a permit must come free at a known time");
            time.Advance(due!.Value - time.GetUtcNow());
        }

        await all;
        var sent = pipeline.SendTimes.OrderBy(t => t).ToList();
        sent.Should().HaveCount(1000);
        QuotaLimiterTests.AssertNoSpanHoldsMore(sent, Window, 100);

        // 100 at t=0, then 100 at each window: the last batch goes (and completes) at 9 windows = 45 minutes.
        var theoreticalMinimum = TimeSpan.FromMinutes(45);
        var last = completions.Values.Max() - start;
        last.Should().BeGreaterThanOrEqualTo(theoreticalMinimum).And.BeLessThanOrEqualTo(theoreticalMinimum * 1.01);
        sent.GroupBy(t => t - start).Select(g => (g.Key, Count: g.Count()))
            .Should().Equal(Enumerable.Range(0, 10).Select(k => (Window * k, 100)));

        // First in, first out: request i (queued i-th) goes in batch i / 100.
        var requests = pipeline.Handler.Requests;
        var times = pipeline.SendTimes;
        for (var n = 0; n < requests.Count; n++)
        {
            var i = int.Parse(requests[n].Path.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
            (times[n] - start).Should().Be(Window * (i / 100), "request {0} was queued in position {0}", i);
        }

        quota.InFlightCount.Should().Be(0);
        quota.QueuedCount.Should().Be(0);
    }

    [Fact]
    public async Task Retries_take_permits_too()
    {
        var time = new FakeTimeProvider();
        using var quota = new QuotaLimiter(10, Window, 10, time);
        using var pipeline = TestPipeline.Create(
            n => TestPipeline.Status(n < 2 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK), time: time, quota: quota);

        var response = await pipeline.SendAsync(TestPipeline.Get());

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        quota.AvailablePermits.Should().Be(7, "three attempts were sent");
    }

    [Fact]
    public async Task Retries_wait_for_the_quota_like_any_request()
    {
        var time = new FakeTimeProvider();
        using var quota = new QuotaLimiter(1, Window, 10, time);
        using var pipeline = TestPipeline.Create(
            n => TestPipeline.Status(n == 0 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK),
            o => o.Timeout = TimeSpan.FromMinutes(30),
            time: time,
            quota: quota);

        var response = await pipeline.SendAsync(TestPipeline.Get());

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        pipeline.Gaps.Should().Equal(Window);
    }

    [Fact]
    public async Task A_full_quota_queue_fails_the_call_at_once_without_sending_or_retrying()
    {
        var time = new FakeTimeProvider();
        using var quota = new QuotaLimiter(1, Window, 0, time);
        using var pipeline = TestPipeline.Create(_ => TestPipeline.Status(HttpStatusCode.OK), time: time, quota: quota);
        await pipeline.SendAsync(TestPipeline.Get());

        var exception = await pipeline.SendFailingAsync(TestPipeline.Get());

        var rateLimit = exception.Should().BeOfType<ApiRateLimitException>().Subject;
        rateLimit.IsLocal.Should().BeTrue();
        rateLimit.RetryAfter.Should().Be(Window);
        pipeline.Handler.Count.Should().Be(1);
    }

    [Fact]
    public async Task The_limiter_is_read_per_request()
    {
        var time = new FakeTimeProvider();
        using var first = new QuotaLimiter(5, Window, 10, time);
        using var second = new QuotaLimiter(5, Window, 10, time);
        var current = first;
        var handler = new FakeHttpHandler((_, _) => TestPipeline.Status(HttpStatusCode.OK));
        var settings = new Core.Http.ApiPipelineSettings { ServiceName = "Test", Options = new TestOptions(), TimeProvider = time, Quota = () => current };
        using var client = new HttpClient(Core.Http.ApiPipeline.CreateChain(handler, settings, null)) { BaseAddress = new Uri("https://api.test/") };

        (await client.GetAsync("a").Guard()).Dispose();
        current = second;
        (await client.GetAsync("b").Guard()).Dispose();

        first.AvailablePermits.Should().Be(4);
        second.AvailablePermits.Should().Be(4);
    }

    [Fact]
    public async Task Without_a_limiter_nothing_is_limited()
    {
        using var pipeline = TestPipeline.Create(_ => TestPipeline.Status(HttpStatusCode.OK));

        var responses = await Task.WhenAll(Enumerable.Range(0, 500).Select(_ => pipeline.Client.SendAsync(TestPipeline.Get()))).Guard();

        responses.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK);
        pipeline.SendTimes.Distinct().Should().ContainSingle();
    }

    [Fact]
    public async Task A_request_cancelled_mid_flight_still_counts_for_its_window()
    {
        var time = new FakeTimeProvider();
        using var quota = new QuotaLimiter(2, Window, 10, time);
        using var cts = new CancellationTokenSource();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var pipeline = TestPipeline.Create(
            async (_, _, ct) =>
            {
                entered.TrySetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                return TestPipeline.Status(HttpStatusCode.OK);
            },
            time: time,
            quota: quota);

        var task = pipeline.Client.SendAsync(TestPipeline.Get(), cts.Token);
        await entered.Task.Guard();
        await cts.CancelAsync();

        await FluentActions.Awaiting(() => task.Guard()).Should().ThrowAsync<OperationCanceledException>();
        quota.InFlightCount.Should().Be(0);
        quota.AvailablePermits.Should().Be(1, "the request reached the server, so its permit counts for a window");
        time.Advance(Window);
        quota.AvailablePermits.Should().Be(2);
    }
}
