using TrainingApis.Core.Authentication;
using TrainingApis.Core.Tests.TestSupport;
using TrainingApis.Testing;

namespace TrainingApis.Core.Tests.Authentication;

public sealed class AccessTokenCacheTests
{
    [Fact]
    public async Task Concurrent_callers_share_one_acquisition()
    {
        var cache = new AccessTokenCache(new FakeTimeProvider());
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
        var cache = new AccessTokenCache(new FakeTimeProvider());
        var logins = 0;
        Task<AccessToken> Acquire(CancellationToken _) => Task.FromResult(new AccessToken($"token-{++logins}"));

        (await cache.GetTokenAsync(Acquire)).Value.Should().Be("token-1");
        (await cache.GetTokenAsync(Acquire)).Value.Should().Be("token-1");

        cache.AcquisitionCount.Should().Be(1);
        cache.PeekTokenValue().Should().Be("token-1");
    }

    [Fact]
    public async Task A_failed_acquisition_is_not_cached()
    {
        var cache = new AccessTokenCache(new FakeTimeProvider());
        var attempt = 0;
        Task<AccessToken> Acquire(CancellationToken _) => ++attempt == 1
            ? Task.FromException<AccessToken>(new ApiAuthenticationException("wrong password"))
            : Task.FromResult(new AccessToken("token-ok"));

        var first = () => cache.GetTokenAsync(Acquire).Guard();
        await first.Should().ThrowAsync<ApiAuthenticationException>();
        cache.PeekTokenValue().Should().BeNull();

        (await cache.GetTokenAsync(Acquire).Guard()).Value.Should().Be("token-ok");
        cache.AcquisitionCount.Should().Be(2);
    }

    [Fact]
    public async Task An_acquisition_that_throws_synchronously_is_not_cached_either()
    {
        var cache = new AccessTokenCache(new FakeTimeProvider());
        var attempt = 0;

        var act = () => cache.GetTokenAsync(_ => ++attempt == 1 ? throw new InvalidOperationException("boom") : Task.FromResult(new AccessToken("t-2"))).Guard();

        await act.Should().ThrowAsync<InvalidOperationException>();
        (await cache.GetTokenAsync(_ => Task.FromResult(new AccessToken("t-2"))).Guard()).Value.Should().Be("t-2");
    }

    [Fact]
    public async Task Cancelling_one_waiter_does_not_cancel_the_shared_acquisition()
    {
        var cache = new AccessTokenCache(new FakeTimeProvider());
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
        var cache = new AccessTokenCache(new FakeTimeProvider());
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
        var time = new FakeTimeProvider();
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
        var time = new FakeTimeProvider();
        var cache = new AccessTokenCache(time);
        await cache.GetTokenAsync(_ => Task.FromResult(new AccessToken("forever")));

        time.Advance(TimeSpan.FromDays(365));

        (await cache.GetTokenAsync(_ => Task.FromResult(new AccessToken("other")))).Value.Should().Be("forever");
    }

    [Fact]
    public async Task Clear_drops_the_token()
    {
        var cache = new AccessTokenCache(new FakeTimeProvider());
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
        var time = new FakeTimeProvider();
        var registry = AccessTokenCacheRegistry.For(time);

        registry.Should().BeSameAs(AccessTokenCacheRegistry.For(time));
        AccessTokenCacheRegistry.For(null).Should().BeSameAs(AccessTokenCacheRegistry.Shared);
        AccessTokenCacheRegistry.For(TimeProvider.System).Should().BeSameAs(AccessTokenCacheRegistry.Shared);
        AccessTokenCacheRegistry.For(new FakeTimeProvider()).Should().NotBeSameAs(registry);
        registry.GetOrCreate("https://x/", "user", "pw").Should().BeSameAs(registry.GetOrCreate("https://x/", "user", "pw"));
        registry.GetOrCreate("https://x/", "user", "pw").Should().NotBeSameAs(registry.GetOrCreate("https://x/", "user", "pw2"));
        registry.GetOrCreate("ab", "c").Should().NotBeSameAs(registry.GetOrCreate("a", "bc"), "the parts are kept apart");
    }
}
