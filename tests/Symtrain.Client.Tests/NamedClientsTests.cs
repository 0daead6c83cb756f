using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TrainingApis.Core;
using TrainingApis.Testing;

namespace Symtrain.Client.Tests;

/// <summary>Several Symtrain accounts in one container: one named client each, resolved as keyed services.</summary>
public sealed class NamedClientsTests
{
    private static readonly DateRange Week = DateRange.FromDays(new DateOnly(2024, 1, 1), 7);

    [Fact]
    public async Task Two_named_tenants_each_send_only_their_own_key()
    {
        var handler = FakeHttpHandler.Json("[]");
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(FakeTime.Create());
        var a = services.AddSymtrainClient("tenant-a", o => o.ApiKey = "sk_tenant_a").ConfigurePrimaryHttpMessageHandler(() => handler);
        var b = services.AddSymtrainClient("tenant-b", o => o.ApiKey = "sk_tenant_b").ConfigurePrimaryHttpMessageHandler(() => handler);
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredKeyedService<ISymtrainClient>("tenant-a").Reports.GetUsersAsync(Week);
        await provider.GetRequiredKeyedService<ISymtrainClient>("tenant-b").Reports.GetUsersAsync(Week);
        await provider.GetRequiredKeyedService<ISymtrainClient>("tenant-a").Reports.GetSymsAsync(Week);

        handler.Requests.Select(r => r.Authorization).Should().Equal("Bearer sk_tenant_a", "Bearer sk_tenant_b", "Bearer sk_tenant_a");
        a.Name.Should().Be("Symtrain.Client:tenant-a");
        b.Name.Should().Be("Symtrain.Client:tenant-b");
        provider.GetService<ISymtrainClient>().Should().BeNull("no unnamed client was registered");
    }

    [Fact]
    public async Task A_named_client_is_injected_with_FromKeyedServices()
    {
        var handler = FakeHttpHandler.Json("[]");
        var services = new ServiceCollection();
        services.AddSymtrainClient("eu", o => (o.ApiKey, o.BaseAddress) = ("sk_eu", new Uri("https://eu.symtrain.test"))).ConfigurePrimaryHttpMessageHandler(() => handler);
        services.AddSymtrainClient("us", o => (o.ApiKey, o.BaseAddress) = ("sk_us", new Uri("https://us.symtrain.test"))).ConfigurePrimaryHttpMessageHandler(() => handler);
        services.AddSingleton<EuExporter>();
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<EuExporter>().Client.Reports.GetUsersAsync(Week);

        var request = handler.Requests.Should().ContainSingle().Subject;
        request.Uri!.Host.Should().Be("eu.symtrain.test");
        request.Authorization.Should().Be("Bearer sk_eu");
    }

    [Fact]
    public async Task A_named_client_binds_its_own_configuration_section_and_an_unnamed_one_stays_apart()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Symtrain:ApiKey"] = "sk_default",
            ["Partner:ApiKey"] = "sk_partner",
            ["Partner:BaseAddress"] = "https://partner.symtrain.test",
        }).Build();
        var handler = FakeHttpHandler.Json("[]");
        var services = new ServiceCollection();
        services.AddSymtrainClient(configuration.GetSection("Symtrain")).ConfigurePrimaryHttpMessageHandler(() => handler);
        services.AddSymtrainClient("partner", configuration.GetSection("Partner")).ConfigurePrimaryHttpMessageHandler(() => handler);
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<ISymtrainClient>().Reports.GetUsersAsync(Week);
        await provider.GetRequiredKeyedService<ISymtrainClient>("partner").Reports.GetUsersAsync(Week);

        handler.Requests.Select(r => $"{r.Uri!.Host} {r.Authorization}").Should().Equal(
            "api.symtrain.com Bearer sk_default",
            "partner.symtrain.test Bearer sk_partner");
        provider.GetRequiredService<IOptionsMonitor<SymtrainClientOptions>>().Get("partner").ApiKey.Should().Be("sk_partner");
    }

    [Fact]
    public async Task Two_unnamed_registrations_configure_one_client_and_the_last_value_wins()
    {
        var handler = FakeHttpHandler.Json("[]");
        var services = new ServiceCollection();
        services.AddSymtrainClient(o => (o.ApiKey, o.MaxPages) = ("sk_first", 7)).ConfigurePrimaryHttpMessageHandler(() => handler);
        services.AddSymtrainClient(o => o.ApiKey = "sk_second");
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<ISymtrainClient>().Reports.GetUsersAsync(Week);

        handler.Requests.Should().ContainSingle().Which.Authorization.Should().Be("Bearer sk_second");
        provider.GetRequiredService<IOptions<SymtrainClientOptions>>().Value.MaxPages.Should().Be(7, "settings the last registration leaves alone keep the first one's value");
    }

    [Fact]
    public void A_client_is_one_singleton_per_name_whatever_provider_resolves_it()
    {
        var services = new ServiceCollection();
        services.AddSymtrainClient(o => o.ApiKey = "sk_default");
        services.AddSymtrainClient("other", o => o.ApiKey = "sk_other");
        using var provider = services.BuildServiceProvider();
        using var scope = provider.CreateScope();

        var root = provider.GetRequiredService<ISymtrainClient>();

        scope.ServiceProvider.GetRequiredService<ISymtrainClient>().Should().BeSameAs(root);
        provider.GetRequiredService<SymtrainClient>().Should().BeSameAs(root);
        provider.GetRequiredKeyedService<ISymtrainClient>("other").Should().NotBeSameAs(root)
            .And.BeSameAs(scope.ServiceProvider.GetRequiredKeyedService<SymtrainClient>("other"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void A_blank_name_is_an_argument_error(string name)
    {
        var services = new ServiceCollection();

        FluentActions.Invoking(() => services.AddSymtrainClient(name, o => o.ApiKey = "k")).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("name");
        FluentActions.Invoking(() => services.AddSymtrainClient(null!, o => o.ApiKey = "k")).Should().Throw<ArgumentNullException>();
        services.Should().BeEmpty();
    }

    [Fact]
    public void A_named_client_with_bad_options_fails_at_start_up_naming_the_setting()
    {
        var services = new ServiceCollection();
        services.AddSymtrainClient("bad", o => o.ReportPageSize = 0);
        using var provider = services.BuildServiceProvider();

        var startup = () => provider.GetRequiredService<IStartupValidator>().Validate();

        startup.Should().Throw<OptionsValidationException>().Which.Message.Should()
            .Contain("SymtrainClientOptions.ApiKey is required").And.Contain("SymtrainClientOptions.ReportPageSize must be positive");
    }

    private sealed class EuExporter([FromKeyedServices("eu")] ISymtrainClient client)
    {
        public ISymtrainClient Client { get; } = client;
    }
}
