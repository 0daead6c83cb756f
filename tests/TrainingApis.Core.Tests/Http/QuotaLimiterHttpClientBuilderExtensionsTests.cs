using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TrainingApis.Core.Diagnostics;
using TrainingApis.Core.Http;
using TrainingApis.Core.RateLimiting;
using TrainingApis.Core.Tests.RateLimiting;
using TrainingApis.Core.Tests.TestSupport;
using TrainingApis.Testing;

namespace TrainingApis.Core.Tests.Http;

public sealed class QuotaLimiterHttpClientBuilderExtensionsTests : IDisposable
{
    private readonly ApiDiagnostics _diagnostics = new("TrainingApis.Tests.UseQuotaLimiter." + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = FakeTime.Create();

    [Fact]
    public async Task A_users_limiter_replaces_the_built_in_quota_of_that_client_only_and_takes_a_permit_per_attempt()
    {
        var counting = new CountingLimiter();
        var services = Services((_, n) => TestPipeline.Status(n == 0 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK));
        AddPipeline(services, "own").UseQuotaLimiter(_ => counting);
        AddPipeline(services, "built-in");
        using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IHttpClientFactory>();

        using var own = factory.CreateClient("own");
        using var builtIn = factory.CreateClient("built-in");
        (await _time.RunAsync(own.GetAsync("things"))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _time.RunAsync(builtIn.GetAsync("things"))).StatusCode.Should().Be(HttpStatusCode.OK);

        counting.Acquired.Should().Be(2, "the 503 and its retry each took a permit of the user's limiter");
        counting.Released.Should().Be(2);
        BuiltInQuota(provider).AvailablePermits.Should().Be(9, "only the other client's one attempt used the built-in quota");
    }

    [Fact]
    public async Task A_refusal_of_the_users_limiter_is_an_ApiRateLimitException_with_its_RetryAfter()
    {
        var counting = new CountingLimiter { Refuse = (TimeSpan.FromSeconds(30), null) };
        var sent = 0;
        var services = Services((_, _) =>
        {
            Interlocked.Increment(ref sent);
            return TestPipeline.Status(HttpStatusCode.OK);
        });
        AddPipeline(services, "own").UseQuotaLimiter(_ => counting);
        using var provider = services.BuildServiceProvider();
        using var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("own");

        var act = () => _time.RunAsync(client.GetAsync("things"));

        var exception = (await act.Should().ThrowAsync<ApiRateLimitException>()).Which;
        exception.IsLocal.Should().BeTrue();
        exception.RetryAfter.Should().Be(TimeSpan.FromSeconds(30));
        exception.Message.Should().Be("The quota limiter of the Test client refused the request. Try again in about 00:00:30.");
        sent.Should().Be(0);
    }

    [Fact]
    public async Task The_limiter_is_created_once_per_name_and_keeps_its_state_across_handler_rotation()
    {
        // The factory's handler expiry runs on the system clock: a 1 s lifetime is the shortest it allows.
        var created = 0;
        var chains = 0;
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.Configure<TestOptions>(o => o.ApiKey = "di-key-1234");
        AddPipeline(services, "own")
            .ConfigurePrimaryHttpMessageHandler(() =>
            {
                Interlocked.Increment(ref chains);
                return new FakeHttpHandler((_, _) => TestPipeline.Status(HttpStatusCode.OK));
            })
            .SetHandlerLifetime(TimeSpan.FromSeconds(1))
            .UseQuotaLimiter(sp =>
            {
                Interlocked.Increment(ref created);
                return new QuotaLimiter(1, TimeSpan.FromMinutes(5), 10, sp.GetRequiredService<TimeProvider>());
            });
        using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IHttpClientFactory>();

        using (var first = factory.CreateClient("own"))
        {
            (await _time.RunAsync(first.GetAsync("things"))).Dispose();
        }

        await TestWait.UntilAsync(
            () =>
            {
                factory.CreateClient("own").Dispose();
                return Volatile.Read(ref chains) >= 2;
            },
            "the factory built a new handler chain");
        using var second = factory.CreateClient("own");
        var waiting = second.GetAsync("things");
        var limiter = (QuotaLimiter)provider.GetRequiredKeyedService<RateLimiter>(new QuotaLimiterServiceKey("own"));
        await TestWait.UntilAsync(() => limiter.QueuedCount == 1, "the new chain's request waits for the old chain's permit");
        _time.Advance(TimeSpan.FromMinutes(5));
        (await waiting.Guard()).StatusCode.Should().Be(HttpStatusCode.OK);

        created.Should().Be(1);
    }

    [Fact]
    public async Task The_last_UseQuotaLimiter_for_a_name_wins()
    {
        var first = new CountingLimiter();
        var second = new CountingLimiter();
        var services = Services((_, _) => TestPipeline.Status(HttpStatusCode.OK));
        AddPipeline(services, "own").UseQuotaLimiter(_ => first).UseQuotaLimiter(_ => second);
        using var provider = services.BuildServiceProvider();
        using var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("own");

        (await _time.RunAsync(client.GetAsync("things"))).Dispose();

        first.Acquired.Should().Be(0);
        second.Acquired.Should().Be(1);
    }

    [Fact]
    public async Task Disposing_the_container_ends_a_call_waiting_for_the_users_limiter_within_a_second()
    {
        // Polly's registries wait for calls in flight when disposed (30 s of the pipeline's clock, checked every second).
        // The container disposes what it created last first: the limiter, created after them, ends the waiting call, so
        // the registries find nothing in flight after their first look.
        var limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = 1, QueueLimit = 10 });
        using var held = limiter.AttemptAcquire();
        var services = Services((_, _) => TestPipeline.Status(HttpStatusCode.OK));
        AddPipeline(services, "own").UseQuotaLimiter(_ => limiter);
        var provider = services.BuildServiceProvider();
        using var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("own");
        var call = client.GetAsync("things");
        limiter.GetStatistics()!.CurrentQueuedCount.Should().Be(1, "the call waits for the permit held above");
        var start = _time.GetUtcNow();

