using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using TrainingApis.Core.Diagnostics;
using TrainingApis.Core.Http;

namespace TrainingApis.Core.Authentication;

/// <summary>
/// Adds <c>Authorization: Bearer &lt;token&gt;</c> from an <see cref="AccessTokenCache"/>. On a 401 it drops the token,
/// acquires a new one (once for all concurrent callers) and replays the request once, body included; a second 401 is
/// returned to the caller. Sits above the quota so that the replay takes a permit of its own.
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
            return response;
        }

        Log.ReplayingAfterUnauthorized(_settings.Logger, _settings.ServiceName, request.Method.Method, request.GetSafePath());
        _settings.Diagnostics?.AddEvent("trainingapis.auth.replay", default);
        response.Dispose();
        _cache.Invalidate(token.Value);
        token = await GetTokenAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
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
