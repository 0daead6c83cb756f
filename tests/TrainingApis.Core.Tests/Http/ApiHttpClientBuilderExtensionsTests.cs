using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using TrainingApis.Core.Diagnostics;
using TrainingApis.Core.Http;
using TrainingApis.Core.RateLimiting;
using TrainingApis.Core.Tests.TestSupport;
using TrainingApis.Testing;

namespace TrainingApis.Core.Tests.Http;

public sealed class ApiHttpClientBuilderExtensionsTests
{
    [Fact]
    public async Task The_pipeline_is_wired_into_a_named_client_with_base_address_auth_retry_and_shared_quota()
    {
        var time = FakeTime.Create();
        using var diagnostics = new ApiDiagnostics("TrainingApis.Tests.DI." + Guid.NewGuid().ToString("N"));
        var handler = new FakeHttpHandler((_, n) => TestPipeline.Status(n == 0 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.Configure<TestOptions>(o =>
        {
            o.BaseAddress = new Uri("https://di.test/api/");
            o.ApiKey = "di-key-1234";
            o.RateLimit.PermitLimit = 10;
        });
        services.AddHttpClient("test")
            .ConfigurePrimaryHttpMessageHandler(() => handler)
            .AddApiPipeline<TestOptions>(
                Options.DefaultName,
                "Test",
                diagnostics,
                (_, options, _) => new BearerKeyHandler(() => options().ApiKey, "TestOptions.ApiKey"),
                (options, registry) => registry.GetOrCreate("test", options.ApiKey!, options.RateLimit));
        using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IHttpClientFactory>();

        using var first = factory.CreateClient("test");
        using var second = factory.CreateClient("test");
        using var response = await time.RunAsync(first.GetAsync("things"));
        using var other = await time.RunAsync(second.GetAsync("things"));

        first.BaseAddress.Should().Be(new Uri("https://di.test/api/"));
        first.Timeout.Should().Be(Timeout.InfiniteTimeSpan);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        handler.Requests.Should().HaveCount(3, "the 503 was retried");
        handler.Requests.Should().OnlyContain(r => r.Authorization == "Bearer di-key-1234" && r.Path == "/api/things");
        var options = provider.GetRequiredService<IOptionsMonitor<TestOptions>>().CurrentValue;
        QuotaLimiterRegistry.For(time).GetOrCreate("test", "di-key-1234", options.RateLimit).AvailablePermits
            .Should().Be(7, "both clients' attempts took permits of the one limiter of the key");
    }

    [Fact]
    public async Task Without_authentication_the_chain_still_works()
    {
        var time = FakeTime.Create();
        using var diagnostics = new ApiDiagnostics("TrainingApis.Tests.DI." + Guid.NewGuid().ToString("N"));
        var handler = new FakeHttpHandler((_, _) => TestPipeline.Status(HttpStatusCode.OK));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.Configure<TestOptions>(_ => { });
        services.AddHttpClient("plain")
            .ConfigurePrimaryHttpMessageHandler(() => handler)
            .AddApiPipeline<TestOptions>(Options.DefaultName, "Test", diagnostics, (_, _, _) => null, (_, _) => null);
        using var provider = services.BuildServiceProvider();

        using var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("plain");
        using var response = await time.RunAsync(client.GetAsync("x"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        handler.Requests.Should().ContainSingle().Which.Authorization.Should().BeNull();
    }

    [Fact]
    public void Null_arguments_are_argument_errors()
    {
        var builder = new ServiceCollection().AddHttpClient("x");
        using var diagnostics = new ApiDiagnostics("TrainingApis.Tests.DI.Null");

        FluentActions.Invoking(() => builder.AddApiPipeline<TestOptions>(Options.DefaultName, "X", diagnostics, null!, (_, _) => null)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => builder.AddApiPipeline<TestOptions>(Options.DefaultName, "X", diagnostics, (_, _, _) => null, null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => builder.AddApiPipeline<TestOptions>(null!, "X", diagnostics, (_, _, _) => null, (_, _) => null)).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void The_default_primary_handler_pools_and_recycles_connections()
    {
        using var primary = ApiPipeline.CreatePrimaryHandler();

        var sockets = primary.Should().BeOfType<SocketsHttpHandler>().Subject;
        sockets.PooledConnectionLifetime.Should().Be(TimeSpan.FromMinutes(5));
        sockets.AutomaticDecompression.Should().Be(DecompressionMethods.All);
    }

    [Fact]
    public void The_handlers_are_ordered_call_total_timeout_and_retry_auth_quota_attempt()
    {
        var settings = new ApiPipelineSettings { ServiceName = "Test", Options = new TestOptions() };
        using var auth = new BearerKeyHandler(() => "k", "K");

        var handlers = ApiPipeline.CreateHandlers(settings, auth);

        // One resilience handler (total timeout, retry); the attempt timeout and redirects are the attempt handler's own
        // (docs/benchmarks.md, 2026-11-30).
        handlers.Select(h => h.GetType()).Should().Equal(
            typeof(CallHandler), typeof(ResilienceHandler), typeof(BearerKeyHandler), typeof(QuotaHandler), typeof(AttemptHandler));
        ApiPipeline.CreateHandlers(settings, null).Should().HaveCount(4);
    }

    [Fact]
    public async Task An_application_wide_standard_resilience_handler_does_not_stack_on_the_pipeline()
    {
        // What .NET Aspire service defaults do: without the removal an always-503 server got 16 attempts instead of 4.
        var (provider, handler, time) = Build(services => services.ConfigureHttpClientDefaults(static b => b.AddStandardResilienceHandler()));
        using var _ = provider;
        using var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("test");

        using var response = await time.RunAsync(client.GetAsync("things"));

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        handler.Count.Should().Be(4, "1 + Retry.MaxRetries (3) attempts: the SDK's retry only");
    }

    [Fact]
    public async Task The_strategies_are_tuned_through_the_library_options_named_after_the_pipeline()
    {
        var retries = 0;
        var (provider, handler, time) = Build(services => services.Configure<HttpRetryStrategyOptions>(ApiResilience.GetPipelineName("test", ApiResilience.CallPipelineName), o =>
        {
            o.MaxRetryAttempts = 1;
            o.OnRetry = _ =>
            {
                Interlocked.Increment(ref retries);
                return default;
            };
        }));
        using var _ = provider;
        using var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("test");

        using var response = await time.RunAsync(client.GetAsync("things"));

        handler.Count.Should().Be(2, "the user's MaxRetryAttempts (1) applies over the SDK's (3), with the SDK's predicate");
        retries.Should().Be(1);
        ApiResilience.GetPipelineName("test", ApiResilience.CallPipelineName).Should().Be("test-call");
    }

    [Fact]
    public async Task Each_options_name_drives_its_own_pipeline()
    {
        var time = FakeTime.Create();
        using var diagnostics = new ApiDiagnostics("TrainingApis.Tests.DI." + Guid.NewGuid().ToString("N"));
        var handler = new FakeHttpHandler((_, _) => TestPipeline.Status(HttpStatusCode.ServiceUnavailable));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.Configure<TestOptions>("a", o => (o.BaseAddress, o.Retry.MaxRetries) = (new Uri("https://a.test/"), 1));
        services.Configure<TestOptions>("b", o => (o.BaseAddress, o.Retry.MaxRetries) = (new Uri("https://b.test/"), 2));
        foreach (var name in new[] { "a", "b" })
        {
            services.AddHttpClient("client-" + name)
                .ConfigurePrimaryHttpMessageHandler(() => handler)
                .AddApiPipeline<TestOptions>(name, "Test", diagnostics, (_, _, _) => null, (_, _) => null);
        }

        using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IHttpClientFactory>();

        using var a = await time.RunAsync(factory.CreateClient("client-a").GetAsync("x"));
        using var b = await time.RunAsync(factory.CreateClient("client-b").GetAsync("x"));

        handler.Requests.Select(r => r.Uri!.Host).Should().Equal("a.test", "a.test", "b.test", "b.test", "b.test");
    }

    [Fact]
    public void Without_a_configured_primary_handler_the_SDK_s_decompressing_pooled_handler_is_used()
    {
        var services = new ServiceCollection();
        services.Configure<TestOptions>(_ => { });
        using var diagnostics = new ApiDiagnostics("TrainingApis.Tests.DI." + Guid.NewGuid().ToString("N"));
        services.AddHttpClient("plain").AddApiPipeline<TestOptions>(Options.DefaultName, "Test", diagnostics, (_, _, _) => null, (_, _) => null);
        services.AddHttpClient("own").AddApiPipeline<TestOptions>(Options.DefaultName, "Test", diagnostics, (_, _, _) => null, (_, _) => null)
            .ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler());
        using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IHttpMessageHandlerFactory>();

        var primary = Primary(factory.CreateHandler("plain")).Should().BeOfType<SocketsHttpHandler>().Subject;
        primary.AutomaticDecompression.Should().Be(DecompressionMethods.All);
        primary.PooledConnectionLifetime.Should().Be(TimeSpan.FromMinutes(5));
        Primary(factory.CreateHandler("own")).Should().BeOfType<HttpClientHandler>("a primary handler the user configures wins");
    }

    private static HttpMessageHandler Primary(HttpMessageHandler handler)
    {
        while (handler is DelegatingHandler { InnerHandler: { } inner })
        {
            handler = inner;
        }

        return handler;
    }

    private static (ServiceProvider Provider, FakeHttpHandler Handler, FakeTimeProvider Time) Build(Action<IServiceCollection> configure)
    {
        var time = FakeTime.Create();
        var diagnostics = new ApiDiagnostics("TrainingApis.Tests.DI." + Guid.NewGuid().ToString("N"));
        var handler = new FakeHttpHandler((_, _) => TestPipeline.Status(HttpStatusCode.ServiceUnavailable));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton(diagnostics);
        services.Configure<TestOptions>(_ => { });
        configure(services);
        services.AddHttpClient("test")
            .ConfigurePrimaryHttpMessageHandler(() => handler)
            .AddApiPipeline<TestOptions>(Options.DefaultName, "Test", diagnostics, (_, _, _) => null, (_, _) => null);
        return (services.BuildServiceProvider(), handler, time);
    }
}
