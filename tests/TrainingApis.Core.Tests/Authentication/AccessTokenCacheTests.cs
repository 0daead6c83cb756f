using System.Net;
using TrainingApis.Core.Authentication;
using TrainingApis.Core.Tests.TestSupport;
using TrainingApis.Testing;

namespace TrainingApis.Core.Tests.Authentication;

public sealed class AccessTokenCacheTests
{
    [Fact]
    public async Task Concurrent_callers_share_one_acquisition()
    {
        var cache = new AccessTokenCache(FakeTime.Create());
        var login = new TaskCompletionSource<AccessToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var logins = 0;

        var waiters = Enumerable.Range(0, 50).Select(_ => cache.GetTokenAsync(_ =>
        {
            Interlocked.Increment(ref logins);
            return login.Task;
        })).ToList();
        login.SetResult(new AccessToken("token-a"));
        var tokens = await Task.WhenAll(waiters).Guard();

        tokens.Should().OnlyContain(t => t.Value == "token-a");
        logins.Should().Be(1);
        cache.AcquisitionCount.Should().Be(1);
    }

    [Fact]
    public async Task A_held_token_is_reused()
    {
        var cache = new AccessTokenCache(FakeTime.Create());
        var logins = 0;
        Task<AccessToken> Acquire(CancellationToken _) => Task.FromResult(new AccessToken($"token-{++logins}"));

        (await cache.GetTokenAsync(Acquire)).Value.Should().Be("token-1");
        (await cache.GetTokenAsync(Acquire)).Value.Should().Be("token-1");

        cache.AcquisitionCount.Should().Be(1);
        cache.PeekTokenValue().Should().Be("token-1");
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task A_refused_acquisition_is_remembered_and_rethrown_without_a_new_login(HttpStatusCode status)
    {
        var time = FakeTime.Create();
        var cache = new AccessTokenCache(time);
        var refused = new ApiAuthenticationException("wrong password", new ApiErrorDetails { StatusCode = status });
        var logins = 0;
        Task<AccessToken> Acquire(CancellationToken _) => ++logins == 1
            ? Task.FromException<AccessToken>(refused)
            : Task.FromResult(new AccessToken("token-ok"));

        for (var i = 0; i < 20; i++)
        {
            var call = () => cache.GetTokenAsync(Acquire).Guard();
            (await call.Should().ThrowAsync<ApiAuthenticationException>()).Which.Should().BeSameAs(refused);
            time.Advance(TimeSpan.FromMinutes(5)); // Time alone does not forget it.
        }

        logins.Should().Be(1);
        cache.AcquisitionCount.Should().Be(1);
        cache.PeekTokenValue().Should().BeNull();
        (await cache.RefreshAsync(Acquire).Guard()).Value.Should().Be("token-ok", "an explicit login tries again");
        (await cache.GetTokenAsync(Acquire).Guard()).Value.Should().Be("token-ok");
        logins.Should().Be(2);
    }

    [Fact]
    public async Task Clear_forgets_a_refused_acquisition()
    {
        var cache = new AccessTokenCache(FakeTime.Create());
        var logins = 0;
        Task<AccessToken> Acquire(CancellationToken _) => ++logins == 1
            ? Task.FromException<AccessToken>(new ApiAuthenticationException("no", new ApiErrorDetails { StatusCode = HttpStatusCode.Unauthorized }))
            : Task.FromResult(new AccessToken("token-ok"));
        await FluentActions.Awaiting(() => cache.GetTokenAsync(Acquire).Guard()).Should().ThrowAsync<ApiAuthenticationException>();

        cache.Clear();

        (await cache.GetTokenAsync(Acquire).Guard()).Value.Should().Be("token-ok");
    }

    [Fact]
    public async Task Any_other_failure_is_shared_for_a_backoff_that_doubles_then_retried()
    {
        var time = FakeTime.Create();
        var cache = new AccessTokenCache(time);
        var logins = 0;
        var failing = true;
        Task<AccessToken> Acquire(CancellationToken _)
        {
            logins++;
            return failing
                ? Task.FromException<AccessToken>(new ApiException("Test POST /login failed with 500", new ApiErrorDetails { StatusCode = HttpStatusCode.InternalServerError, IsTransient = true }))
                : Task.FromResult(new AccessToken("token-ok"));
        }

        for (var i = 0; i < 20; i++)
        {
            await FluentActions.Awaiting(() => cache.GetTokenAsync(Acquire).Guard()).Should().ThrowAsync<ApiException>();
        }

        logins.Should().Be(1, "calls within the backoff share the failure");
        time.Advance(TimeSpan.FromSeconds(1));
        await FluentActions.Awaiting(() => cache.GetTokenAsync(Acquire).Guard()).Should().ThrowAsync<ApiException>();
        logins.Should().Be(2, "the first call after a 1-second backoff tries again");
        time.Advance(TimeSpan.FromSeconds(1));
        await FluentActions.Awaiting(() => cache.GetTokenAsync(Acquire).Guard()).Should().ThrowAsync<ApiException>();
        logins.Should().Be(2, "the second backoff is 2 seconds");
        time.Advance(TimeSpan.FromSeconds(1));
        failing = false;
        (await cache.GetTokenAsync(Acquire).Guard()).Value.Should().Be("token-ok");
        logins.Should().Be(3);
    }

    [Fact]
    public async Task The_backoff_is_capped_and_honours_a_longer_retry_after()
    {
        var time = FakeTime.Create();
        var cache = new AccessTokenCache(time);
        var logins = 0;
        Task<AccessToken> Acquire(CancellationToken _)
        {
            logins++;
            return Task.FromException<AccessToken>(new ApiRateLimitException("429", new ApiErrorDetails { StatusCode = HttpStatusCode.TooManyRequests }, TimeSpan.FromSeconds(20)));
        }

        await FluentActions.Awaiting(() => cache.GetTokenAsync(Acquire).Guard()).Should().ThrowAsync<ApiRateLimitException>();
        time.Advance(TimeSpan.FromSeconds(19));
        await FluentActions.Awaiting(() => cache.GetTokenAsync(Acquire).Guard()).Should().ThrowAsync<ApiRateLimitException>();
        logins.Should().Be(1, "Retry-After: 20 is longer than the 1-second backoff");
        time.Advance(TimeSpan.FromSeconds(1));
        await FluentActions.Awaiting(() => cache.GetTokenAsync(Acquire).Guard()).Should().ThrowAsync<ApiRateLimitException>();
        logins.Should().Be(2);

        for (var i = 0; i < 10; i++)
        {
            time.Advance(AccessTokenCache.MaxFailureBackoff);
            await FluentActions.Awaiting(() => cache.GetTokenAsync(Acquire).Guard()).Should().ThrowAsync<ApiRateLimitException>();
        }

        logins.Should().Be(12, "the backoff never exceeds MaxFailureBackoff");
    }

    [Fact]
    public async Task Concurrent_callers_share_one_failed_acquisition()
    {
        var cache = new AccessTokenCache(FakeTime.Create());
        var login = new TaskCompletionSource<AccessToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var logins = 0;

        var waiters = Enumerable.Range(0, 30).Select(_ => cache.GetTokenAsync(_ =>
        {
            Interlocked.Increment(ref logins);
            return login.Task;
        })).ToList();
        login.SetException(new ApiAuthenticationException("refused", new ApiErrorDetails { StatusCode = HttpStatusCode.Unauthorized }));

        foreach (var waiter in waiters)
        {
            await FluentActions.Awaiting(() => waiter.Guard()).Should().ThrowAsync<ApiAuthenticationException>();
        }

        logins.Should().Be(1);
    }

    [Fact]
    public async Task An_acquisition_that_throws_synchronously_backs_off_then_is_retried()
    {
        var time = FakeTime.Create();
        var cache = new AccessTokenCache(time);
        var attempt = 0;

        var act = () => cache.GetTokenAsync(_ => ++attempt == 1 ? throw new InvalidOperationException("boom") : Task.FromResult(new AccessToken("t-2"))).Guard();

        await act.Should().ThrowAsync<InvalidOperationException>();
        time.Advance(TimeSpan.FromSeconds(1));
        (await cache.GetTokenAsync(_ => Task.FromResult(new AccessToken("t-2"))).Guard()).Value.Should().Be("t-2");
    }

    [Fact]
    public async Task A_short_lived_token_is_used_for_most_of_its_life_not_renewed_on_every_call()
    {
        var time = FakeTime.Create();
        var cache = new AccessTokenCache(time);
        var logins = 0;
        Task<AccessToken> Acquire(CancellationToken _) => Task.FromResult(new AccessToken($"token-{++logins}", time.GetUtcNow().AddSeconds(20)));

        for (var i = 0; i < 10; i++)
        {
            (await cache.GetTokenAsync(Acquire)).Value.Should().Be("token-1");
        }

        time.Advance(TimeSpan.FromSeconds(17.9));
        (await cache.GetTokenAsync(Acquire)).Value.Should().Be("token-1", "the margin of a 20-second token is 2 seconds, not 30");
        time.Advance(TimeSpan.FromSeconds(0.1));
        (await cache.GetTokenAsync(Acquire)).Value.Should().Be("token-2");
        logins.Should().Be(2);
    }

    [Fact]
    public async Task A_token_that_looks_expired_on_arrival_is_used_until_rejected()
    {
        // This clock runs 10 minutes ahead of the server's, and the token has no issue time.
        var time = FakeTime.Create();
        var cache = new AccessTokenCache(time);
        var logins = 0;
        Task<AccessToken> Acquire(CancellationToken _) => Task.FromResult(new AccessToken($"token-{++logins}", time.GetUtcNow().AddMinutes(-9)));

        for (var i = 0; i < 10; i++)
        {
            (await cache.GetTokenAsync(Acquire)).Value.Should().Be("token-1");
            time.Advance(TimeSpan.FromMinutes(1));
        }

        cache.Invalidate("token-1");
        (await cache.GetTokenAsync(Acquire)).Value.Should().Be("token-2");
        logins.Should().Be(2);
    }

    [Fact]
    public async Task With_an_issue_time_the_lifetime_is_the_servers_whatever_this_clock_says()
    {
        // This clock runs 10 minutes ahead: by it, the 60-second token expired 9 minutes ago.
        var time = FakeTime.Create();
        var cache = new AccessTokenCache(time);
        var logins = 0;
        Task<AccessToken> Acquire(CancellationToken _)
        {
            var issued = time.GetUtcNow().AddMinutes(-10);
            return Task.FromResult(new AccessToken($"token-{++logins}", issued.AddSeconds(60)) { IssuedAt = issued });
        }

        (await cache.GetTokenAsync(Acquire)).Value.Should().Be("token-1");
        time.Advance(TimeSpan.FromSeconds(53));
        (await cache.GetTokenAsync(Acquire)).Value.Should().Be("token-1");
        time.Advance(TimeSpan.FromSeconds(1));
        (await cache.GetTokenAsync(Acquire)).Value.Should().Be("token-2", "renewed 6 seconds (a tenth) before its 60-second life ends");
    }

    [Theory]
    [InlineData(20, 18)]
    [InlineData(60, 54)]
    [InlineData(300, 270)]
    [InlineData(600, 570)]
    [InlineData(3600, 3570)]
    public void The_renewal_margin_is_a_tenth_of_the_life_at_most_30_seconds(int lifetimeSeconds, int renewAfterSeconds)
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var renewAt = AccessTokenCache.RenewalTime(new AccessToken("t", now.AddSeconds(lifetimeSeconds)), now);

        renewAt.Should().Be(now.AddSeconds(renewAfterSeconds));
    }

