using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using TrainingApis.Core;
using TrainingApis.Core.Authentication;
using TrainingApis.Core.Http;
using Senar.Client.Json;

namespace Senar.Client.Auth;

/// <summary>
/// Logs in to Senar for one credential and holds the credential's shared <see cref="AccessTokenCache"/>. The login
/// request goes through the client's own pipeline (retry, timeouts, quota) marked to skip the token handler.
/// </summary>
internal sealed class SenarAuthenticator
{
    /// <summary>Set on the login request: the authentication handler lets it through without a token.</summary>
    public static readonly HttpRequestOptionsKey<bool> SkipTokenKey = new("Senar.SkipToken");

    public const string LoginPath = "api/auth/login";

    /// <summary>The bound of a login when <see cref="TrainingApis.Core.ApiClientOptions.AttemptTimeout"/> is infinite.</summary>
    public static readonly TimeSpan DefaultLoginBound = TimeSpan.FromSeconds(100);

    private readonly string _username;
    private readonly string _password;
    private readonly Func<ApiConnection> _connection;
    private readonly TimeProvider _timeProvider;
    private readonly string?[] _passwordSecret;
    private readonly bool _pipelineBoundsLogin;
    // Per credential cache (so per process), the token last taken from the store: the next acquisition replaces it.
    private static readonly ConditionalWeakTable<AccessTokenCache, StrongBox<string?>> LastShared = new();

    private readonly ISenarTokenStore? _store;
    private readonly TrainingApis.Core.Diagnostics.ApiDiagnostics _diagnostics;

