using Symtrain.Client;
using TrainingApis.Cli.Output;

namespace TrainingApis.Cli.Hosting;

/// <summary>A Symtrain client for one command: against the embedded sandbox (<c>--sandbox</c>) or the configured service.</summary>
internal sealed class SymtrainConnection : IAsyncDisposable
{
    private SymtrainConnection(SymtrainClient client, SymtrainClientOptions options, QuotaMonitor quota, SandboxLease? sandbox, string? organizationId)
    {
        Client = client;
        Options = options;
        Quota = quota;
        Sandbox = sandbox;
        OrganizationId = organizationId;
    }

    public SymtrainClient Client { get; }

    public SymtrainClientOptions Options { get; }

    public QuotaMonitor Quota { get; }

    /// <summary>The sandbox, with <c>--sandbox</c>.</summary>
    public SandboxLease? Sandbox { get; }

    /// <summary>The default organization: the sandbox's, or the configured one; null when neither.</summary>
    public string? OrganizationId { get; }

    /// <summary>What the command talks to, for status lines (no secret).</summary>
    public string Description => Sandbox is null ? $"Symtrain at {Options.BaseAddress}" : $"the embedded sandbox at {Options.BaseAddress}";

    /// <summary>Connects to the sandbox or to the configured service.</summary>
    /// <exception cref="CliException">No API key is configured and none can be asked for (exit code 2).</exception>
    public static async Task<SymtrainConnection> OpenAsync(CliHost host, bool sandbox, CancellationToken cancellationToken)
    {
        SandboxLease? lease = null;
        SymtrainClientOptions options;
        string? organization;
        if (sandbox)
        {
            lease = await host.StartSandbox(CliSandbox.Options(), cancellationToken).ConfigureAwait(false);
            var settings = lease.Sandbox.Options;
            options = new SymtrainClientOptions
            {
                BaseAddress = lease.Sandbox.BaseAddress,
                ApiKey = lease.Sandbox.SymtrainApiKey,
                MaxReportRange = TimeSpan.FromDays(settings.MaxReportRangeDays),
            };

            // The client's quota is the sandbox's, so a sandbox without a quota is not slowed down by the real one.
            options.RateLimit.Enabled = settings.SymtrainQuotaEnabled;
            options.RateLimit.PermitLimit = settings.SymtrainQuotaLimit;
            options.RateLimit.Window = settings.SymtrainQuotaWindow;
            organization = lease.Sandbox.OrganizationId;
        }
        else
        {
            var settings = CliSettings.Load(host);
            options = new SymtrainClientOptions();
            if (settings.Get("SYMTRAIN_BASE_ADDRESS", "symtrain:baseAddress") is { } address)
            {
                options.BaseAddress = Uris.Parse(address, "SYMTRAIN_BASE_ADDRESS");
            }

            options.ApiKey = settings.Get("SYMTRAIN_API_KEY", "symtrain:apiKey")
                ?? host.ReadSecret?.Invoke("Symtrain API key")
                ?? throw CliException.Usage($"No Symtrain API key: {settings.Sources("SYMTRAIN_API_KEY", "symtrain:apiKey")}. Or add --sandbox to try the command on seeded data.");
            organization = settings.Get("SYMTRAIN_ORGANIZATION_ID", "symtrain:organizationId");
        }

        host.ConfigureClient?.Invoke(options);
        // The monitor owns the transport: disposing it disposes both.
        var quota = new QuotaMonitor(host.CreateTransport(), options.RateLimit.PermitLimit, options.RateLimit.Window, options.RateLimit.Enabled, TimeProvider.System);
        try
        {
            return new SymtrainConnection(new SymtrainClient(options, quota), options, quota, lease, organization);
        }
        catch (Exception ex)
        {
            quota.Dispose();
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

    /// <summary>The organization to use: the option, else the default.</summary>
    /// <exception cref="CliException">Neither is set (exit code 2).</exception>
    public string RequireOrganization(string? option) =>
        option ?? OrganizationId ?? throw CliException.Usage("No organization: pass --organization <id>, or set SYMTRAIN_ORGANIZATION_ID (or symtrain.organizationId in trainingapis.json).");

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Quota.Dispose();
        if (Sandbox is not null)
        {
            await Sandbox.DisposeAsync().ConfigureAwait(false);
        }
    }
}
