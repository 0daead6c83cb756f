using System.Threading.RateLimiting;
using TrainingApis.Core;
using TrainingApis.Core.RateLimiting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Puts a user's own <see cref="RateLimiter"/> at the quota's place in a TrainingApis client's pipeline.</summary>
public static class QuotaLimiterHttpClientBuilderExtensions
{
    /// <summary>
    /// Replaces the built-in quota of the client named <see cref="IHttpClientBuilder.Name"/> (the builder an
    /// <c>AddSymtrainClient</c> or <c>AddSenarClient</c> call returns) with the limiter <paramref name="factory"/> creates.
    /// The pipeline takes one permit of it for every attempt — retries and replays after a 401 included — between
    /// authentication and the attempt timeout, and disposes the lease when the attempt's response has been read.
    /// </summary>
    /// <remarks>
    /// <para>
    /// <paramref name="factory"/> runs once per client name, the first time the factory builds that client's handlers;
    /// the limiter is a singleton of the container (disposed with it) and survives <c>IHttpClientFactory</c>'s handler
    /// rotation. Calling this again for the same name replaces the factory.
    /// </para>
    /// <para>
    /// A lease that is not acquired fails the call with <see cref="ApiRateLimitException"/> (<c>IsLocal</c> true,
    /// <c>RetryAfter</c> from the lease's <see cref="MetadataName.RetryAfter"/> when present) without sending anything.
    /// To keep the SDK's quota and add a limit of your own, chain them:
    /// <c>RateLimiter.CreateChained(new QuotaLimiter(100, TimeSpan.FromMinutes(5), 1000, time), yourLimiter)</c>.
    /// </para>
    /// </remarks>
    /// <param name="builder">The client's HttpClient builder.</param>
    /// <param name="factory">Creates the limiter from the container's services; must not return null.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="factory"/> is null.</exception>
    public static IHttpClientBuilder UseQuotaLimiter(this IHttpClientBuilder builder, Func<IServiceProvider, RateLimiter> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        var name = builder.Name;
        builder.Services.AddKeyedSingleton<RateLimiter>(
            new QuotaLimiterServiceKey(name),
            (services, _) => factory(services)
                ?? throw new InvalidOperationException($"The factory given to UseQuotaLimiter for the HttpClient '{name}' returned null."));
        return builder;
    }

    /// <summary>
    /// The quota of the client's chain: the limiter <see cref="UseQuotaLimiter"/> registered for
    /// <paramref name="httpClientName"/>, else <paramref name="builtIn"/>. Looked up when the chain is built.
    /// </summary>
    internal static Func<RateLimiter?> SelectQuota(IServiceProvider services, string httpClientName, Func<RateLimiter?> builtIn)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetKeyedService<RateLimiter>(new QuotaLimiterServiceKey(httpClientName)) is { } own ? () => own : builtIn;
    }
}
