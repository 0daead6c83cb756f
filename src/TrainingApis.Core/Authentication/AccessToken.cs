namespace TrainingApis.Core.Authentication;

/// <summary>A bearer token and, when known, when it expires. Its value never appears in <see cref="ToString"/>.</summary>
internal sealed class AccessToken
{
    /// <summary>Creates a token.</summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> is empty.</exception>
    public AccessToken(string value, DateTimeOffset? expiresAt = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        Value = value;
        ExpiresAt = expiresAt;
    }

    /// <summary>The token to send as <c>Authorization: Bearer</c>. A secret: do not log it.</summary>
    public string Value { get; }

    /// <summary>When the token stops working, when the server said; null when unknown.</summary>
    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>
    /// When the server issued the token, by the server's clock (a JWT's <c>iat</c>), when known; null otherwise. With
    /// <see cref="ExpiresAt"/> it gives the token's lifetime as the server sees it, whatever this machine's clock says.
    /// </summary>
    public DateTimeOffset? IssuedAt { get; init; }

    /// <summary>Describes the token without its value.</summary>
    public override string ToString() => ExpiresAt is { } at ? $"AccessToken (***, expires {at:O})" : "AccessToken (***)";
}
