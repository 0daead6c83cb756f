using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Senar.Client.Tests.TestSupport;
using TrainingApis.Testing;

namespace Senar.Client.Tests;

public sealed class DependencyInjectionTests
{
    [Fact]
    public async Task Registers_the_client_configured_by_a_delegate()
    {
        var fake = new SenarFake(api: _ => FakeHttpHandler.JsonResponse(SeedExamples.UsersResponse));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(fake.Time);

        var builder = services.AddSenarClient(o =>
        {
            o.Username = SenarFake.Username;
            o.Password = SenarFake.Password;
        });
        builder.ConfigurePrimaryHttpMessageHandler(() => fake.Handler);
        using var provider = services.BuildServiceProvider(validateScopes: true);

        builder.Name.Should().Be(SenarClientServiceCollectionExtensions.HttpClientName);
        var client = provider.GetRequiredService<ISenarClient>();
        provider.GetRequiredService<SenarClient>().Should().BeSameAs(client, "the client is one singleton that asks the factory for an HttpClient per operation");
        var users = await client.Users.ListAsync();

        users.Should().ContainSingle().Which.FirstName.Should().Be("Jon");
        fake.LoginCount.Should().Be(1);
        fake.ApiRequests.Should().ContainSingle().Which.Authorization.Should().Be("Bearer token-1");
        fake.Handler.Requests[0].Uri.Should().Be(new Uri("https://studio.senar.io/api/auth/login"));
    }

    [Fact]
    public async Task Clients_resolved_from_the_container_share_one_login_and_relogin_on_401()
    {
        var expired = false;
        var fake = new SenarFake(api: r => expired && r.Authorization == "Bearer token-1" ? SenarFake.Status(System.Net.HttpStatusCode.Unauthorized) : FakeHttpHandler.JsonResponse("[]"));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(fake.Time);
        services.AddSenarClient(o =>
        {
            o.Username = SenarFake.Username;
            o.Password = SenarFake.Password;
        }).ConfigurePrimaryHttpMessageHandler(() => fake.Handler);
        using var provider = services.BuildServiceProvider();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => provider.GetRequiredService<ISenarClient>().Activities.ListAsync()));
        expired = true;
        await provider.GetRequiredService<ISenarClient>().Users.ListAsync();
        var token = await provider.GetRequiredService<ISenarClient>().Auth.LoginAsync();

        fake.LoginCount.Should().Be(3);
        token.Value.Should().Be("token-3");
        fake.ApiRequests.Last().Authorization.Should().Be("Bearer token-2");
    }

    [Fact]
    public async Task Registers_the_client_bound_to_a_configuration_section()
    {
        var fake = new SenarFake(api: _ => FakeHttpHandler.JsonResponse(SeedExamples.ActivitiesResponse));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Senar:BaseAddress"] = "http://127.0.0.1:5080/sandbox/senar",
            ["Senar:Username"] = SenarFake.Username,
            ["Senar:Password"] = SenarFake.Password,
            ["Senar:Timeout"] = "00:02:00",
            ["Senar:Retry:MaxRetries"] = "1",
            ["Senar:RateLimit:Enabled"] = "true",
            ["Senar:RateLimit:PermitLimit"] = "30",
            ["Senar:RateLimit:Window"] = "00:01:00",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(fake.Time);

        var builder = services.AddSenarClient(configuration.GetSection("Senar"));
        builder.ConfigurePrimaryHttpMessageHandler(() => fake.Handler);
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<SenarClientOptions>>().Value;
        options.BaseAddress.Should().Be(new Uri("http://127.0.0.1:5080/sandbox/senar"));
        options.Username.Should().Be(SenarFake.Username);
        options.Password.Should().Be(SenarFake.Password);
        options.Timeout.Should().Be(TimeSpan.FromMinutes(2));
        options.Retry.MaxRetries.Should().Be(1);
        options.RateLimit.Enabled.Should().BeTrue();
        options.RateLimit.PermitLimit.Should().Be(30);
        options.RateLimit.Window.Should().Be(TimeSpan.FromMinutes(1));

        var activities = await provider.GetRequiredService<ISenarClient>().Activities.ListAsync();

        activities.Should().ContainSingle().Which.ScenarioId.Should().Be("S01");
        fake.Handler.Requests.Select(r => r.Uri!.ToString()).Should().Equal(
            "http://127.0.0.1:5080/sandbox/senar/api/auth/login",
            "http://127.0.0.1:5080/sandbox/senar/integration/data/activities");
    }

    [Fact]
    public void Bad_options_from_a_delegate_fail_at_start_up_naming_the_setting()
    {
        var services = new ServiceCollection();
        services.AddSenarClient(o =>
        {
            o.Username = SenarFake.Username;
            o.Password = null;
            o.AttemptTimeout = TimeSpan.FromSeconds(-1);
        });
        using var provider = services.BuildServiceProvider();

        var start = () => provider.GetRequiredService<IStartupValidator>().Validate();

        var error = start.Should().Throw<OptionsValidationException>().Which;
        error.Failures.Should().Contain(f => f.Contains("SenarClientOptions.Password"));
        error.Failures.Should().Contain(f => f.Contains("SenarClientOptions.AttemptTimeout"));
        ((Action)(() => provider.GetRequiredService<ISenarClient>())).Should().Throw<OptionsValidationException>();
    }

    [Fact]
    public void Bad_options_from_configuration_fail_at_start_up_naming_the_setting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Senar:BaseAddress"] = "http://studio.senar.io",
            ["Senar:Password"] = "S3cret-pass!",
        }).Build();
        var services = new ServiceCollection();
        services.AddSenarClient(configuration.GetSection("Senar"));
        using var provider = services.BuildServiceProvider();

        var start = () => provider.GetRequiredService<IStartupValidator>().Validate();

        var error = start.Should().Throw<OptionsValidationException>().Which;
        error.Message.Should().Contain("SenarClientOptions.BaseAddress").And.Contain("SenarClientOptions.Username").And.NotContain("S3cret-pass!");
    }

    [Fact]
    public void Both_overloads_refuse_null_arguments()
    {
        var services = new ServiceCollection();

        ((Action)(() => services.AddSenarClient((Action<SenarClientOptions>)null!))).Should().Throw<ArgumentNullException>();
        ((Action)(() => services.AddSenarClient((IConfiguration)null!))).Should().Throw<ArgumentNullException>();
    }
}
