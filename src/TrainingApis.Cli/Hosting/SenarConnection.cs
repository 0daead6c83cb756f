using Senar.Client;

namespace TrainingApis.Cli.Hosting;

/// <summary>A Senar client for one command: against the embedded sandbox (<c>--sandbox</c>) or the configured service.</summary>
internal sealed class SenarConnection : IAsyncDisposable
{
    private readonly HttpMessageHandler _transport;

    private SenarConnection(SenarClient client, SenarClientOptions options, HttpMessageHandler transport, SandboxLease? sandbox)
    {
        Client = client;
        Options = options;
        _transport = transport;
        Sandbox = sandbox;
    }

    public SenarClient Client { get; }

    public SenarClientOptions Options { get; }

    public SandboxLease? Sandbox { get; }

    public string Description => Sandbox is null ? $"Senar at {Options.BaseAddress}" : $"the embedded sandbox at {Options.BaseAddress}";

    /// <summary>Connects to the sandbox or to the configured service.</summary>
    /// <exception cref="CliException">No credentials are configured and none can be asked for (exit code 2).</exception>
    public static async Task<SenarConnection> OpenAsync(CliHost host, bool sandbox, CancellationToken cancellationToken)
    {
        SandboxLease? lease = null;
        SenarClientOptions options;
        if (sandbox)
        {
            lease = await host.StartSandbox(CliSandbox.Options(), cancellationToken).ConfigureAwait(false);
            options = new SenarClientOptions
            {
                BaseAddress = lease.Sandbox.BaseAddress,
                Username = lease.Sandbox.SenarUsername,
                Password = lease.Sandbox.SenarPassword,
            };
        }
        else
        {
            var settings = CliSettings.Load(host);
            options = new SenarClientOptions();
            if (settings.Get("SENAR_BASE_ADDRESS", "senar:baseAddress") is { } address)
            {
                options.BaseAddress = Uris.Parse(address, "SENAR_BASE_ADDRESS");
            }

            options.Username = settings.Get("SENAR_USERNAME", "senar:username")
                ?? host.ReadSecret?.Invoke("Senar user name")
                ?? throw CliException.Usage($"No Senar user name: {settings.Sources("SENAR_USERNAME", "senar:username")}. Or add --sandbox to try the command on seeded data.");
            options.Password = settings.Get("SENAR_PASSWORD", "senar:password")
                ?? host.ReadSecret?.Invoke("Senar password")
                ?? throw CliException.Usage($"No Senar password: {settings.Sources("SENAR_PASSWORD", "senar:password")}.");
        }

        host.ConfigureClient?.Invoke(options);
        var transport = host.CreateTransport();
        try
        {
            return new SenarConnection(new SenarClient(options, transport), options, transport, lease);
        }
        catch (Exception ex)
        {
            transport.Dispose();
            if (lease is not null)
            {
                await lease.DisposeAsync().ConfigureAwait(false);
            }

            // An invalid setting (an http:// address that is not loopback, …) is a configuration problem: usage.
            if (ex is ArgumentException)
            {
                throw CliException.Usage(SettingNames.ForAdministrators((ArgumentException)ex));
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        _transport.Dispose();
        if (Sandbox is not null)
        {
            await Sandbox.DisposeAsync().ConfigureAwait(false);
        }
    }
}
