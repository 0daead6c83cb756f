using Microsoft.Extensions.DependencyInjection;
using Senar.Client;
using Symtrain.Client;

namespace TrainingApis.Sandbox.Tests.EndToEnd;

/// <summary>The recipe of docs/sandbox.md, "Named clients through dependency injection": one sandbox per tenant's key.</summary>
public sealed class NamedClientsEndToEndTests
{
    [Fact]
    public async Task Two_named_tenants_reach_their_own_sandboxes_with_their_own_keys()
    {
        await using var emeaSandbox = await TrainingSandbox.StartAsync(new TrainingSandboxOptions { SymtrainApiKey = "emea-sandbox-key-" + Guid.NewGuid().ToString("N") });
        await using var americasSandbox = await TrainingSandbox.StartAsync(new TrainingSandboxOptions { SymtrainApiKey = "americas-sandbox-key-" + Guid.NewGuid().ToString("N") });
        var services = new ServiceCollection();
        services.AddSymtrainClient("emea", options =>
        {
            options.BaseAddress = emeaSandbox.BaseAddress;
            options.ApiKey = emeaSandbox.SymtrainApiKey;
        });
        services.AddSymtrainClient("americas", options =>
        {
            options.BaseAddress = americasSandbox.BaseAddress;
            options.ApiKey = americasSandbox.SymtrainApiKey;
        });
        services.AddSenarClient("academy", options =>
        {
            options.BaseAddress = emeaSandbox.BaseAddress;
            options.Username = emeaSandbox.SenarUsername;
            options.Password = emeaSandbox.SenarPassword;
        });
        await using var provider = services.BuildServiceProvider();

        var emea = await provider.GetRequiredKeyedService<ISymtrainClient>("emea").Access.GetCompletionDataAsync(emeaSandbox.OrganizationId, emeaSandbox.TraineeUsername, emeaSandbox.SimulationId);
        var americas = await provider.GetRequiredKeyedService<ISymtrainClient>("americas").Access.GetCompletionDataAsync(americasSandbox.OrganizationId, americasSandbox.TraineeUsername, americasSandbox.SimulationId);
        var activities = await provider.GetRequiredKeyedService<ISenarClient>("academy").Activities.ListAsync();

        emea.Select(e => e.IsCompleted).Should().Equal(true, false, true);
        americas.Should().HaveCount(3);
        activities.Should().HaveCount(1000);
    }
}
