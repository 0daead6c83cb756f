using TrainingApis.Core.Authentication;
using TrainingApis.Core.Http;

namespace Senar.Client.Auth;

/// <summary>
/// The authentication slot of the Senar pipeline. Requests go through Core's <see cref="TokenAuthHandler"/> (bearer
/// token from the shared cache; on a 401 one re-login and one replay), except the login request itself, marked with
/// <see cref="SenarAuthenticator.SkipTokenKey"/>, which passes straight on to the quota and the transport.
/// </summary>
internal sealed class SenarAuthHandler : DelegatingHandler
{
    private readonly HttpMessageInvoker _withToken;

    public SenarAuthHandler(SenarAuthenticator authenticator, ApiPipelineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(authenticator);
        ArgumentNullException.ThrowIfNull(settings);
        var tokenHandler = new TokenAuthHandler(authenticator.Cache, authenticator.AcquireAsync, settings)
        {
            InnerHandler = new ToInner(this),
        };
        _withToken = new HttpMessageInvoker(tokenHandler, disposeHandler: true);
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

        return _withToken.SendAsync(request, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _withToken.Dispose();
        }

        base.Dispose(disposing);
    }

    private Task<HttpResponseMessage> SendToInnerAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);

    /// <summary>Hands the token handler's requests back to this handler's inner handler.</summary>
    private sealed class ToInner(SenarAuthHandler owner) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            owner.SendToInnerAsync(request, cancellationToken);
    }
}
