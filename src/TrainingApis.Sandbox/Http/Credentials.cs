using System.Security.Cryptography;
using System.Text;

namespace TrainingApis.Sandbox.Http;

/// <summary>Reading a bearer credential and comparing secrets without timing leaks.</summary>
internal static class Credentials
{
    private const string Scheme = "Bearer ";

    /// <summary>The credential after <c>Bearer </c> (scheme case-insensitive), or null when the header is absent or another scheme.</summary>
    public static string? Bearer(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? header[Scheme.Length..].Trim() : null;
    }

    public static bool SecretEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
