using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TrainingApis.Core;
using TrainingApis.Testing;

namespace Symtrain.Client.Tests;

public class DependencyInjectionTests
{
    private static readonly DateRange Week = DateRange.FromDays(new DateOnly(2024, 1, 1), 7);

    private static ServiceProvider Build(Func<IServiceCollection, IHttpClientBuilder> register, FakeHttpHandler handler, FakeTimeProvider time)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        register(services).ConfigurePrimaryHttpMessageHandler(() => handler);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task AddSymtrainClient_with_a_delegate_registers_both_types_over_the_pipeline()
    {
        var handler = FakeHttpHandler.Json("[]");
        IHttpClientBuilder? builder = null;
        await using var provider = Build(
            s => builder = s.AddSymtrainClient(o =>
            {
                o.ApiKey = "sk_di_delegate";
                o.BaseAddress = new Uri("https://sandbox.symtrain.test");
            }),
            handler,
            FakeTime.Create());

        builder!.Name.Should().Be(SymtrainClientServiceCollectionExtensions.HttpClientName);
        var client = provider.GetRequiredService<ISymtrainClient>();
        provider.GetRequiredService<SymtrainClient>().Should().NotBeNull();
        await client.Reports.GetUsersAsync(Week);

        var request = handler.Requests.Should().ContainSingle().Subject;
        request.Uri!.AbsoluteUri.Should().Be("https://sandbox.symtrain.test/v2/report/users");
        request.Authorization.Should().Be("Bearer sk_di_delegate");
    }

