using Senar.Client;
using Symtrain.Client;

namespace TrainingApis.Sandbox.Tests.EndToEnd;

/// <summary>
/// Starts sandboxes and points the real SDK clients at them over loopback. Every sandbox gets its own Symtrain API key,
/// so the client-side quota (one per key per process) is never shared between tests.
/// </summary>
public static class E2ESetup
{
    public static Task<TrainingSandbox> StartSandboxAsync(Action<TrainingSandboxOptions>? configure = null)
    {
        var options = new TrainingSandboxOptions
        {
            SymtrainApiKey = "e2e-" + Guid.NewGuid().ToString("N"),
            BulkImportQueueDelay = TimeSpan.FromMilliseconds(100),
            BulkImportProcessingTime = TimeSpan.FromMilliseconds(100),
        };
        configure?.Invoke(options);
        return TrainingSandbox.StartAsync(options);
    }

    public static SymtrainClient Symtrain(TrainingSandbox sandbox, StatusCounter counter, Action<SymtrainClientOptions>? configure = null)
    {
        var options = new SymtrainClientOptions
        {
            BaseAddress = sandbox.BaseAddress,
            ApiKey = sandbox.SymtrainApiKey,
            BulkImportPollInterval = TimeSpan.FromMilliseconds(50),
            BulkImportMaxPollInterval = TimeSpan.FromMilliseconds(200),
            BulkImportWaitTimeout = TimeSpan.FromSeconds(30),
        };
        configure?.Invoke(options);
        return new SymtrainClient(options, counter);
    }

    public static SenarClient Senar(TrainingSandbox sandbox, StatusCounter counter, string? password = null) =>
        new(
            new SenarClientOptions
            {
                BaseAddress = sandbox.BaseAddress,
                Username = sandbox.SenarUsername,
                Password = password ?? sandbox.SenarPassword,
            },
            counter);
}
