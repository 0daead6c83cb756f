using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Senar.Client;
using Senar.Client.Auth;
using TrainingApis.Core.Http;
using TrainingApis.Core.Registration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the Senar client with <see cref="IHttpClientFactory"/>: unnamed (one account) or by name (one client per
/// Senar account, resolved as a keyed service).
/// </summary>
public static class SenarClientServiceCollectionExtensions
{
    /// <summary>
    /// The name of the unnamed client's <see cref="HttpClient"/> in <see cref="IHttpClientFactory"/>. A named client's
    /// HttpClient is <c>Senar.Client:{name}</c>; the builder an <c>AddSenarClient</c> call returns names it.
    /// </summary>
    public const string HttpClientName = "Senar.Client";

    /// <summary>
    /// Registers <see cref="ISenarClient"/> and <see cref="SenarClient"/> (a singleton that asks
    /// <see cref="IHttpClientFactory"/> for an HttpClient with the Senar pipeline per operation, safe to resolve from the
    /// root provider and to hold for the application's lifetime) configured by <paramref name="configure"/>. The options
    /// are validated when the host starts; a bad setting fails start-up with its name. Calling this twice configures the
    /// same client: the options compose as Microsoft.Extensions.Options does (the last value set wins; a warning is logged
    /// once when two registrations set different credentials); for a second
    /// Senar account use <see cref="AddSenarClient(IServiceCollection, string, Action{SenarClientOptions})"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options (at least <c>Username</c> and <c>Password</c>).</param>
    /// <returns>The builder of the named client, to add handlers or configure the primary handler.</returns>
    public static IHttpClientBuilder AddSenarClient(this IServiceCollection services, Action<SenarClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        Configure(services, Options.Options.DefaultName, configure);
        return AddCore(services, null);
    }

    /// <summary>
    /// Registers <see cref="ISenarClient"/> and <see cref="SenarClient"/> bound to <paramref name="section"/> (e.g. the
    /// <c>Senar</c> section: <c>Username</c>, <c>Password</c>, <c>BaseAddress</c>, <c>Timeout</c>, <c>Retry:MaxRetries</c>,
    /// <c>RateLimit:Enabled</c>, …); when the options are invalid and the section does not exist, the error names the
    /// section's path; otherwise as <see cref="AddSenarClient(IServiceCollection, Action{SenarClientOptions})"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="section">The configuration section holding the options.</param>
    /// <returns>The builder of the named client, to add handlers or configure the primary handler.</returns>
    public static IHttpClientBuilder AddSenarClient(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        BindSection(services, Options.Options.DefaultName, section);
        return AddCore(services, null);
    }

    /// <summary>
    /// Registers a Senar client named <paramref name="name"/> (one per Senar account), configured by
    /// <paramref name="configure"/>: its own named options, HttpClient (<c>Senar.Client:{name}</c>), handler chain, login
    /// and token. Resolve it with <c>provider.GetRequiredKeyedService&lt;ISenarClient&gt;(name)</c> or inject it with
    /// <c>[FromKeyedServices(name)]</c>. Nothing one registration sets changes another's credentials. Registering one name
    /// twice configures one client (the last value set wins; a warning is logged once when the two set different
    /// credentials). Validation failures of this client start with its name.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The client's name, its key among keyed services.</param>
    /// <param name="configure">Sets the options (at least <c>Username</c> and <c>Password</c>).</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    /// <returns>The builder of this client's HttpClient.</returns>
    public static IHttpClientBuilder AddSenarClient(this IServiceCollection services, string name, Action<SenarClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        Configure(services, name, configure);
        return AddCore(services, name);
    }

    /// <summary>
    /// Registers a Senar client named <paramref name="name"/>, bound to <paramref name="section"/>; otherwise as
    /// <see cref="AddSenarClient(IServiceCollection, string, Action{SenarClientOptions})"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The client's name, its key among keyed services.</param>
    /// <param name="section">The configuration section holding the options.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    /// <returns>The builder of this client's HttpClient.</returns>
    public static IHttpClientBuilder AddSenarClient(this IServiceCollection services, string name, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(section);
        BindSection(services, name, section);
        return AddCore(services, name);
    }

    private static void Configure(IServiceCollection services, string optionsName, Action<SenarClientOptions> configure)
    {
        services.AddOptions<SenarClientOptions>(optionsName).Configure(configure);
        Registrations(services).Add(optionsName, "delegate", configure);
    }

    private static void BindSection(IServiceCollection services, string optionsName, IConfiguration section)
    {
        var options = services.AddOptions<SenarClientOptions>(optionsName).Bind(section);
        Registrations(services).Add(optionsName, section is IConfigurationSection { Path: var where } ? $"section '{where}'" : "configuration", o => section.Bind(o));
        if (section is IConfigurationSection { Path: var path } bound)
        {
            // Otherwise a missing section reads as "Username is required" without saying where it was looked for.
            // Only when the options are invalid: settings given in code after binding an absent section stay valid.
            var client = ClientOptionsValidation<SenarClientOptions>.FailurePrefix(SenarDiagnostics.ServiceName, optionsName);
            options.Validate(o => bound.Exists() || o.Validate().Count == 0, $"{client}The configuration section '{path}' is missing or empty: the Senar client reads its settings (Username, Password, BaseAddress, …) from it.");
        }
    }

    // Which registration set what, so that one name registered with two credentials is reported (by the validator).
    private static ClientRegistrations<SenarClientOptions> Registrations(IServiceCollection services) =>
        ClientRegistrations<SenarClientOptions>.Of(services, static o => [o.Username, o.Password]);

    private static IHttpClientBuilder AddCore(IServiceCollection services, string? name)
    {
        var optionsName = name ?? Options.Options.DefaultName;
        var httpClientName = name is null ? HttpClientName : $"{HttpClientName}:{name}";
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SenarClientOptions>, SenarClientOptionsValidator>());
        services.AddOptions<SenarClientOptions>(optionsName).ValidateOnStart();

        var builder = services.AddHttpClient(httpClientName)
            .AddApiPipeline<SenarClientOptions>(
                optionsName,
                SenarDiagnostics.ServiceName,
                SenarDiagnostics.Instance,
                (provider, options, settings) =>
                {
                    // The login goes through this client's own pipeline (retry, timeouts, quota), skipping the token step.
                    var factory = provider.GetRequiredService<IHttpClientFactory>();

                    // Per request: reloaded options with other credentials apply to the next call.
                    return new SenarAuthHandler(SenarAuthHandler.PerOptions(options, current =>
                    {
                        SenarAuthenticator? authenticator = null;
                        var connection = new ApiConnection(() => factory.CreateClient(httpClientName), SenarDiagnostics.ServiceName, settings.Diagnostics, () => authenticator!.Secrets(), settings.TimeProvider);
                        authenticator = new SenarAuthenticator(current, settings.TimeProvider, () => connection, provider.GetKeyedService<ISenarTokenStore>(optionsName), settings.Diagnostics);
                        return authenticator;
                    }), settings);
                },
                static (options, registry) => SenarClient.GetQuota(options, registry));

        // After the pipeline's own configuration: keep any path of the base address for relative request paths.
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
            services.TryAddSingleton<ISenarClient>(static provider => provider.GetRequiredService<SenarClient>());
        }
        else
        {
            services.TryAddKeyedSingleton(name, (provider, _) => Create(provider, optionsName, httpClientName));
            services.TryAddKeyedSingleton<ISenarClient>(name, static (provider, key) => provider.GetRequiredKeyedService<SenarClient>(key));
        }

        return builder;
    }

    private static SenarClient Create(IServiceProvider provider, string optionsName, string httpClientName)
    {
        var monitor = provider.GetRequiredService<IOptionsMonitor<SenarClientOptions>>();
        var factory = provider.GetRequiredService<IHttpClientFactory>();
        // The container's meter when it has one, like the pipeline's: an explicit login is counted where the others are.
        var diagnostics = provider.GetService<IMeterFactory>() is { } meters ? SenarDiagnostics.Instance.WithMeterFactory(meters) : SenarDiagnostics.Instance;
        return new SenarClient(() => factory.CreateClient(httpClientName), () => monitor.Get(optionsName), provider.GetService<TimeProvider>(), provider.GetKeyedService<ISenarTokenStore>(optionsName), diagnostics);
    }
}
