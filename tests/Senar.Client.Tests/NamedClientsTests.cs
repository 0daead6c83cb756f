using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TrainingApis.Testing;

namespace Senar.Client.Tests;

/// <summary>Several Senar accounts in one container: one named client each, each logging in as itself.</summary>
public sealed class NamedClientsTests
{
    [Fact]
    public async Task Two_named_accounts_each_log_in_as_themselves_and_send_only_their_own_token()
    {
        var handler = new FakeHttpHandler((request, _) =>
        {
            if (request.Path.EndsWith("/api/auth/login", StringComparison.Ordinal))
            {
                var user = JsonNode.Parse(request.Body)!["username"]!.GetValue<string>();
                return FakeHttpHandler.JsonResponse($$"""{"Token": "token-of-{{user}}"}""");
            }

            return FakeHttpHandler.JsonResponse("[]");
        });
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(FakeTime.Create());
        var north = services.AddSenarClient("north", o => (o.Username, o.Password) = ("north@example.com", "North-pass-1")).ConfigurePrimaryHttpMessageHandler(() => handler);
        services.AddSenarClient("south", o => (o.Username, o.Password) = ("south@example.com", "South-pass-2")).ConfigurePrimaryHttpMessageHandler(() => handler);
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredKeyedService<ISenarClient>("north").Users.ListAsync();
        await provider.GetRequiredKeyedService<ISenarClient>("south").Activities.ListAsync();
        await provider.GetRequiredKeyedService<ISenarClient>("north").Activities.ListAsync();
        var southToken = await provider.GetRequiredKeyedService<ISenarClient>("south").Auth.LoginAsync();

        var logins = handler.Requests.Where(r => r.Path.EndsWith("/api/auth/login", StringComparison.Ordinal)).Select(r => JsonNode.Parse(r.Body)!["username"]!.GetValue<string>());
        logins.Should().Equal("north@example.com", "south@example.com", "south@example.com");
        handler.Requests.Where(r => r.Path.Contains("/integration/", StringComparison.Ordinal)).Select(r => r.Authorization).Should().Equal(
            "Bearer token-of-north@example.com", "Bearer token-of-south@example.com", "Bearer token-of-north@example.com");
        southToken.Value.Should().Be("token-of-south@example.com");
        north.Name.Should().Be("Senar.Client:north");
        provider.GetService<ISenarClient>().Should().BeNull("no unnamed client was registered");
    }

    [Fact]
    public void Each_name_is_one_singleton_and_a_blank_name_is_an_argument_error()
    {
        var services = new ServiceCollection();
        services.AddSenarClient("a", o => (o.Username, o.Password) = ("a@example.com", "A-pass-123"));
        using var provider = services.BuildServiceProvider();
        using var scope = provider.CreateScope();

        provider.GetRequiredKeyedService<ISenarClient>("a").Should().BeSameAs(scope.ServiceProvider.GetRequiredKeyedService<SenarClient>("a"));
        FluentActions.Invoking(() => services.AddSenarClient(" ", _ => { })).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("name");
    }
}