    [Fact]
    public async Task Cancelling_one_waiter_does_not_cancel_the_shared_acquisition()
    {
        var cache = new AccessTokenCache(FakeTime.Create());
        var login = new TaskCompletionSource<AccessToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        CancellationToken seen = default;
        using var cts = new CancellationTokenSource();
        Task<AccessToken> Acquire(CancellationToken ct)
        {
            seen = ct;
            return login.Task;
        }

        var cancelled = cache.GetTokenAsync(Acquire, cts.Token);
        var patient = cache.GetTokenAsync(Acquire);
        await cts.CancelAsync();

        await FluentActions.Awaiting(() => cancelled.Guard()).Should().ThrowAsync<OperationCanceledException>();
        seen.IsCancellationRequested.Should().BeFalse("the login does not run on the first caller's token");
        login.SetResult(new AccessToken("token-shared"));
        (await patient.Guard()).Value.Should().Be("token-shared");
        cache.AcquisitionCount.Should().Be(1);
        cache.PeekTokenValue().Should().Be("token-shared", "the acquisition completed and was kept for the next callers");
    }

    [Fact]
    public async Task Invalidate_drops_only_the_rejected_token()
    {
        var cache = new AccessTokenCache(FakeTime.Create());
        var logins = 0;
        Task<AccessToken> Acquire(CancellationToken _) => Task.FromResult(new AccessToken($"token-{++logins}"));
        await cache.GetTokenAsync(Acquire);

        cache.Invalidate("token-0"); // Some older token: not the one held.
        (await cache.GetTokenAsync(Acquire)).Value.Should().Be("token-1");
        cache.Invalidate("token-1");
        (await cache.GetTokenAsync(Acquire)).Value.Should().Be("token-2");
        cache.Invalidate("token-1"); // A late caller rejected with the old token: the new one stays.
        (await cache.GetTokenAsync(Acquire)).Value.Should().Be("token-2");

        cache.AcquisitionCount.Should().Be(2);
    }

