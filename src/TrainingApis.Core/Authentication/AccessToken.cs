namespace TrainingApis.Core.Authentication;

/// <summary>A bearer token and, when known, when it expires. Its value never appears in <see cref="ToString"/>.</summary>
public sealed class AccessToken
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

    /// <summary>Describes the token without its value.</summary>
    public override string ToString() => ExpiresAt is { } at ? $"AccessToken (***, expires {at:O})" : "AccessToken (***)";
}
