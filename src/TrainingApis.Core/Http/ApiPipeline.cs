using Microsoft.Extensions.Http.Resilience;

namespace TrainingApis.Core.Http;

/// <summary>
/// Builds the handler chain of a hand-built client, outer to inner: the SDK's call handler (exceptions, the call's
/// budget) → the library's <see cref="ResilienceHandler"/> with the <c>call</c> pipeline (total timeout, retry) →
/// authentication → quota (<see cref="QuotaHandler"/>) → the attempt timeout, attempts, redirects and buffering
/// (<see cref="AttemptHandler"/>) → the primary handler. Dependency injection builds the same chain with <c>AddResilienceHandler</c> (<see cref="ApiHttpClientBuilderExtensions"/>).
/// </summary>
/// <remarks>
/// Authentication sits above the quota so that a replay after a 401 takes a permit of its own, like every attempt.
/// </remarks>
internal static class ApiPipeline
{
    /// <summary>The delegating handlers, outer first, for a hand-built chain.</summary>
    public static IReadOnlyList<DelegatingHandler> CreateHandlers(ApiPipelineSettings settings, DelegatingHandler? authentication)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var handlers = new List<DelegatingHandler>(5)
        {
            new CallHandler(settings),
            new ResilienceHandler(ApiResilience.CreateCallPipeline(settings)),
        };
        if (authentication is not null)
        {
            handlers.Add(authentication);
        }

        handlers.Add(new QuotaHandler(settings));
        handlers.Add(new AttemptHandler(settings));
        return handlers;
    }

    /// <summary>Links the handlers of <see cref="CreateHandlers"/> above <paramref name="primary"/> and returns the outermost.</summary>
    public static HttpMessageHandler CreateChain(HttpMessageHandler primary, ApiPipelineSettings settings, DelegatingHandler? authentication)
    {
        ArgumentNullException.ThrowIfNull(primary);
        HttpMessageHandler inner = primary;
        var handlers = CreateHandlers(settings, authentication);
        for (var i = handlers.Count - 1; i >= 0; i--)
        {
            handlers[i].InnerHandler = inner;
            inner = handlers[i];
        }

        return inner;
    }

    /// <summary>
    /// The primary handler used when none is given, by hand-built clients and through dependency injection alike:
    /// pooled connections recycled every few minutes (DNS changes) and automatic decompression (gzip, deflate, brotli).
    /// </summary>
    public static HttpMessageHandler CreatePrimaryHandler() => new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = System.Net.DecompressionMethods.All,
        AllowAutoRedirect = false, // Redirects decides: same-origin 307/308 only, credentials kept.
    };
}
