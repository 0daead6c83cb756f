using Senar.Client;
using Symtrain.Client;
using TrainingApis.Sandbox;

namespace TrainingApis.Cli.Tests;

/// <summary>
/// One sandbox shared by the tests of a class: no quota (tests never wait out a real window), imports that finish at
/// once, a key of its own (the SDK's quota limiter is shared per key within the process).
/// </summary>
public sealed class CliSandboxFixture : IAsyncLifetime
{
    public TrainingSandbox Sandbox { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Sandbox = await TrainingSandbox.StartAsync(new TrainingSandboxOptions
        {
            SymtrainApiKey = "cli-tests-" + Guid.NewGuid().ToString("N"),
            SymtrainQuotaEnabled = false,
            BulkImportQueueDelay = TimeSpan.Zero,
            BulkImportProcessingTime = TimeSpan.Zero,
            SenarActivityCount = 600,
        });
    }

    public async Task DisposeAsync() => await Sandbox.DisposeAsync();

    /// <summary>An SDK client of the sandbox, to read what the tool should have written.</summary>
    public SymtrainClient Symtrain()
    {
        var options = new SymtrainClientOptions { BaseAddress = Sandbox.BaseAddress, ApiKey = Sandbox.SymtrainApiKey };
        options.RateLimit.Enabled = false;
        return new SymtrainClient(options);
    }

    public SenarClient Senar() => new(new SenarClientOptions { BaseAddress = Sandbox.BaseAddress, Username = Sandbox.SenarUsername, Password = Sandbox.SenarPassword });
}
