namespace Senar.Client.Auth;

/// <summary>
/// Keeps the Senar token of a credential where several instances of an application share it, so that they log in once
/// between them (TrainingApis.Redis implements it; register one as a keyed singleton under the client's options name —
/// <see cref="Microsoft.Extensions.Options.Options.DefaultName"/> for the unnamed client). Within one process the client
/// already shares one token per credential; the store is asked only when that token is missing, expiring or refused.
/// </summary>
public interface ISenarTokenStore
{
    /// <summary>
    /// Returns the shared token of <paramref name="credentialKey"/> unless it is <paramref name="replacing"/>; otherwise
    /// calls <paramref name="login"/> once for every instance that asks at the same time and shares its token.
    /// </summary>
    /// <param name="credentialKey">A SHA-256 hash (hex) of the base address and username: never the credential itself.</param>
    /// <param name="replacing">The token this instance no longer uses (expiring, or answered 401); null on the first call.</param>
    /// <param name="login">Logs in to Senar and returns a new token.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>A token other than <paramref name="replacing"/>.</returns>
    Task<SenarToken> GetOrLoginAsync(string credentialKey, string? replacing, Func<CancellationToken, Task<SenarToken>> login, CancellationToken cancellationToken = default);
}
