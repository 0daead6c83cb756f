using System.Text.Json;
using Senar.Client.Json;

namespace Senar.Client.Auth;

/// <summary>
/// Reads the <c>exp</c> claim of a token that is a JWT, so the shared token is renewed shortly before it expires
/// instead of after a 401. Any other token (Senar documents none of this) has no known expiry.
/// </summary>
internal static class JwtExpiry
{
    public static DateTimeOffset? Read(string token)
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
            var claims = JsonSerializer.Deserialize(bytes.AsSpan(0, written), SenarJsonContext.Default.JwtClaims);
            if (claims?.Exp is not { } exp || double.IsNaN(exp) || exp <= 0 || exp > 253_402_300_799)
            {
                return null;
            }

            return DateTimeOffset.FromUnixTimeSeconds((long)exp);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
