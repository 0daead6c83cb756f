namespace Senar.Client.Auth;

/// <summary>Senar authentication: <c>POST /api/auth/login</c>.</summary>
/// <remarks>
/// Calling this is optional: every other call logs in by itself on first use, shares the token with every client of
/// the same credential in the process, and logs in again once when the server answers 401.
/// </remarks>
public interface ISenarAuthClient
{
    /// <summary>
    /// Logs in now with the configured username and password and makes the new token the one every client of this
    /// credential uses (the shared token is replaced, not just read). Concurrent callers share one login.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting for the login; a login already sent completes for other callers.</param>
    /// <returns>The new token.</returns>
    /// <exception cref="TrainingApis.Core.ApiAuthenticationException">Senar refused the credentials (401/403/400 from the login).</exception>
    /// <exception cref="TrainingApis.Core.ApiException">The login failed otherwise (5xx after retries, a response without a token).</exception>
    /// <exception cref="TimeoutException">The login did not complete within the configured timeouts.</exception>
    Task<SenarToken> LoginAsync(CancellationToken cancellationToken = default);
}
