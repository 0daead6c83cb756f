using System.Text;

namespace TrainingApis.Observability.Tests.TestSupport;

/// <summary>
/// Distinctive secrets: every one holds <see cref="Marker"/>, which nothing else in the tests contains, so finding the
/// marker anywhere a secret must not go is a leak.
/// </summary>
internal static class Secrets
{
    public const string Marker = "REDACTME";

    /// <summary>The Symtrain API key.</summary>
    public const string SymtrainApiKey = "sk-REDACTME-symtrain-4f9e2c71";

    /// <summary>The Senar password.</summary>
    public const string SenarPassword = "Pw9-REDACTME-senar";

    /// <summary>A Symtrain user access token (a deep-link token).</summary>
    public const string UserAccessToken = "uat-REDACTME-3c7a";

    /// <summary>The password of a user assigned to a Senar collection.</summary>
    public const string AssignedUserPassword = "New8-REDACTME-pass";

    /// <summary>The Senar login token: a JWT (expiring in 2100) whose signature holds the marker.</summary>
    public static readonly string SenarToken =
        $"{Base64Url("""{"alg":"HS256","typ":"JWT"}""")}.{Base64Url("""{"exp":4102444800,"sub":"api"}""")}.REDACTME-jwt-signature-5b1d";

    /// <summary>A second login token, for a re-login.</summary>
    public static readonly string SenarToken2 = SenarToken.Replace("5b1d", "77e0", StringComparison.Ordinal);

    public static IReadOnlyList<string> All => [SymtrainApiKey, SenarPassword, UserAccessToken, AssignedUserPassword, SenarToken, SenarToken2];

    /// <summary>A Symtrain message that echoes the secret the client sent (its API key), as a careless server might.</summary>
    public static string SymtrainEcho => $"key {SymtrainApiKey} (Authorization: Bearer {SymtrainApiKey})";

    /// <summary>
    /// A Senar message that echoes the secrets the client sent: the password, the token and, on <c>user_assign</c>, the
    /// new user's password.
    /// </summary>
    public static string SenarEcho(bool assign) =>
        $"user api@senar.example password={SenarPassword} token {SenarToken} (Authorization: Bearer {SenarToken})"
        + (assign ? $" new user's password {AssignedUserPassword}" : string.Empty);

    /// <summary>The secrets found in <paramref name="text"/> (the marker counts as one).</summary>
    public static IEnumerable<string> FoundIn(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            yield break;
        }

        foreach (var secret in All.Append(Marker))
        {
            if (FormsOf(secret).Any(form => text.Contains(form, StringComparison.OrdinalIgnoreCase)))
            {
                yield return secret;
            }
        }
    }

    /// <summary>The secret as written, URL-encoded, JSON-escaped and in Base64 (standard and URL-safe, padded or not).</summary>
    private static IEnumerable<string> FormsOf(string secret)
    {
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(secret));
        return [secret, Uri.EscapeDataString(secret), System.Net.WebUtility.UrlEncode(secret), System.Text.Json.JsonSerializer.Serialize(secret).Trim('"'),
            base64, base64.TrimEnd('='), Base64UrlOf(base64)];

        static string Base64UrlOf(string text) => text.TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static string Base64Url(string json) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
