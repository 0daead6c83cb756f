using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using TrainingApis.Core.Diagnostics;
using TrainingApis.Core.RateLimiting;

namespace TrainingApis.Core.Http;

/// <summary>Wires the TrainingApis pipeline into an <see cref="IHttpClientBuilder"/> (used by the clients' <c>Add…Client</c> methods).</summary>
internal static class ApiHttpClientBuilderExtensions
{
    /// <summary>
    /// Builds the SDK's pipeline on the named HttpClient of <paramref name="builder"/> from the named options
    /// <paramref name="optionsName"/> of <typeparamref name="TOptions"/>: base address, an infinite
    /// <see cref="HttpClient.Timeout"/> (the pipeline owns timeouts), the SDK's primary handler unless another one is
    /// configured, and outer to inner: the call handler, the library's resilience handler <c>{name}-call</c> (total
    /// timeout, retry), authentication, quota, the attempt handler (attempt timeout, redirects). Resilience handlers
    /// added to every client (<c>ConfigureHttpClientDefaults</c>) are removed from this one, so they never stack on the
    /// SDK's. So are the factory's loggers (<see cref="Microsoft.Extensions.Http.Logging.IHttpClientLogger"/>: its
    /// default ones and any added to every client), which may write header values, <c>Authorization</c> included; one
    /// added to the returned builder afterwards is kept. The strategies' options are the named
    /// <see cref="HttpTimeoutStrategyOptions"/> and <see cref="HttpRetryStrategyOptions"/> of the pipeline's name
    /// (<see cref="ApiResilience.GetPipelineName"/>), set from <typeparamref name="TOptions"/> first; a change to either
    /// rebuilds the pipeline.
    /// A registered <see cref="TimeProvider"/> drives all timing; a registered <see cref="IMeterFactory"/> makes the meters.
    /// </summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="optionsName">The name of the client's options (<see cref="Options.DefaultName"/> for the unnamed client).</param>
    /// <param name="serviceName">The service named in messages, e.g. <c>Symtrain</c>.</param>
    /// <param name="diagnostics">The package's source and meter.</param>
    /// <param name="authentication">Creates the authentication handler of a chain from the services, the current options and the chain's settings, or returns null for none.</param>
    /// <param name="quota">Returns the limiter of the given options' credential, read per request; null for no quota.</param>
    public static IHttpClientBuilder AddApiPipeline<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(
        this IHttpClientBuilder builder,
        string optionsName,
        string serviceName,
        ApiDiagnostics diagnostics,
        Func<IServiceProvider, Func<TOptions>, ApiPipelineSettings, DelegatingHandler?> authentication,
        Func<TOptions, QuotaLimiterRegistry, QuotaLimiter?> quota)
        where TOptions : ApiClientOptions
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(optionsName);
        ArgumentNullException.ThrowIfNull(diagnostics);
        ArgumentNullException.ThrowIfNull(authentication);
        ArgumentNullException.ThrowIfNull(quota);
        var services = builder.Services;

        // No IHttpClientLogger on the SDK's clients, the factory's default ones included (their structured state holds
        // every header's raw value, Authorization too) and any added to every client (ConfigureHttpClientDefaults: those
        // configurations run before this one whatever the order of registration). The SDK logs each attempt itself (Log).
        builder.RemoveAllLoggers();

        // Should a user add the default loggers back (AddDefaultLogger), their messages show allow-listed values only.
        builder.RedactLoggedHeaders(static name => !HeaderAllowList.IsAllowedUnmasked(name));
        builder.ConfigurePrimaryHttpMessageHandler(static (handler, _) => Redirects.DisableAutomaticRedirects(handler));
        builder.ConfigureHttpClient((provider, client) =>
        {
            client.BaseAddress = provider.GetRequiredService<IOptionsMonitor<TOptions>>().Get(optionsName).BaseAddress;
            client.Timeout = Timeout.InfiniteTimeSpan;
        });

        // First in the list, so that a primary handler configured for every client or for this one wins over it.
        services.Configure<HttpClientFactoryOptions>(builder.Name, static options =>
            options.HttpMessageHandlerBuilderActions.Insert(0, static handlers => handlers.PrimaryHandler = ApiPipeline.CreatePrimaryHandler()));

