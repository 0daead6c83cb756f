namespace Senar.Client.Auth;

/// <summary>
/// A Senar session token, as returned by <see cref="ISenarAuthClient.LoginAsync"/>. The client sends it as
/// <c>Authorization: Bearer &lt;token&gt;</c>. <see cref="ToString"/> never shows its value.
/// </summary>
public sealed record SenarToken
{
    /// <summary>Creates a token.</summary>
    /// <param name="value">The token text.</param>
    /// <param name="expiresAt">When it expires, when known.</param>
    public SenarToken(string value, DateTimeOffset? expiresAt = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        Value = value;
        ExpiresAt = expiresAt;
    }

    /// <summary>The token text (<c>Token</c> in the login answer). A secret: do not log it.</summary>
    public string Value { get; init; }

    /// <summary>
    /// When the token expires, when it is known: Senar does not publish a lifetime, so this is read only from a token
    /// that is a JWT with an <c>exp</c> claim; otherwise null, and the token is replaced when the server answers 401.
    /// </summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Describes the token without its value.</summary>
    public override string ToString() => ExpiresAt is { } at ? $"SenarToken (***, expires {at:O})" : "SenarToken (***)";
}
