using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Senar.Client.Activities;
using Senar.Client.Auth;
using Senar.Client.Users;
using Senar.Client.Webhooks;
using TrainingApis.Core.Diagnostics;
using TrainingApis.Core.Http;
using TrainingApis.Core.RateLimiting;

namespace Senar.Client;

/// <summary>
/// The Senar client. Usable without dependency injection:
/// <c>new SenarClient(new SenarClientOptions { Username = "…", Password = "…" })</c>; with it, see
/// <c>services.AddSenarClient(…)</c>. Thread-safe; create one and reuse it.
/// </summary>
/// <remarks>
/// Every request goes through the shared pipeline: total timeout → retry → authentication → quota (off by default) →
/// attempt timeout → transport. The login itself goes through the same pipeline, without the token step.
/// </remarks>
public sealed class SenarClient : ISenarClient, IDisposable
{
    private readonly HttpClient? _httpClient;

    /// <summary>Creates a client over its own connection pool.</summary>
    /// <param name="options">The settings; validated here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">A setting is invalid; the message names every bad setting.</exception>
    public SenarClient(SenarClientOptions options)
        : this(options, null)
    {
    }

    /// <summary>Creates a client over <paramref name="primaryHandler"/> (for a proxy, a test double…).</summary>
    /// <param name="options">The settings; validated here.</param>
    /// <param name="primaryHandler">The transport; a new pooled handler when null. A handler passed in is not disposed by the client.</param>
    /// <param name="timeProvider">The clock of timeouts, backoff, quota and token expiry; the system clock when null.</param>
    /// <param name="loggerFactory">Where the pipeline logs (never a secret); nowhere when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">A setting is invalid; the message names every bad setting.</exception>
    public SenarClient(SenarClientOptions options, HttpMessageHandler? primaryHandler, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        var time = timeProvider ?? TimeProvider.System;
        var settings = CreatePipelineSettings(options, time, loggerFactory, QuotaLimiterRegistry.For(time));
        ApiConnection? connection = null;
        var authenticator = new SenarAuthenticator(options, time, () => connection!);
        var chain = ApiPipeline.CreateChain(primaryHandler ?? ApiPipeline.CreatePrimaryHandler(), settings, new SenarAuthHandler(authenticator, settings));
        _httpClient = new HttpClient(chain, disposeHandler: primaryHandler is null)
        {
            BaseAddress = options.GetNormalizedBaseAddress(),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        connection = new ApiConnection(_httpClient, SenarDiagnostics.ServiceName, SenarDiagnostics.Instance, authenticator.Secrets, time);
        (Auth, Users, Activities, Webhooks) = CreateAreas(connection, authenticator);
    }

    /// <summary>
    /// Creates a client over HttpClients whose handlers are already the Senar pipeline (dependency injection): one from
    /// <paramref name="httpClient"/> per operation, so that the client, a singleton, never pins a handler chain; the
    /// credentials are read from <paramref name="options"/> again when they change.
    /// </summary>
    internal SenarClient(Func<HttpClient> httpClient, Func<SenarClientOptions> options, TimeProvider? timeProvider, ISenarTokenStore? tokenStore = null, ApiDiagnostics? diagnostics = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        options().ThrowIfInvalid();
        var time = timeProvider ?? TimeProvider.System;
        _httpClient = null;
        ApiConnection? connection = null;
        diagnostics ??= SenarDiagnostics.Instance;
        var current = new CurrentAuthenticator(options, time, () => connection!, tokenStore, diagnostics);
        connection = new ApiConnection(httpClient, SenarDiagnostics.ServiceName, diagnostics, () => current.Get().Secrets(), time);
        Auth = new CurrentAuthClient(current);
        Users = new SenarUsersClient(connection, () => current.Get().Secrets());
        Activities = new SenarActivitiesClient(connection);
        Webhooks = new SenarWebhooksClient(connection);
    }

    /// <inheritdoc/>
    public ISenarAuthClient Auth { get; }

    /// <inheritdoc/>
    public ISenarUsersClient Users { get; }

    /// <inheritdoc/>
    public ISenarActivitiesClient Activities { get; }

    /// <inheritdoc/>
    public ISenarWebhooksClient Webhooks { get; }

    /// <summary>Releases the client's connection pool (not a handler passed to the constructor).</summary>
    public void Dispose() => _httpClient?.Dispose();

    /// <summary>The pipeline settings of one client: the options, the clock, the logger and the per-username quota.</summary>
    internal static ApiPipelineSettings CreatePipelineSettings(SenarClientOptions options, TimeProvider time, ILoggerFactory? loggerFactory, QuotaLimiterRegistry registry) => new()
    {
        ServiceName = SenarDiagnostics.ServiceName,
        Options = options,
        TimeProvider = time,
        Logger = loggerFactory?.CreateLogger(SenarDiagnostics.Name) ?? NullLogger.Instance,
        Diagnostics = SenarDiagnostics.Instance,
        Quota = () => GetQuota(options, registry),
    };

    /// <summary>The quota limiter of the options' username, or null when the quota is off (the default).</summary>
    internal static QuotaLimiter? GetQuota(SenarClientOptions options, QuotaLimiterRegistry registry) =>
        options.RateLimit is { Enabled: true } rateLimit
            ? registry.GetOrCreate("senar", $"{options.GetNormalizedBaseAddress().AbsoluteUri}\u001f{options.Username}", rateLimit)
            : null;

    private static (ISenarAuthClient, ISenarUsersClient, ISenarActivitiesClient, ISenarWebhooksClient) CreateAreas(ApiConnection connection, SenarAuthenticator authenticator) =>
        (new SenarAuthClient(authenticator),
         new SenarUsersClient(connection, authenticator.Secrets),
         new SenarActivitiesClient(connection),
         new SenarWebhooksClient(connection));

    /// <summary>The authenticator of the options in force: a new one (sharing the credential's token cache) when they change.</summary>
    private sealed class CurrentAuthenticator(Func<SenarClientOptions> options, TimeProvider time, Func<ApiConnection> connection, ISenarTokenStore? store, ApiDiagnostics diagnostics)
    {
        private Held? _current;

        public SenarAuthenticator Get()
        {
            var now = options();
            var held = Volatile.Read(ref _current);
            if (held is not null && ReferenceEquals(held.Options, now))
            {
                return held.Authenticator;
            }

            var authenticator = new SenarAuthenticator(now, time, connection, store, diagnostics);
            Volatile.Write(ref _current, new Held(now, authenticator));
            return authenticator;
        }

        private sealed record Held(SenarClientOptions Options, SenarAuthenticator Authenticator);
    }

    /// <summary>Logs in with the credentials in force.</summary>
    private sealed class CurrentAuthClient(CurrentAuthenticator current) : ISenarAuthClient
    {
        public Task<SenarToken> LoginAsync(CancellationToken cancellationToken = default) => current.Get().LoginAsync(cancellationToken);
    }
}