    [Fact]
    public async Task AddSymtrainClient_with_a_configuration_section_binds_every_setting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Symtrain:ApiKey"] = "sk_di_config",
            ["Symtrain:BaseAddress"] = "https://eu.symtrain.test",
            ["Symtrain:MaxReportRange"] = "30.00:00:00",
            ["Symtrain:DeepLinkTokenParameter"] = "t",
            ["Symtrain:RateLimit:PermitLimit"] = "7",
            ["Symtrain:Retry:MaxRetries"] = "1",
            ["Symtrain:BulkImportWaitTimeout"] = "00:02:00",
        }).Build();
        var handler = FakeHttpHandler.Json("[]");
        await using var provider = Build(s => s.AddSymtrainClient(configuration.GetSection("Symtrain")), handler, FakeTime.Create());

        var options = provider.GetRequiredService<IOptions<SymtrainClientOptions>>().Value;
        options.ApiKey.Should().Be("sk_di_config");
        options.BaseAddress.Should().Be(new Uri("https://eu.symtrain.test"));
        options.MaxReportRange.Should().Be(TimeSpan.FromDays(30));
        options.DeepLinkTokenParameter.Should().Be("t");
        options.RateLimit.PermitLimit.Should().Be(7);
        options.Retry.MaxRetries.Should().Be(1);
        options.BulkImportWaitTimeout.Should().Be(TimeSpan.FromMinutes(2));

        var client = provider.GetRequiredService<ISymtrainClient>();
        var tooLong = () => client.Reports.GetUsersAsync(DateRange.FromDays(new DateOnly(2024, 1, 1), 31));
        await tooLong.Should().ThrowAsync<ArgumentException>();
        await client.Reports.GetUsersAsync(Week);
        handler.Requests.Should().ContainSingle().Which.Uri!.Host.Should().Be("eu.symtrain.test");
    }

    [Fact]
    public void Bad_options_fail_at_start_up_naming_the_setting()
    {
        var handler = FakeHttpHandler.Json("[]");
        using var provider = Build(s => s.AddSymtrainClient(o => o.RateLimit.PermitLimit = -1), handler, FakeTime.Create());

        var startup = () => provider.GetRequiredService<IStartupValidator>().Validate();
        var resolve = () => provider.GetRequiredService<ISymtrainClient>();

        startup.Should().Throw<OptionsValidationException>().Which.Message.Should()
            .Contain("SymtrainClientOptions.ApiKey is required").And.Contain("SymtrainClientOptions.RateLimit.PermitLimit");
        resolve.Should().Throw<OptionsValidationException>().WithMessage("*SymtrainClientOptions.ApiKey*");
        handler.Count.Should().Be(0);
    }

    [Fact]
    public void A_non_https_address_fails_at_start_up()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ApiKey"] = "sk_x",
            ["BaseAddress"] = "http://api.symtrain.com",
        }).Build();
        using var provider = Build(s => s.AddSymtrainClient(configuration), FakeHttpHandler.Json("[]"), FakeTime.Create());

        var startup = () => provider.GetRequiredService<IStartupValidator>().Validate();

        startup.Should().Throw<OptionsValidationException>().WithMessage("*SymtrainClientOptions.BaseAddress*https*");
    }

    [Fact]
    public async Task A_rotated_key_applies_to_the_next_request_without_a_restart()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ApiKey"] = "sk_before" }).Build();
        var handler = FakeHttpHandler.Json("[]");
        await using var provider = Build(s => s.AddSymtrainClient(configuration), handler, FakeTime.Create());
        var client = provider.GetRequiredService<ISymtrainClient>();

        await client.Reports.GetUsersAsync(Week);
        configuration["ApiKey"] = "sk_after";
        configuration.Reload();
        await client.Reports.GetUsersAsync(Week);

        handler.Requests.Select(r => r.Authorization).Should().Equal("Bearer sk_before", "Bearer sk_after");
    }

    [Fact]
    public async Task Clients_with_the_same_key_share_one_quota_whether_injected_or_built_by_hand()
    {
        var time = FakeTime.Create();
        var handler = FakeHttpHandler.Json("[]");
        void Configure(SymtrainClientOptions o)
        {
            o.ApiKey = "sk_di_quota";
            o.Retry = new RetryOptions { MaxRetries = 0 };
            o.RateLimit = new RateLimitOptions { PermitLimit = 3, QueueLimit = 0 };
        }

        await using var provider = Build(
            s =>
            {
                s.AddSymtrainClient(Configure).ConfigurePrimaryHttpMessageHandler(() => handler);
                return s.AddSymtrainClient("same-key", Configure);
            },
            handler,
            time);
        var first = provider.GetRequiredService<ISymtrainClient>();
        var second = provider.GetRequiredKeyedService<ISymtrainClient>("same-key");
        var options = new SymtrainClientOptions();
        Configure(options);
        using var byHand = new SymtrainClient(options, handler, time);

        first.Should().NotBeSameAs(second);
        await first.Reports.GetUsersAsync(Week);
        await second.Reports.GetUsersAsync(Week);
        await byHand.Reports.GetUsersAsync(Week);
        var fourth = () => second.Reports.GetUsersAsync(Week);

        (await fourth.Should().ThrowAsync<ApiRateLimitException>()).Which.IsLocal.Should().BeTrue();
        handler.Count.Should().Be(3);
    }

    [Fact]
    public void Registering_twice_adds_no_second_client()
    {
        var services = new ServiceCollection();
        services.AddSymtrainClient(o => o.ApiKey = "k");
        services.AddSymtrainClient(o => o.ApiKey = "k");

        services.Count(d => d.ServiceType == typeof(ISymtrainClient)).Should().Be(1);
        services.Count(d => d.ServiceType == typeof(IValidateOptions<SymtrainClientOptions>)).Should().Be(1);
    }

    [Fact]
    public async Task An_application_wide_standard_resilience_handler_never_stacks_on_the_SDK_s_retries()
    {
        // What .NET Aspire service defaults add: on main an always-503 server got 16 attempts instead of 4.
        var time = FakeTime.Create();
        var handler = new FakeHttpHandler((_, _) => FakeHttpHandler.JsonResponse("{}", System.Net.HttpStatusCode.ServiceUnavailable));
        await using var provider = Build(
            s =>
            {
                s.ConfigureHttpClientDefaults(static b => b.AddStandardResilienceHandler());
                return s.AddSymtrainClient(o => (o.ApiKey, o.Retry.BaseDelay) = ("sk_aspire", TimeSpan.FromMilliseconds(10)));
            },
            handler,
            time);

        var act = () => time.RunAsync(provider.GetRequiredService<ISymtrainClient>().Reports.GetUsersAsync(Week));

        (await act.Should().ThrowAsync<ApiException>()).Which.StatusCode.Should().Be(System.Net.HttpStatusCode.ServiceUnavailable);
        handler.Count.Should().Be(4, "1 + Retry.MaxRetries (3)");
    }

    [Fact]
    public async Task A_reloaded_retry_setting_applies_to_the_next_call()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ApiKey"] = "sk_reload",
            ["Retry:MaxRetries"] = "0",
            ["Retry:BaseDelay"] = "00:00:00.010",
        }).Build();
        var time = FakeTime.Create();
        var handler = new FakeHttpHandler((_, _) => FakeHttpHandler.JsonResponse("{}", System.Net.HttpStatusCode.BadGateway));
        await using var provider = Build(s => s.AddSymtrainClient(configuration), handler, time);
        var client = provider.GetRequiredService<ISymtrainClient>();

        var call = () => time.RunAsync(client.Reports.GetUsersAsync(Week));
        await call.Should().ThrowAsync<ApiException>();
        configuration["Retry:MaxRetries"] = "2";
        configuration.Reload();
        await call.Should().ThrowAsync<ApiException>();

        handler.Count.Should().Be(1 + 3, "one attempt before the reload, three after it");
    }
}
