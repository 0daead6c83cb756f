using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Symtrain.Client;
using Symtrain.Client.Internal;
using TrainingApis.Core.Http;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="ISymtrainClient"/> and <see cref="SymtrainClient"/> with a named, pipelined HttpClient.</summary>
public static class SymtrainClientServiceCollectionExtensions
{
    /// <summary>The name of the HttpClient the Symtrain client uses, for further configuration through <c>IHttpClientFactory</c>.</summary>
    public const string HttpClientName = "Symtrain.Client";

    /// <summary>
    /// Registers the Symtrain client, configured by <paramref name="configure"/>. The options are validated at start-up
    /// (a bad setting fails naming it); the API key is read per request through <see cref="IOptionsMonitor{TOptions}"/>,
    /// so a rotated key applies without a restart. A registered <see cref="TimeProvider"/> drives all timing.
    /// </summary>
    /// <returns>The HttpClient builder, to add handlers of your own.</returns>
    public static IHttpClientBuilder AddSymtrainClient(this IServiceCollection services, Action<SymtrainClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<SymtrainClientOptions>().Configure(configure).ValidateOnStart();
        return AddCore(services);
    }

    /// <summary>
    /// Registers the Symtrain client, bound to a configuration section (e.g. <c>configuration.GetSection("Symtrain")</c>
    /// with <c>ApiKey</c>, <c>BaseAddress</c>, <c>MaxReportRange</c>, <c>RateLimit:PermitLimit</c>…). Changes to the section
    /// (a rotated key) apply to later requests. Validated at start-up; when the options are invalid and the section does
    /// not exist, the error names the section's path.
    /// </summary>
    /// <returns>The HttpClient builder, to add handlers of your own.</returns>
    public static IHttpClientBuilder AddSymtrainClient(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        var options = services.AddOptions<SymtrainClientOptions>().Bind(section).ValidateOnStart();
        if (section is IConfigurationSection { Path: var path } bound)
        {
            // Otherwise a missing section reads as "ApiKey is required" without saying where it was looked for.
            // Only when the options are invalid: settings given in code after binding an absent section stay valid.
            options.Validate(o => bound.Exists() || o.Validate().Count == 0, $"The configuration section '{path}' is missing or empty: the Symtrain client reads its settings (ApiKey, BaseAddress, …) from it.");
        }

        return AddCore(services);
    }

    private static IHttpClientBuilder AddCore(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SymtrainClientOptions>, SymtrainClientOptionsValidator>());
        var builder = services.AddHttpClient(HttpClientName).AddApiPipeline<SymtrainClientOptions>(
            SymtrainTransport.ServiceName,
            SymtrainDiagnostics.Instance,
            static (_, monitor, _) => new BearerKeyHandler(() => monitor.CurrentValue.ApiKey, SymtrainClientOptions.ApiKeySetting),
            static (monitor, registry) => SymtrainClient.GetQuota(monitor.CurrentValue, registry));
        services.TryAddTransient(static provider =>
        {
            var monitor = provider.GetRequiredService<IOptionsMonitor<SymtrainClientOptions>>();
            _ = monitor.CurrentValue; // Fails here, naming the setting, when the options are invalid.
            var httpClient = provider.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);
            return new SymtrainClient(httpClient, () => monitor.CurrentValue, provider.GetService<TimeProvider>());
        });
        services.TryAddTransient<ISymtrainClient>(static provider => provider.GetRequiredService<SymtrainClient>());
        return builder;
    }
}
