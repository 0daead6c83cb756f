using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using TrainingApis.Core.Diagnostics;
using TrainingApis.Core.Http;

namespace TrainingApis.Core.Authentication;

/// <summary>
/// Adds <c>Authorization: Bearer &lt;token&gt;</c> from an <see cref="AccessTokenCache"/>. On a 401 it drops the token,
/// acquires a new one (once for all concurrent callers) and replays the request once, body included; a second 401 is
/// returned to the caller, and holds back the next replacement (<see cref="AccessTokenCache.IsReplacementHeldBack"/>):
/// when a token fresh from a login is refused too, another login would not help, and a login per call is what locks
/// accounts out. Sits above the quota so that the replay takes a permit of its own.
/// </summary>
internal sealed class TokenAuthHandler : DelegatingHandler
{
    private readonly AccessTokenCache _cache;
    private readonly Func<CancellationToken, Task<AccessToken>> _acquire;
    private readonly ApiPipelineSettings _settings;

    /// <summary>Creates the handler.</summary>
    /// <param name="cache">The token cache of the credential.</param>
    /// <param name="acquire">Logs in and returns a new token.</param>
    /// <param name="settings">The pipeline's shared settings.</param>
    public TokenAuthHandler(AccessTokenCache cache, Func<CancellationToken, Task<AccessToken>> acquire, ApiPipelineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(acquire);
        ArgumentNullException.ThrowIfNull(settings);
        _cache = cache;
        _acquire = acquire;
        _settings = settings;
    }

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        SecureTransport.ThrowIfInsecure(request);
        var token = await GetTokenAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            _cache.Accepted(token.Value);
            return response;
        }

        if (_cache.IsReplacementHeldBack(token.Value))
        {
            return response;
        }

        Log.ReplayingAfterUnauthorized(_settings.Logger, _settings.ServiceName, request.Method.Method, request.GetSafePath());
        _settings.Diagnostics?.AddEvent("trainingapis.auth.replay", default);
        response.Dispose();
        _cache.Invalidate(token.Value);

        // The refused token is no longer the client's, but the replay's answer may still echo it.
        request.WithSecrets(token.Value);
        token = await GetTokenAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            _cache.HoldBackReplacement(token.Value);
        }
        else
        {
            _cache.Accepted(token.Value);
        }

        return response;
    }

    private Task<AccessToken> GetTokenAsync(CancellationToken cancellationToken) =>
        _cache.GetTokenAsync(
            async ct =>
            {
                var token = await _acquire(ct).ConfigureAwait(false);
                _settings.Diagnostics?.TokenRefreshes.Add(1, new TagList { { ApiDiagnostics.ServiceTag, _settings.ServiceName } });
                _settings.Diagnostics?.AddEvent("trainingapis.token.acquired", default);
                return token;
            },
            cancellationToken);
}
