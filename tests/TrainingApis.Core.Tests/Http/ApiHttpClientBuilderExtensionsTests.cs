using System.Net;
using Microsoft.Extensions.DependencyInjection;
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
        var time = new FakeTimeProvider();
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
                "Test",
                diagnostics,
                (_, monitor, _) => new BearerKeyHandler(() => monitor.CurrentValue.ApiKey, "TestOptions.ApiKey"),
                (monitor, registry) => registry.GetOrCreate("test", monitor.CurrentValue.ApiKey!, monitor.CurrentValue.RateLimit));
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
        var time = new FakeTimeProvider();
        using var diagnostics = new ApiDiagnostics("TrainingApis.Tests.DI." + Guid.NewGuid().ToString("N"));
        var handler = new FakeHttpHandler((_, _) => TestPipeline.Status(HttpStatusCode.OK));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.Configure<TestOptions>(_ => { });
        services.AddHttpClient("plain")
            .ConfigurePrimaryHttpMessageHandler(() => handler)
            .AddApiPipeline<TestOptions>("Test", diagnostics, (_, _, _) => null, (_, _) => null);
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

        FluentActions.Invoking(() => builder.AddApiPipeline<TestOptions>("X", diagnostics, null!, (_, _) => null)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => builder.AddApiPipeline<TestOptions>("X", diagnostics, (_, _, _) => null, null!)).Should().Throw<ArgumentNullException>();
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
    public void The_handlers_are_ordered_resilience_auth_quota_attempt_redirect()
    {
        var settings = new ApiPipelineSettings { ServiceName = "Test", Options = new TestOptions() };
        using var auth = new BearerKeyHandler(() => "k", "K");

        var handlers = ApiPipeline.CreateHandlers(settings, auth);

        handlers.Select(h => h.GetType()).Should().Equal(typeof(ResilienceHandler), typeof(BearerKeyHandler), typeof(QuotaHandler), typeof(AttemptHandler), typeof(RedirectHandler));
        ApiPipeline.CreateHandlers(settings, null).Should().HaveCount(4);
    }
}
