using System.Text.Json;
using Senar.Client.Json;
using TrainingApis.Core.Authentication;

namespace Senar.Client.Auth;

/// <summary>
/// Reads the <c>exp</c> and <c>iat</c> claims of a token that is a JWT, so the shared token is renewed shortly before it
/// expires instead of after a 401. Any other token (Senar documents none of this) has no known expiry.
/// </summary>
internal static class JwtExpiry
{
    /// <summary>The token with its expiry and issue time when it is a JWT that has them.</summary>
    public static AccessToken ToAccessToken(string token)
    {
        var claims = ReadClaims(token);
        return new AccessToken(token, ToTime(claims?.Exp)) { IssuedAt = ToTime(claims?.Iat) };
    }

    private static DateTimeOffset? ToTime(double? seconds) =>
        seconds is { } value && !double.IsNaN(value) && value > 0 && value <= 253_402_300_799
            ? DateTimeOffset.FromUnixTimeSeconds((long)value)
            : null;

    private static JwtClaims? ReadClaims(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || parts[1].Length is 0 or > 16 * 1024)
        {
            return null;
        }

        var base64 = parts[1].Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out var written))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(bytes.AsSpan(0, written), SenarJsonContext.Default.JwtClaims);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
