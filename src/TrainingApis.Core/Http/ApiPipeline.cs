namespace TrainingApis.Core.Http;

/// <summary>
/// Builds a client's handler chain, outer to inner: total timeout and retry (<see cref="ResilienceHandler"/>) →
/// authentication → quota (<see cref="QuotaHandler"/>) → attempt timeout and buffering (<see cref="AttemptHandler"/>) →
/// redirects (<see cref="RedirectHandler"/>) → the primary handler.
/// </summary>
/// <remarks>
/// Authentication sits above the quota so that a replay after a 401 takes a permit of its own, like every attempt.
/// </remarks>
public static class ApiPipeline
{
    /// <summary>The delegating handlers, outer first, for <c>IHttpClientBuilder.AddHttpMessageHandler</c> or a hand-built chain.</summary>
    public static IReadOnlyList<DelegatingHandler> CreateHandlers(ApiPipelineSettings settings, DelegatingHandler? authentication)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var handlers = new List<DelegatingHandler>(5) { new ResilienceHandler(settings) };
        if (authentication is not null)
        {
            handlers.Add(authentication);
        }

        handlers.Add(new QuotaHandler(settings));
        handlers.Add(new AttemptHandler(settings));
        handlers.Add(new RedirectHandler(settings));
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

    /// <summary>The primary handler used when none is given: pooled connections recycled every few minutes for DNS changes.</summary>
    public static HttpMessageHandler CreatePrimaryHandler() => new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = System.Net.DecompressionMethods.All,
        AllowAutoRedirect = false, // RedirectHandler decides: same-origin 307/308 only, credentials kept.
    };
}