    /// <param name="options">Validated options.</param>
    /// <param name="timeProvider">The clock of the token cache registry.</param>
    /// <param name="connection">Returns the connection the login is sent through (the client's pipeline).</param>
    /// <param name="store">Where the token is shared with other instances; none when null.</param>
    /// <param name="diagnostics">Where an explicit login is counted: the container's meter when it has one; the package's when null.</param>
    public SenarAuthenticator(SenarClientOptions options, TimeProvider timeProvider, Func<ApiConnection> connection, ISenarTokenStore? store = null, TrainingApis.Core.Diagnostics.ApiDiagnostics? diagnostics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(connection);
        _username = options.Username ?? string.Empty;
        _password = options.Password ?? string.Empty;
        _connection = connection;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _passwordSecret = [_password];
        LoginBound = options.AttemptTimeout == Timeout.InfiniteTimeSpan ? DefaultLoginBound : options.AttemptTimeout;
        _pipelineBoundsLogin = options.Timeout != Timeout.InfiniteTimeSpan && options.Timeout <= LoginBound;
        Options = options;
        _store = store;
        _diagnostics = diagnostics ?? SenarDiagnostics.Instance;
        var address = options.GetNormalizedBaseAddress().AbsoluteUri;
        CredentialKey = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"senar-token\u001f{address}\u001f{_username}")));
        Cache = AccessTokenCacheRegistry.For(timeProvider).GetOrCreate(options.GetNormalizedBaseAddress().AbsoluteUri, _username, _password);
    }

    public AccessTokenCache Cache { get; }

    /// <summary>The key of the credential's token in an <see cref="ISenarTokenStore"/>: a hash of the base address and username.</summary>
    public string CredentialKey { get; }

    /// <summary>The options this authenticator was made from (the credential).</summary>
    public SenarClientOptions Options { get; }

    /// <summary>
    /// How long one login (its retries included) may take, whatever the callers' own timeouts: the login is shared and
    /// runs on no caller's token, so without it a login that never answers would hold the credential forever.
    /// </summary>
    public TimeSpan LoginBound { get; }

    public string Username => _username;

    /// <summary>The password, as the secrets of a request (<see cref="ApiRequest.SecretsKey"/>).</summary>
    public IReadOnlyList<string?> PasswordSecret => _passwordSecret;

    /// <summary>The values masked in anything read from an error body: the password and the current token.</summary>
    public IEnumerable<string?> Secrets() => [_password, Cache.PeekTokenValue()];

    /// <summary>
    /// Returns a new token, used by the cache, which makes it single-flight in the process: from the shared store when
    /// one is set (another instance's login, unless it is the token this one replaces), else by one login.
    /// </summary>
    /// <exception cref="TimeoutException">The login did not complete within <see cref="LoginBound"/>.</exception>
    public async Task<AccessToken> AcquireAsync(CancellationToken cancellationToken)
    {
        if (_store is null)
        {
            return await LoginOnceAsync(cancellationToken).ConfigureAwait(false);
        }

        // Asked again: the token the process got last is expiring, refused or being refreshed.
        var last = LastShared.GetOrCreateValue(Cache);
        var shared = await _store.GetOrLoginAsync(
            CredentialKey,
            Volatile.Read(ref last.Value),
            async ct =>
            {
                var token = await LoginOnceAsync(ct).ConfigureAwait(false);
                return new SenarToken(token.Value, token.ExpiresAt);
            },
            cancellationToken).ConfigureAwait(false);

        // A user's store may break its contract: say so, rather than a NullReferenceException from deep in the client.
        if (string.IsNullOrWhiteSpace(shared?.Value))
        {
            throw new InvalidOperationException(
                $"The {nameof(ISenarTokenStore)} ({_store.GetType().Name}) returned no token for the Senar user '{_username}': {nameof(ISenarTokenStore.GetOrLoginAsync)} must return the shared token or the one its login callback returned.");
        }

        Volatile.Write(ref last.Value, shared.Value);
        // A store keeps no issue time: it comes from the token itself (a JWT's iat), so the renewal follows the server's
        // view of the token's life, not this clock's (running ahead, it would renew a token the server still accepts).
        return new AccessToken(shared.Value, shared.ExpiresAt) { IssuedAt = JwtExpiry.ToAccessToken(shared.Value).IssuedAt };
    }

    /// <summary>Sends one login, bounded by <see cref="LoginBound"/>, and returns the token.</summary>
    private async Task<AccessToken> LoginOnceAsync(CancellationToken cancellationToken)
    {
        var connection = _connection();
        var body = ApiConnection.JsonContent(new LoginRequest(_username, _password), SenarJsonContext.Default.LoginRequest);
        // The answer's token is new: no mask knows it yet, so its response headers' free text is never logged.
        using var request = ApiConnection.CreateRequest(HttpMethod.Post, LoginPath, "Auth.Login", body).WithSecrets(_password).MarkSecretAnswer();
        request.Options.Set(SkipTokenKey, true);
        // A Timeout within the bound already ends the login (with its own TimeoutException): no second timer then.
        var started = _timeProvider.GetTimestamp();
        using var bound = _pipelineBoundsLogin ? null : new CancellationTokenSource(LoginBound, _timeProvider);
        using var linked = bound is null ? null : CancellationTokenSource.CreateLinkedTokenSource(bound.Token, cancellationToken);
        LoginResponse response;
        try
        {
            response = await connection.SendAsync(request, SenarJsonContext.Default.LoginResponse, linked?.Token ?? cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (bound is { IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                string.Create(
                    System.Globalization.CultureInfo.InvariantCulture,
                    $"The Senar login for user '{_username}' at {request.RequestUri?.Authority ?? LoginPath} timed out after {_timeProvider.GetElapsedTime(started).TotalSeconds:0.0} s: it ran past a login's own bound of {LoginBound.TotalSeconds:0.###} s (AttemptTimeout, or {DefaultLoginBound.TotalSeconds:0} s when that is infinite). Raise AttemptTimeout if Senar is slow, or check that the host answers."),
                ex);
        }
        catch (OperationCanceledException ex) when (ex.CancellationToken != cancellationToken && cancellationToken.IsCancellationRequested)
        {
            // Sent on the token linked to the login's bound: the caller sees its own.
            throw new OperationCanceledException(ex.Message, ex, cancellationToken);
        }
        catch (ApiException ex) when (ex is ApiAuthenticationException || ex.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity)
        {
            throw new ApiAuthenticationException(
                $"Senar login failed for user '{_username}': {ex.Message} Check SenarClientOptions.Username and SenarClientOptions.Password.",
                DetailsOf(ex),
                ex);
        }

        if (string.IsNullOrWhiteSpace(response.Token))
        {
            throw new ApiAuthenticationException(
                $"Senar login for user '{_username}' answered without a token (expected {{\"Token\": \"…\"}}).",
                new ApiErrorDetails
                {
                    StatusCode = HttpStatusCode.OK,
                    Method = request.Method.Method,
                    RequestUri = ApiErrorMapper.StripQuery(request.RequestUri),
                });
        }

        return JwtExpiry.ToAccessToken(response.Token);
    }

    /// <summary>
    /// Logs in now and makes the new token the shared one. The token held so far and a remembered refused login are
    /// dropped; a login already in flight is joined, so concurrent callers share one login.
    /// </summary>
    public async Task<SenarToken> LoginAsync(CancellationToken cancellationToken)
    {
        var token = await Cache.RefreshAsync(
            async ct =>
            {
                var acquired = await AcquireAsync(ct).ConfigureAwait(false);
                _diagnostics.TokenRefreshes.Add(1, new TagList { { TrainingApis.Core.Diagnostics.ApiDiagnostics.ServiceTag, SenarDiagnostics.ServiceName } });
                return acquired;
            },
            cancellationToken).ConfigureAwait(false);
        return new SenarToken(token.Value, token.ExpiresAt);
    }

    private static ApiErrorDetails DetailsOf(ApiException ex) => new()
    {
        StatusCode = ex.StatusCode,
        ErrorCode = ex.ErrorCode,
        RequestId = ex.RequestId,
        ResponseBody = ex.ResponseBody,
        Method = ex.Method,
        RequestUri = ex.RequestUri,
        IsTransient = ex.IsTransient,
    };
}
