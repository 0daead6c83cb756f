using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Symtrain.Client;
using Symtrain.Client.Internal;
using TrainingApis.Core.Http;
using TrainingApis.Core.Registration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers <see cref="ISymtrainClient"/> and <see cref="SymtrainClient"/> over a named, pipelined HttpClient: unnamed
/// (one client) or by name (one client per Symtrain account, resolved as a keyed service).
/// </summary>
public static class SymtrainClientServiceCollectionExtensions
{
    /// <summary>
    /// The name of the unnamed client's HttpClient, for further configuration through <c>IHttpClientFactory</c>. A named
    /// client's HttpClient is <c>Symtrain.Client:{name}</c>; the builder an <c>AddSymtrainClient</c> call returns names it.
    /// </summary>
    public const string HttpClientName = "Symtrain.Client";

    /// <summary>
    /// Registers the Symtrain client, configured by <paramref name="configure"/>, as a singleton that asks
    /// <c>IHttpClientFactory</c> for an HttpClient per operation (safe to resolve from the root provider and to hold for
    /// the application's lifetime). The options are validated at start-up (a bad setting fails naming it); the API key is
    /// read per request through <see cref="IOptionsMonitor{TOptions}"/>, so a rotated key applies without a restart. A
    /// registered <see cref="TimeProvider"/> drives all timing. Calling this twice configures the same client: the
    /// options compose as Microsoft.Extensions.Options does (the last value set wins; a warning is logged once when two
    /// registrations set different API keys); for a second Symtrain account use
    /// <see cref="AddSymtrainClient(IServiceCollection, string, Action{SymtrainClientOptions})"/>.
    /// </summary>
    /// <returns>The HttpClient builder, to add handlers of your own.</returns>
    public static IHttpClientBuilder AddSymtrainClient(this IServiceCollection services, Action<SymtrainClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        Configure(services, Options.Options.DefaultName, configure);
        return AddCore(services, null);
    }

    /// <summary>
    /// Registers the Symtrain client, bound to a configuration section (e.g. <c>configuration.GetSection("Symtrain")</c>
    /// with <c>ApiKey</c>, <c>BaseAddress</c>, <c>MaxReportRange</c>, <c>RateLimit:PermitLimit</c>…). Changes to the section
    /// (a rotated key) apply to later requests. Validated at start-up; when the options are invalid and the section does not exist, the error names the
    /// section's path. Otherwise as
    /// <see cref="AddSymtrainClient(IServiceCollection, Action{SymtrainClientOptions})"/>.
    /// </summary>
    /// <returns>The HttpClient builder, to add handlers of your own.</returns>
    public static IHttpClientBuilder AddSymtrainClient(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        BindSection(services, Options.Options.DefaultName, section);
        return AddCore(services, null);
    }

    /// <summary>
    /// Registers a Symtrain client named <paramref name="name"/> (one per Symtrain account), configured by
    /// <paramref name="configure"/>: its own named options, HttpClient (<c>Symtrain.Client:{name}</c>), handler chain,
    /// API key and quota. Resolve it with <c>provider.GetRequiredKeyedService&lt;ISymtrainClient&gt;(name)</c> or inject
    /// it with <c>[FromKeyedServices(name)]</c>. Nothing one registration sets changes another's credentials. Registering
    /// one name twice configures one client (the last value set wins; a warning is logged once when the two set different
    /// API keys). Validation failures of this client start with its name.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    /// <returns>The builder of this client's HttpClient, to add handlers of your own.</returns>
    public static IHttpClientBuilder AddSymtrainClient(this IServiceCollection services, string name, Action<SymtrainClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        Configure(services, name, configure);
        return AddCore(services, name);
    }

    /// <summary>
    /// Registers a Symtrain client named <paramref name="name"/>, bound to a configuration section; otherwise as
    /// <see cref="AddSymtrainClient(IServiceCollection, string, Action{SymtrainClientOptions})"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    /// <returns>The builder of this client's HttpClient, to add handlers of your own.</returns>
    public static IHttpClientBuilder AddSymtrainClient(this IServiceCollection services, string name, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(section);
        BindSection(services, name, section);
        return AddCore(services, name);
    }

