namespace Senar.Client.Auth;

/// <summary>The <see cref="ISenarAuthClient"/> of a <see cref="SenarClient"/>.</summary>
internal sealed class SenarAuthClient(SenarAuthenticator authenticator) : ISenarAuthClient
{
    public Task<SenarToken> LoginAsync(CancellationToken cancellationToken = default) => authenticator.LoginAsync(cancellationToken);
}