        // Per handler chain (rebuilt on each rotation) and per pipeline build; the options themselves are read per call.
        // The quota is looked up only for the quota handler, after the resilience handler: a limiter the container
        // creates (UseQuotaLimiter) is then disposed before Polly's registries, which wait for calls in flight, so the
        // calls still waiting for a permit end at once when the container is disposed instead of after Polly's 30 s.
        ApiPipelineSettings Settings(IServiceProvider provider, bool withQuota = false)
        {
            var monitor = provider.GetRequiredService<IOptionsMonitor<TOptions>>();
            var time = provider.GetService<TimeProvider>() ?? TimeProvider.System;
            var registry = provider.GetService<QuotaLimiterRegistry>() ?? QuotaLimiterRegistry.For(time);
            return new ApiPipelineSettings
            {
                ServiceName = serviceName,
                Options = monitor.Get(optionsName),
                CurrentOptions = () => monitor.Get(optionsName), // Per call: a reload applies before the chain rotates.
                TimeProvider = time,
                Logger = provider.GetService<ILoggerFactory>()?.CreateLogger(diagnostics.Name) ?? NullLogger.Instance,
                Diagnostics = provider.GetService<IMeterFactory>() is { } meters ? diagnostics.WithMeterFactory(meters) : diagnostics,
                Quota = withQuota ? QuotaLimiterHttpClientBuilderExtensions.SelectQuota(provider, builder.Name, () => quota(monitor.Get(optionsName), registry)) : null,
            };
        }

        var callName = ApiResilience.GetPipelineName(builder.Name, ApiResilience.CallPipelineName);
        ConfigureFirst<HttpTimeoutStrategyOptions>(services, callName, (options, provider) => ApiResilience.ConfigureTotalTimeout(options, Settings(provider)));
        ConfigureFirst<HttpRetryStrategyOptions>(services, callName, (options, provider) => ApiResilience.ConfigureRetry(options, Settings(provider)));

        // Experimental in the library (EXTEXP0001), and the only way to keep application-wide handlers off this client.
#pragma warning disable EXTEXP0001
        builder.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.AddHttpMessageHandler(provider => new CallHandler(Settings(provider)));
        builder.AddResilienceHandler(ApiResilience.CallPipelineName, (pipeline, context) =>
        {
            var provider = context.ServiceProvider;
            pipeline.TimeProvider = provider.GetService<TimeProvider>() ?? TimeProvider.System;
            context.EnableReloads<TOptions>(optionsName);
            context.EnableReloads<HttpTimeoutStrategyOptions>(callName);
            context.EnableReloads<HttpRetryStrategyOptions>(callName);

            // From the factory, not the monitor's cache: a reload of TOptions must reach the SDK's defaults.
            ApiResilience.AddCallStrategies(pipeline, Create<HttpTimeoutStrategyOptions>(provider, callName), Create<HttpRetryStrategyOptions>(provider, callName), Settings(provider));
        });
        builder.AddHttpMessageHandler(provider =>
        {
            var monitor = provider.GetRequiredService<IOptionsMonitor<TOptions>>();
            return authentication(provider, () => monitor.Get(optionsName), Settings(provider)) ?? new PassThroughHandler();
        });
        builder.AddHttpMessageHandler(provider => new QuotaHandler(Settings(provider, withQuota: true)));
        builder.AddHttpMessageHandler(provider => new AttemptHandler(Settings(provider)));
        return builder;
    }

    /// <summary>
    /// Sets the SDK's defaults before any other configuration of the named options, whenever that was registered, so that
    /// a user's <c>Configure</c> always applies on top of them.
    /// </summary>
    private static void ConfigureFirst<TStrategyOptions>(IServiceCollection services, string name, Action<TStrategyOptions, IServiceProvider> configure)
        where TStrategyOptions : class =>
        services.Insert(0, ServiceDescriptor.Transient<IConfigureOptions<TStrategyOptions>>(provider => new ConfigureNamedOptions<TStrategyOptions, IServiceProvider>(name, provider, configure)));

    private static T Create<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(IServiceProvider provider, string name)
        where T : class =>
        provider.GetRequiredService<IOptionsFactory<T>>().Create(name);

    private sealed class PassThroughHandler : DelegatingHandler;
}
