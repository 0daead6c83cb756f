using Symtrain.Client;
using TrainingApis.Sandbox;

namespace Samples.Shared;

/// <summary>
/// The Symtrain service a sample talks to: the real one when <c>SYMTRAIN_API_KEY</c> is set (and
/// <c>SYMTRAIN_BASE_ADDRESS</c>, optionally), otherwise an embedded sandbox started for the run and stopped with it.
/// </summary>
internal sealed class SymtrainBackend : IAsyncDisposable
{
    private SymtrainBackend(SymtrainClient client, TrainingSandbox? sandbox, string description)
    {
        Client = client;
        Sandbox = sandbox;
        Description = description;
    }

    public SymtrainClient Client { get; }

    /// <summary>The embedded sandbox, or null on the real service.</summary>
    public TrainingSandbox? Sandbox { get; }

    public string Description { get; }

    /// <summary>The organization to use: the sandbox's, or <c>SYMTRAIN_ORGANIZATION_ID</c> on the real service.</summary>
    public string? OrganizationId => Sandbox?.OrganizationId ?? Environment.GetEnvironmentVariable("SYMTRAIN_ORGANIZATION_ID");

    /// <summary>True when <c>SYMTRAIN_API_KEY</c> is set: <see cref="ConnectAsync"/> will use the real service.</summary>
    public static bool UsesRealService => Environment.GetEnvironmentVariable("SYMTRAIN_API_KEY") is { Length: > 0 };

    /// <summary>Connects; <paramref name="sandboxOptions"/> and <paramref name="clientOptions"/> adjust the sandbox case.</summary>
    public static async Task<SymtrainBackend> ConnectAsync(
        Action<TrainingSandboxOptions>? sandboxOptions = null,
        Action<SymtrainClientOptions>? clientOptions = null,
        CancellationToken cancellationToken = default)
    {
        if (Environment.GetEnvironmentVariable("SYMTRAIN_API_KEY") is { Length: > 0 } apiKey)
        {
            var options = new SymtrainClientOptions { ApiKey = apiKey };
            if (Environment.GetEnvironmentVariable("SYMTRAIN_BASE_ADDRESS") is { Length: > 0 } address)
            {
                options.BaseAddress = new Uri(address);
            }

            return new SymtrainBackend(new SymtrainClient(options), null, $"Symtrain at {options.BaseAddress} (SYMTRAIN_API_KEY is set)");
        }

        var settings = new TrainingSandboxOptions();
        sandboxOptions?.Invoke(settings);
        var sandbox = await TrainingSandbox.StartAsync(settings, cancellationToken);
        var sandboxClient = new SymtrainClientOptions { BaseAddress = sandbox.BaseAddress, ApiKey = sandbox.SymtrainApiKey };
        clientOptions?.Invoke(sandboxClient);
        return new SymtrainBackend(new SymtrainClient(sandboxClient), sandbox, $"the embedded sandbox at {sandbox.BaseAddress} (no SYMTRAIN_API_KEY set)");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (Sandbox is not null)
        {
            await Sandbox.DisposeAsync();
        }
    }
}
