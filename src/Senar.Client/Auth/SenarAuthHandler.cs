using TrainingApis.Core.Authentication;
using TrainingApis.Core.Http;

namespace Senar.Client.Auth;

/// <summary>
/// The authentication slot of the Senar pipeline. Requests go through Core's <see cref="TokenAuthHandler"/> (bearer
/// token from the shared cache; on a 401 one re-login and one replay), except the login request itself, marked with
/// <see cref="SenarAuthenticator.SkipTokenKey"/>, which passes straight on to the quota and the transport.
/// </summary>
/// <remarks>
/// The authenticator is read per request: under dependency injection a reload of the options with other credentials
/// applies to the next call (another credential is another token cache, so a remembered refused login is left behind).
/// </remarks>
internal sealed class SenarAuthHandler : DelegatingHandler
{
    private readonly Func<SenarAuthenticator> _authenticator;
    private readonly ApiPipelineSettings _settings;
    private Current? _current;

    public SenarAuthHandler(SenarAuthenticator authenticator, ApiPipelineSettings settings)
        : this(() => authenticator, settings)
    {
        ArgumentNullException.ThrowIfNull(authenticator);
    }

    /// <param name="authenticator">Returns the authenticator of the current options; the same instance while they do not change.</param>
    /// <param name="settings">The pipeline's settings.</param>
    public SenarAuthHandler(Func<SenarAuthenticator> authenticator, ApiPipelineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(authenticator);
        ArgumentNullException.ThrowIfNull(settings);
        _authenticator = authenticator;
        _settings = settings;
    }

    /// <summary>
    /// Returns an authenticator for the current options of <paramref name="options"/>, made by <paramref name="create"/>
    /// and kept while the options instance stays the same.
    /// </summary>
    public static Func<SenarAuthenticator> PerOptions(Func<SenarClientOptions> options, Func<SenarClientOptions, SenarAuthenticator> create)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(create);
        SenarAuthenticator? held = null;
        return () =>
        {
            var current = options();
            var authenticator = Volatile.Read(ref held);
            if (authenticator is null || !ReferenceEquals(authenticator.Options, current))
            {
                authenticator = create(current);
                Volatile.Write(ref held, authenticator);
            }

            return authenticator;
        };
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Options.TryGetValue(SenarAuthenticator.SkipTokenKey, out var skip) && skip)
        {
            // The login carries the password in its body: the same transport rule as for tokens.
            if (request.RequestUri is { IsAbsoluteUri: true } uri && BaseAddressRules.GetProblem(uri) is { } problem)
            {
                throw new InvalidOperationException($"Refusing to send credentials: the request address {problem}");
            }

            request.Headers.Authorization = null;
            return base.SendAsync(request, cancellationToken);
        }

        var authenticator = _authenticator();
        var current = Volatile.Read(ref _current);
        if (current is null || !ReferenceEquals(current.Authenticator, authenticator))
        {
            // Not disposed when replaced: a request may still be in it, and it holds nothing but the shared cache.
            current = new Current(authenticator, new TokenAuthHandler(authenticator.Cache, authenticator.AcquireAsync, _settings) { InnerHandler = new ToInner(this) });
            Volatile.Write(ref _current, current);
        }

        // The Senar password is masked in whatever this request brings back (a logged header, a request id, an error body).
        var own = request.GetSecrets();
        if (own.Count == 0)
        {
            request.Options.Set(ApiRequest.SecretsKey, authenticator.PasswordSecret); // Shared: no allocation per request.
        }
        else if (!own.Contains(authenticator.Options.Password))
        {
            request.WithSecrets(authenticator.Options.Password);
        }

        return current.Invoker.SendAsync(request, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _current?.Invoker.Dispose();
        }

        base.Dispose(disposing);
    }

    private Task<HttpResponseMessage> SendToInnerAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);

    private sealed class Current(SenarAuthenticator authenticator, TokenAuthHandler handler)
    {
        public SenarAuthenticator Authenticator { get; } = authenticator;

        public HttpMessageInvoker Invoker { get; } = new(handler, disposeHandler: true);
    }

    /// <summary>Hands the token handler's requests back to this handler's inner handler.</summary>
    private sealed class ToInner(SenarAuthHandler owner) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            owner.SendToInnerAsync(request, cancellationToken);
    }
}
