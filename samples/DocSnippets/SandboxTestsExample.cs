using Symtrain.Client;
using TrainingApis.Sandbox;
using Xunit;

namespace DocSnippets;

// docs/sandbox.md: an xunit class fixture sharing one sandbox.
#region sandbox-xunit-fixture
public sealed class SandboxFixture : IAsyncLifetime
{
    public TrainingSandbox Sandbox { get; private set; } = null!;

    public SymtrainClient Symtrain { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Sandbox = await TrainingSandbox.StartAsync(new TrainingSandboxOptions
        {
            SymtrainApiKey = "tests-" + Guid.NewGuid().ToString("N"),
        });
        Symtrain = new SymtrainClient(new SymtrainClientOptions { BaseAddress = Sandbox.BaseAddress, ApiKey = Sandbox.SymtrainApiKey });
    }

    public async Task DisposeAsync()
    {
        Symtrain.Dispose();
        await Sandbox.DisposeAsync();
    }
}

public sealed class CompletionDataTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task The_featured_trainee_has_three_attempts_the_second_incomplete()
    {
        var sandbox = fixture.Sandbox;

        var executions = await fixture.Symtrain.Access.GetCompletionDataAsync(sandbox.OrganizationId, sandbox.TraineeUsername, sandbox.SimulationId);

        Assert.Equal(new[] { true, false, true }, executions.Select(e => e.IsCompleted));
    }
}
#endregion