    private static void Configure(IServiceCollection services, string optionsName, Action<SymtrainClientOptions> configure)
    {
        services.AddOptions<SymtrainClientOptions>(optionsName).Configure(configure);
        Registrations(services).Add(optionsName, "delegate", configure);
    }

    private static void BindSection(IServiceCollection services, string optionsName, IConfiguration section)
    {
        var options = services.AddOptions<SymtrainClientOptions>(optionsName).Bind(section);
        Registrations(services).Add(optionsName, section is IConfigurationSection { Path: var where } ? $"section '{where}'" : "configuration", o => section.Bind(o));
        if (section is IConfigurationSection { Path: var path } bound)
        {
            // Otherwise a missing section reads as "ApiKey is required" without saying where it was looked for.
            // Only when the options are invalid: settings given in code after binding an absent section stay valid.
            var client = ClientOptionsValidation<SymtrainClientOptions>.FailurePrefix(SymtrainTransport.ServiceName, optionsName);
            options.Validate(o => bound.Exists() || o.Validate().Count == 0, $"{client}The configuration section '{path}' is missing or empty: the Symtrain client reads its settings (ApiKey, BaseAddress, …) from it.");
        }
    }

    // Which registration set what, so that one name registered with two credentials is reported (by the validator).
    private static ClientRegistrations<SymtrainClientOptions> Registrations(IServiceCollection services) =>
        ClientRegistrations<SymtrainClientOptions>.Of(services, static o => [o.ApiKey]);

    private static IHttpClientBuilder AddCore(IServiceCollection services, string? name)
    {
        var optionsName = name ?? Options.Options.DefaultName;
        var httpClientName = name is null ? HttpClientName : $"{HttpClientName}:{name}";
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SymtrainClientOptions>, SymtrainClientOptionsValidator>());
        services.AddOptions<SymtrainClientOptions>(optionsName).ValidateOnStart();
        var builder = services.AddHttpClient(httpClientName).AddApiPipeline<SymtrainClientOptions>(
            optionsName,
            SymtrainTransport.ServiceName,
            SymtrainDiagnostics.Instance,
            static (_, options, _) => new BearerKeyHandler(() => options().ApiKey, SymtrainClientOptions.ApiKeySetting),
            static (options, registry) => SymtrainClient.GetQuota(options, registry));

        // After the pipeline's own configuration: keep any path of the base address for the relative request paths.
        builder.ConfigureHttpClient(static client =>
        {
            if (client.BaseAddress is { } address)
            {
                client.BaseAddress = BaseAddressRules.WithTrailingSlash(address);
            }
        });

        // A singleton per name: it holds no HttpClient, it asks the factory for one per operation.
        if (name is null)
        {
            services.TryAddSingleton(provider => Create(provider, optionsName, httpClientName));
            services.TryAddSingleton<ISymtrainClient>(static provider => provider.GetRequiredService<SymtrainClient>());
        }
        else
        {
            services.TryAddKeyedSingleton(name, (provider, _) => Create(provider, optionsName, httpClientName));
            services.TryAddKeyedSingleton<ISymtrainClient>(name, static (provider, key) => provider.GetRequiredKeyedService<SymtrainClient>(key));
        }

        return builder;
    }

    private static SymtrainClient Create(IServiceProvider provider, string optionsName, string httpClientName)
    {
        var monitor = provider.GetRequiredService<IOptionsMonitor<SymtrainClientOptions>>();
        _ = monitor.Get(optionsName); // Fails here, naming the setting, when the options are invalid.
        var factory = provider.GetRequiredService<IHttpClientFactory>();
        return new SymtrainClient(() => factory.CreateClient(httpClientName), () => monitor.Get(optionsName), provider.GetService<TimeProvider>());
    }
}
