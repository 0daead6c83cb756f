using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TrainingApis.Core.Diagnostics;
using TrainingApis.Core.RateLimiting;

namespace TrainingApis.Core.Http;

/// <summary>Wires the TrainingApis pipeline into an <see cref="IHttpClientBuilder"/> (used by the clients' <c>Add…Client</c> methods).</summary>
public static class ApiHttpClientBuilderExtensions
{
    /// <summary>
    /// Sets the base address and an infinite <see cref="HttpClient.Timeout"/> (the pipeline owns timeouts) from
    /// <typeparamref name="TOptions"/>, and adds the pipeline's handlers: resilience, authentication, quota, attempt.
    /// The factory's request logs redact every header value but the allow-listed ones (never <c>Authorization</c>).
    /// The quota limiter comes from a registered <see cref="QuotaLimiterRegistry"/>, else <see cref="QuotaLimiterRegistry.For"/> the registered clock, so it
    /// survives handler rotation; a registered <see cref="TimeProvider"/> drives all timing.
    /// </summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="serviceName">The service named in messages, e.g. <c>Symtrain</c>.</param>
    /// <param name="diagnostics">The package's source and meter.</param>
    /// <param name="authentication">Creates the authentication handler of a chain, or returns null for none.</param>
    /// <param name="quota">Returns the limiter of the current credential, read per request; null for no quota.</param>
    public static IHttpClientBuilder AddApiPipeline<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(
        this IHttpClientBuilder builder,
        string serviceName,
        ApiDiagnostics diagnostics,
        Func<IServiceProvider, IOptionsMonitor<TOptions>, ApiPipelineSettings, DelegatingHandler?> authentication,
        Func<IOptionsMonitor<TOptions>, QuotaLimiterRegistry, QuotaLimiter?> quota)
        where TOptions : ApiClientOptions
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(authentication);
        ArgumentNullException.ThrowIfNull(quota);
        // The factory's own request logs (category System.Net.Http.HttpClient.*) show allow-listed header values only.
        builder.RedactLoggedHeaders(static name => !HeaderAllowList.IsAllowedUnmasked(name));
        builder.ConfigurePrimaryHttpMessageHandler(static (handler, _) => RedirectHandler.DisableAutomaticRedirects(handler));
        builder.ConfigureHttpClient((services, client) =>
        {
            client.BaseAddress = services.GetRequiredService<IOptionsMonitor<TOptions>>().CurrentValue.BaseAddress;
            client.Timeout = Timeout.InfiniteTimeSpan;
        });

        // One settings object per handler chain; the chain is rebuilt on each handler rotation with fresh options.
        ApiPipelineSettings Settings(IServiceProvider services)
        {
            var monitor = services.GetRequiredService<IOptionsMonitor<TOptions>>();
            var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
            var registry = services.GetService<QuotaLimiterRegistry>() ?? QuotaLimiterRegistry.For(time);
            return new ApiPipelineSettings
            {
                ServiceName = serviceName,
                Options = monitor.CurrentValue,
                TimeProvider = time,
                Logger = services.GetService<ILoggerFactory>()?.CreateLogger(diagnostics.Name) ?? NullLogger.Instance,
                Diagnostics = diagnostics,
                Quota = QuotaLimiterHttpClientBuilderExtensions.SelectQuota(services, builder.Name, () => quota(monitor, registry)),
            };
        }

        builder.AddHttpMessageHandler(services => new ResilienceHandler(Settings(services)));
        builder.AddHttpMessageHandler(services =>
            authentication(services, services.GetRequiredService<IOptionsMonitor<TOptions>>(), Settings(services)) ?? new PassThroughHandler());
        builder.AddHttpMessageHandler(services => new QuotaHandler(Settings(services)));
        builder.AddHttpMessageHandler(services => new AttemptHandler(Settings(services)));
        builder.AddHttpMessageHandler(services => new RedirectHandler(Settings(services)));
        return builder;
    }

    private sealed class PassThroughHandler : DelegatingHandler;
}