    [Fact]
    public async Task A_token_about_to_expire_is_replaced()
    {
        var time = FakeTime.Create();
        var cache = new AccessTokenCache(time);
        var logins = 0;
        Task<AccessToken> Acquire(CancellationToken _) => Task.FromResult(new AccessToken($"token-{++logins}", time.GetUtcNow().AddMinutes(10)));
        await cache.GetTokenAsync(Acquire);

        time.Advance(TimeSpan.FromMinutes(9) + TimeSpan.FromSeconds(29));
        (await cache.GetTokenAsync(Acquire)).Value.Should().Be("token-1");
        time.Advance(TimeSpan.FromSeconds(1));
        (await cache.GetTokenAsync(Acquire)).Value.Should().Be("token-2", "30 seconds before expiry the token is renewed");
    }

    [Fact]
    public async Task A_token_without_expiry_is_kept_until_rejected()
    {
        var time = FakeTime.Create();
        var cache = new AccessTokenCache(time);
        await cache.GetTokenAsync(_ => Task.FromResult(new AccessToken("forever")));

        time.Advance(TimeSpan.FromDays(365));

        (await cache.GetTokenAsync(_ => Task.FromResult(new AccessToken("other")))).Value.Should().Be("forever");
    }

    [Fact]
    public async Task Clear_drops_the_token()
    {
        var cache = new AccessTokenCache(FakeTime.Create());
        await cache.GetTokenAsync(_ => Task.FromResult(new AccessToken("t-1")));

        cache.Clear();

        cache.PeekTokenValue().Should().BeNull();
        (await cache.GetTokenAsync(_ => Task.FromResult(new AccessToken("t-2")))).Value.Should().Be("t-2");
    }

