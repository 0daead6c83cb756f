using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Symtrain.Client.Access;
using Symtrain.Client.Internal;
using Symtrain.Client.Reports;
using Symtrain.Client.Users;
using TrainingApis.Core.Http;
using TrainingApis.Core.RateLimiting;

namespace Symtrain.Client;

/// <summary>
/// The Symtrain v2 client. Build it by hand (<c>new SymtrainClient(new SymtrainClientOptions { ApiKey = "…" })</c>) or
/// register it with <c>services.AddSymtrainClient(…)</c>. Every request goes through the shared pipeline: total timeout,
/// retries, bearer API key (read per request), the quota shared by every client of the same key (100 requests per
/// 5 minutes by default), attempt timeout. Thread-safe; dispose a hand-built client to release its connections.
/// </summary>
public sealed class SymtrainClient : ISymtrainClient, IDisposable
{
    /// <summary>The quota scope of Symtrain keys in <see cref="QuotaLimiterRegistry"/>.</summary>
    internal const string QuotaScope = "symtrain";

    private readonly HttpClient? _httpClient;

    /// <summary>Creates a client that sends its requests over the network.</summary>
    /// <param name="options">The settings; validated now. The API key is read from this instance on every request.</param>
    /// <exception cref="ArgumentException">A setting is invalid; every bad setting is named.</exception>
    public SymtrainClient(SymtrainClientOptions options)
        : this(options, null)
    {
    }

    /// <summary>Creates a client over a given primary handler (a test double, a proxy-aware handler), clock and logger.</summary>
    /// <param name="options">The settings; validated now. The API key is read from this instance on every request.</param>
    /// <param name="primaryHandler">The handler that sends requests; a pooled <see cref="SocketsHttpHandler"/> when null. Not disposed by the client.</param>
    /// <param name="timeProvider">The clock of timeouts, backoff, the quota and token expiry; the system clock when null.</param>
    /// <param name="loggerFactory">Where the pipeline logs; nowhere when null.</param>
    /// <exception cref="ArgumentException">A setting is invalid; every bad setting is named.</exception>
    public SymtrainClient(SymtrainClientOptions options, HttpMessageHandler? primaryHandler, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        var time = timeProvider ?? TimeProvider.System;
        var registry = QuotaLimiterRegistry.For(time);
        var settings = new ApiPipelineSettings
        {
            ServiceName = SymtrainTransport.ServiceName,
            Options = options,
            TimeProvider = time,
            Logger = loggerFactory?.CreateLogger(SymtrainDiagnostics.Name) ?? NullLogger.Instance,
            Diagnostics = SymtrainDiagnostics.Instance,
            Quota = () => GetQuota(options, registry),
        };
        var primary = primaryHandler is null ? ApiPipeline.CreatePrimaryHandler() : new NonDisposingHandler(primaryHandler);
        var chain = ApiPipeline.CreateChain(primary, settings, new BearerKeyHandler(() => options.ApiKey, SymtrainClientOptions.ApiKeySetting));
        _httpClient = new HttpClient(chain, disposeHandler: true)
        {
            BaseAddress = BaseAddressRules.WithTrailingSlash(options.BaseAddress),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var httpClient = _httpClient;
        (Reports, Access, Users) = CreateSubClients(new SymtrainTransport(() => httpClient, () => options, time));
    }

    /// <summary>
    /// Creates a client over HttpClients whose handlers are already the pipeline (dependency injection): one from
    /// <paramref name="httpClient"/> per operation, so that the client, a singleton, never pins a handler chain.
    /// </summary>
    internal SymtrainClient(Func<HttpClient> httpClient, Func<SymtrainClientOptions> options, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        _httpClient = null;
        (Reports, Access, Users) = CreateSubClients(new SymtrainTransport(httpClient, options, timeProvider ?? TimeProvider.System));
    }

    /// <inheritdoc/>
    public ISymtrainReportsClient Reports { get; }

    /// <inheritdoc/>
    public ISymtrainAccessClient Access { get; }

    /// <inheritdoc/>
    public ISymtrainUsersClient Users { get; }

    /// <summary>Releases the connections of a hand-built client; a client from dependency injection owns none.</summary>
    public void Dispose() => _httpClient?.Dispose();

    /// <summary>The quota of the current key: one per key per clock, shared by every client; null when the quota is off.</summary>
    internal static QuotaLimiter? GetQuota(SymtrainClientOptions options, QuotaLimiterRegistry registry) =>
        options.RateLimit is { Enabled: true } limit && !string.IsNullOrWhiteSpace(options.ApiKey)
            ? registry.GetOrCreate(QuotaScope, options.ApiKey, limit)
            : null;

    private static (ISymtrainReportsClient, ISymtrainAccessClient, ISymtrainUsersClient) CreateSubClients(SymtrainTransport transport) =>
        (new SymtrainReportsClient(transport), new SymtrainAccessClient(transport), new SymtrainUsersClient(transport));
}
