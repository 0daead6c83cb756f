using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Senar.Client;
using Senar.Client.Auth;
using TrainingApis.Core.Http;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Senar client with <see cref="IHttpClientFactory"/>.</summary>
public static class SenarClientServiceCollectionExtensions
{
    /// <summary>The name of the Senar <see cref="HttpClient"/> in <see cref="IHttpClientFactory"/>.</summary>
    public const string HttpClientName = "Senar.Client";

    /// <summary>
    /// Registers <see cref="ISenarClient"/> and <see cref="SenarClient"/> (transient, over a named, pooled
    /// <see cref="HttpClient"/> with the Senar pipeline) configured by <paramref name="configure"/>. The options are
    /// validated when the host starts; a bad setting fails start-up with its name.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options (at least <c>Username</c> and <c>Password</c>).</param>
    /// <returns>The builder of the named client, to add handlers or configure the primary handler.</returns>
    public static IHttpClientBuilder AddSenarClient(this IServiceCollection services, Action<SenarClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<SenarClientOptions>().Configure(configure);
        return AddCore(services);
    }

    /// <summary>
    /// Registers <see cref="ISenarClient"/> and <see cref="SenarClient"/> (transient, over a named, pooled
    /// <see cref="HttpClient"/> with the Senar pipeline) bound to <paramref name="section"/> (e.g. the <c>Senar</c>
    /// section: <c>Username</c>, <c>Password</c>, <c>BaseAddress</c>, <c>Timeout</c>, <c>Retry:MaxRetries</c>,
    /// <c>RateLimit:Enabled</c>, …). The options are validated when the host starts; a bad setting fails start-up with its name.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="section">The configuration section holding the options.</param>
    /// <returns>The builder of the named client, to add handlers or configure the primary handler.</returns>
    public static IHttpClientBuilder AddSenarClient(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        services.AddOptions<SenarClientOptions>().Bind(section);
        return AddCore(services);
    }

    private static IHttpClientBuilder AddCore(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SenarClientOptions>, SenarClientOptionsValidator>());
        services.AddOptions<SenarClientOptions>().ValidateOnStart();

        var builder = services.AddHttpClient(HttpClientName)
            .AddApiPipeline<SenarClientOptions>(
                SenarDiagnostics.ServiceName,
                SenarDiagnostics.Instance,
                static (provider, monitor, settings) =>
                {
                    var factory = provider.GetRequiredService<IHttpClientFactory>();

                    // Per request: reloaded options with other credentials apply to the next call.
                    return new SenarAuthHandler(SenarAuthHandler.PerOptions(() => monitor.CurrentValue, options =>
                    {
                        SenarAuthenticator? authenticator = null;
                        authenticator = new SenarAuthenticator(
                            options,
                            settings.TimeProvider,
                            () => new ApiConnection(factory.CreateClient(HttpClientName), SenarDiagnostics.ServiceName, SenarDiagnostics.Instance, authenticator!.Secrets, settings.TimeProvider));
                        return authenticator;
                    }), settings);
                },
                static (monitor, registry) => SenarClient.GetQuota(monitor.CurrentValue, registry));

        // After the pipeline's own configuration: keep any path of the base address for relative request paths.
        builder.ConfigureHttpClient(static client =>
        {
            if (client.BaseAddress is { } address)
            {
                client.BaseAddress = SenarClientOptions.NormalizeBaseAddress(address);
            }
        });

        services.TryAddTransient(static provider => new SenarClient(
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            provider.GetRequiredService<IOptionsMonitor<SenarClientOptions>>().CurrentValue,
            provider.GetService<TimeProvider>()));
        services.TryAddTransient<ISenarClient>(static provider => provider.GetRequiredService<SenarClient>());
        return builder;
    }
}