    [Fact]
    public void A_token_never_shows_its_value()
    {
        var token = new AccessToken("super-secret-token", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

        token.ToString().Should().NotContain("super-secret-token").And.Contain("***").And.Contain("2026-01-01");
        new AccessToken("abc").ToString().Should().Be("AccessToken (***)");
        FluentActions.Invoking(() => new AccessToken(" ")).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void The_registry_gives_one_cache_per_credential_and_per_clock()
    {
        var time = FakeTime.Create();
        var registry = AccessTokenCacheRegistry.For(time);

        registry.Should().BeSameAs(AccessTokenCacheRegistry.For(time));
        AccessTokenCacheRegistry.For(null).Should().BeSameAs(AccessTokenCacheRegistry.Shared);
        AccessTokenCacheRegistry.For(TimeProvider.System).Should().BeSameAs(AccessTokenCacheRegistry.Shared);
        AccessTokenCacheRegistry.For(FakeTime.Create()).Should().NotBeSameAs(registry);
        registry.GetOrCreate("https://x/", "user", "pw").Should().BeSameAs(registry.GetOrCreate("https://x/", "user", "pw"));
        registry.GetOrCreate("https://x/", "user", "pw").Should().NotBeSameAs(registry.GetOrCreate("https://x/", "user", "pw2"));
        registry.GetOrCreate("ab", "c").Should().NotBeSameAs(registry.GetOrCreate("a", "bc"), "the parts are kept apart");
    }
}
