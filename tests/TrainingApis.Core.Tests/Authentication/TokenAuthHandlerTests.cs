using System.Net;
using TrainingApis.Core.Authentication;
using TrainingApis.Core.RateLimiting;
using TrainingApis.Core.Tests.TestSupport;
using TrainingApis.Testing;

namespace TrainingApis.Core.Tests.Authentication;

public sealed class TokenAuthHandlerTests
{
    [Fact]
    public async Task The_token_is_sent_as_a_bearer_and_acquired_once_for_many_requests()
    {
        var time = FakeTime.Create();
        var cache = new AccessTokenCache(time);
        var logins = 0;
        using var pipeline = TestPipeline.Create(
            _ => TestPipeline.Status(HttpStatusCode.OK),
            time: time,
            authentication: s => new TokenAuthHandler(cache, _ => Task.FromResult(new AccessToken($"token-{Interlocked.Increment(ref logins)}")), s));

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => pipeline.Client.SendAsync(TestPipeline.Get()))).Guard();

        responses.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK);
        pipeline.Handler.Requests.Should().OnlyContain(r => r.Authorization == "Bearer token-1");
        logins.Should().Be(1);
    }

    [Fact]
    public async Task A_hundred_concurrent_401s_cause_exactly_one_token_refresh_and_all_succeed_on_replay()
    {
        var time = FakeTime.Create();
        var cache = new AccessTokenCache(time);
        var logins = 0;
        async Task<AccessToken> Login(CancellationToken cancellationToken)
        {
            var n = Interlocked.Increment(ref logins);
            await Task.Yield();
            return new AccessToken($"token-{n}");
        }

        await cache.GetTokenAsync(Login); // token-1 is held; the server is about to reject it.
        var stale = 0;
        var allStaleArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var pipeline = TestPipeline.Create(
            async (_, recorded, ct) =>
            {
                if (recorded.Authorization == "Bearer token-1")
                {
                    // Hold every 401 until all 100 requests have been sent with the old token.
                    if (Interlocked.Increment(ref stale) == 100)
                    {
                        allStaleArrived.TrySetResult();
                    }

                    await allStaleArrived.Task.WaitAsync(ct);
                    return TestPipeline.Status(HttpStatusCode.Unauthorized, "{\"message\":\"token expired\"}");
                }

                return TestPipeline.Status(HttpStatusCode.OK, $"{{\"echo\":{recorded.Body}}}");
            },
            time: time,
            authentication: s => new TokenAuthHandler(cache, Login, s));

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => pipeline.Client.SendAsync(TestPipeline.Post($"{{\"n\":{i}}}")))).Guard();

        responses.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK);
        cache.AcquisitionCount.Should().Be(2, "one initial login and exactly one refresh");
        logins.Should().Be(2);
        var requests = pipeline.Handler.Requests;
        requests.Should().HaveCount(200);
        requests.Count(r => r.Authorization == "Bearer token-1").Should().Be(100);
        requests.Count(r => r.Authorization == "Bearer token-2").Should().Be(100);
        for (var i = 0; i < 100; i++)
        {
            var body = $"{{\"n\":{i}}}";
            requests.Where(r => r.Body == body).Select(r => r.Authorization).Should().BeEquivalentTo(["Bearer token-1", "Bearer token-2"], "request {0} was replayed once with its body", i);
            (await responses[i].Content.ReadAsStringAsync()).Should().Be($"{{\"echo\":{body}}}");
        }
    }

    [Fact]
    public async Task A_second_401_is_returned_to_the_caller()
    {
        var time = FakeTime.Create();
        var cache = new AccessTokenCache(time);
        using var pipeline = TestPipeline.Create(
            _ => TestPipeline.Status(HttpStatusCode.Unauthorized, "{\"message\":\"account disabled\"}"),
            time: time,
            authentication: s => new TokenAuthHandler(cache, _ => Task.FromResult(new AccessToken($"token-{cache.AcquisitionCount}")), s));

        var act = () => time.RunAsync(pipeline.Connection.SendAsync(TestPipeline.Post(), CancellationToken.None));

        var exception = (await act.Should().ThrowAsync<ApiAuthenticationException>()).Which;
        exception.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        exception.Message.Should().Contain("account disabled");
        pipeline.Handler.Count.Should().Be(2, "one request and one replay, no more");
        cache.AcquisitionCount.Should().Be(2);
    }

    [Fact]
    public async Task The_replay_carries_the_request_body_and_a_new_token()
    {
        var time = FakeTime.Create();
        var cache = new AccessTokenCache(time);
        using var pipeline = TestPipeline.Create(
            n => TestPipeline.Status(n == 0 ? HttpStatusCode.Unauthorized : HttpStatusCode.Created),
            time: time,
            authentication: s => new TokenAuthHandler(cache, _ => Task.FromResult(new AccessToken($"token-{cache.AcquisitionCount}")), s));

        var response = await pipeline.SendAsync(TestPipeline.Post("{\"email\":\"a@b.c\"}"));

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        pipeline.Handler.Requests.Select(r => (r.Authorization, r.Body, r.ContentType)).Should().Equal(
            ("Bearer token-1", "{\"email\":\"a@b.c\"}", "application/json; charset=utf-8"),
            ("Bearer token-2", "{\"email\":\"a@b.c\"}", "application/json; charset=utf-8"));
    }

    [Fact]
    public async Task A_failed_login_that_is_not_a_refusal_surfaces_and_is_retried_after_its_backoff()
    {
        var time = FakeTime.Create();
        var cache = new AccessTokenCache(time);
        var attempt = 0;
        using var pipeline = TestPipeline.Create(
            _ => TestPipeline.Status(HttpStatusCode.OK),
            time: time,
            authentication: s => new TokenAuthHandler(
                cache,
                _ => ++attempt == 1 ? Task.FromException<AccessToken>(new ApiAuthenticationException("Login failed: wrong password")) : Task.FromResult(new AccessToken("token-ok")),
                s));

        var failure = await pipeline.SendFailingAsync(TestPipeline.Get());
        time.Advance(TimeSpan.FromSeconds(1));
        var response = await pipeline.SendAsync(TestPipeline.Get());

        failure.Should().BeOfType<ApiAuthenticationException>();
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        pipeline.Handler.Requests.Should().ContainSingle().Which.Authorization.Should().Be("Bearer token-ok");
        cache.AcquisitionCount.Should().Be(2);
    }

    [Fact]
    public async Task A_refused_login_fails_every_later_request_at_once_without_a_new_login()
    {
        var time = FakeTime.Create();
        var cache = new AccessTokenCache(time);
        var logins = 0;
        var refused = new ApiAuthenticationException("Login failed: wrong password", new ApiErrorDetails { StatusCode = HttpStatusCode.Unauthorized });
        using var pipeline = TestPipeline.Create(
            _ => TestPipeline.Status(HttpStatusCode.OK),
            time: time,
            authentication: s => new TokenAuthHandler(cache, _ => ++logins > 0 ? Task.FromException<AccessToken>(refused) : Task.FromResult(new AccessToken("never")), s));

        for (var i = 0; i < 20; i++)
        {
            (await pipeline.SendFailingAsync(TestPipeline.Get())).Should().BeSameAs(refused);
            time.Advance(TimeSpan.FromMinutes(1));
        }

        logins.Should().Be(1);
        pipeline.Handler.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Cancelling_one_request_during_the_login_does_not_cancel_it_for_the_others()
    {
        var time = FakeTime.Create();
        var cache = new AccessTokenCache(time);
        var login = new TaskCompletionSource<AccessToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var loginToken = new CancellationToken(canceled: true);
        using var cts = new CancellationTokenSource();
        using var pipeline = TestPipeline.Create(
            _ => TestPipeline.Status(HttpStatusCode.OK),
            time: time,
            authentication: s => new TokenAuthHandler(
                cache,
                ct =>
                {
                    loginToken = ct;
                    return login.Task;
                },
                s));

        var cancelled = pipeline.Client.SendAsync(TestPipeline.Get(), cts.Token);
        var patient = pipeline.Client.SendAsync(TestPipeline.Get());
        await cts.CancelAsync();
        await FluentActions.Awaiting(() => cancelled.Guard()).Should().ThrowAsync<OperationCanceledException>();
        login.SetResult(new AccessToken("token-late"));

        (await patient.Guard()).StatusCode.Should().Be(HttpStatusCode.OK);
        loginToken.IsCancellationRequested.Should().BeFalse();
        cache.AcquisitionCount.Should().Be(1);
        pipeline.Handler.Requests.Should().ContainSingle().Which.Authorization.Should().Be("Bearer token-late");
    }

    [Fact]
    public async Task The_replay_takes_a_quota_permit_of_its_own()
    {
        var time = FakeTime.Create();
        var cache = new AccessTokenCache(time);
        using var quota = new QuotaLimiter(10, TimeSpan.FromMinutes(5), 10, time);
        using var pipeline = TestPipeline.Create(
            n => TestPipeline.Status(n == 0 ? HttpStatusCode.Unauthorized : HttpStatusCode.OK),
            time: time,
            quota: quota,
            authentication: s => new TokenAuthHandler(cache, _ => Task.FromResult(new AccessToken($"token-{cache.AcquisitionCount}")), s));

        await pipeline.SendAsync(TestPipeline.Get());

        quota.AvailablePermits.Should().Be(8);
    }

    [Fact]
    public async Task Plain_http_to_a_remote_host_is_refused_before_logging_in()
    {
        var time = FakeTime.Create();
        var cache = new AccessTokenCache(time);
        using var pipeline = TestPipeline.Create(
            _ => TestPipeline.Status(HttpStatusCode.OK),
            o => o.BaseAddress = new Uri("http://studio.example.com/"),
            time: time,
            authentication: s => new TokenAuthHandler(cache, _ => Task.FromResult(new AccessToken("never")), s));

        var exception = await pipeline.SendFailingAsync(TestPipeline.Get());

        exception.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Contain("https");
        cache.AcquisitionCount.Should().Be(0);
        pipeline.Handler.Count.Should().Be(0);
    }

    [Fact]
    public async Task Plain_http_to_loopback_is_allowed()
    {
        var time = FakeTime.Create();
        var cache = new AccessTokenCache(time);
        using var pipeline = TestPipeline.Create(
            _ => TestPipeline.Status(HttpStatusCode.OK),
            o => o.BaseAddress = new Uri("http://127.0.0.1:8080/"),
            time: time,
            authentication: s => new TokenAuthHandler(cache, _ => Task.FromResult(new AccessToken("local")), s));

        (await pipeline.SendAsync(TestPipeline.Get())).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