        await _time.RunAsync(provider.DisposeAsync().AsTask(), maxVirtualTime: TimeSpan.FromSeconds(10));

        (_time.GetUtcNow() - start).Should().BeLessThanOrEqualTo(TimeSpan.FromSeconds(2));
        await FluentActions.Awaiting(() => call).Should().ThrowAsync<ApiRateLimitException>("the limiter was disposed under the waiting call; nothing was sent");
    }

    [Fact]
    public void A_factory_returning_null_fails_naming_the_client()
    {
        var services = Services((_, _) => TestPipeline.Status(HttpStatusCode.OK));
        AddPipeline(services, "own").UseQuotaLimiter(_ => null!);
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IHttpClientFactory>().CreateClient("own");

        act.Should().Throw<InvalidOperationException>().WithMessage("*UseQuotaLimiter*'own'*returned null*");
    }

    [Fact]
    public void Null_arguments_are_argument_errors()
    {
        var builder = new ServiceCollection().AddHttpClient("x");

        FluentActions.Invoking(() => builder.UseQuotaLimiter(null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => ((IHttpClientBuilder)null!).UseQuotaLimiter(_ => new CountingLimiter())).Should().Throw<ArgumentNullException>();
    }

    public void Dispose() => _diagnostics.Dispose();

    private ServiceCollection Services(Func<RecordedRequest, int, HttpResponseMessage> respond)
    {
        var handler = new FakeHttpHandler(respond);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.Configure<TestOptions>(o =>
        {
            o.ApiKey = "di-key-1234";
            o.RateLimit.PermitLimit = 10;
        });
        services.ConfigureHttpClientDefaults(b => b.ConfigurePrimaryHttpMessageHandler(() => handler));
        return services;
    }

    private IHttpClientBuilder AddPipeline(IServiceCollection services, string name) =>
        services.AddHttpClient(name).AddApiPipeline<TestOptions>(
            Options.DefaultName,
            "Test",
            _diagnostics,
            (_, _, _) => null,
            (options, registry) => registry.GetOrCreate("test", options.ApiKey!, options.RateLimit));

    private QuotaLimiter BuiltInQuota(IServiceProvider provider) =>
        QuotaLimiterRegistry.For(_time).GetOrCreate("test", "di-key-1234", provider.GetRequiredService<IOptionsMonitor<TestOptions>>().CurrentValue.RateLimit);
}
