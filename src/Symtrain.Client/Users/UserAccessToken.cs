namespace Symtrain.Client.Users;

/// <summary>
/// A short-lived token (valid one hour) that lets a user open deep links without signing in. Add it to a link with
/// <see cref="ISymtrainUsersClient.WithAccessToken"/>. <see cref="ToString"/> masks the token.
/// </summary>
public sealed record UserAccessToken
{
    /// <summary>The token. A secret: do not log it.</summary>
    public required string Token { get; init; }

    /// <summary>When the token expires: as the server said, else the time it was asked for plus one hour.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Whether the token has expired at <paramref name="now"/>.</summary>
    public bool IsExpiredAt(DateTimeOffset now) => now >= ExpiresAt;

    /// <summary>Describes the token without revealing it.</summary>
    public override string ToString() => $"UserAccessToken {{ Token = ***, ExpiresAt = {ExpiresAt:O} }}";
}
