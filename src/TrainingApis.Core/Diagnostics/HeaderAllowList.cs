using System.Net.Http.Headers;
using System.Text;
using TrainingApis.Core.Http;

namespace TrainingApis.Core.Diagnostics;

/// <summary>
/// The headers whose values may be logged. Any other header (<c>Authorization</c>, cookies, vendor headers) is written
/// as its name with the value replaced by <c>***</c>, so a log shows that it was there but never what it held. An
/// allowed value is still masked for the request's secrets (<see cref="SecretMasker"/>): a gateway may echo a key in a
/// request id.
/// </summary>
internal static class HeaderAllowList
{
    private const int MaxValueLength = 200;

    private static readonly HashSet<string> Allowed = new(StringComparer.OrdinalIgnoreCase)
    {
        "Accept",
        "Accept-Encoding",
        "Content-Type",
        "Content-Length",
        "Content-Encoding",
        "Date",
        "Retry-After",
        "User-Agent",
        "Server",
        "Transfer-Encoding",
        "X-Request-Id",
        "Request-Id",
        "X-Correlation-Id",
        "X-RateLimit-Limit",
        "X-RateLimit-Remaining",
        "X-RateLimit-Reset",
        "RateLimit-Limit",
        "RateLimit-Remaining",
        "RateLimit-Reset",
    };

    // Free text a server chooses (and may build from what it received): never written unmasked.
    private static readonly HashSet<string> FreeText = new(StringComparer.OrdinalIgnoreCase)
    {
        "User-Agent",
        "Server",
        "X-Request-Id",
        "Request-Id",
        "X-Correlation-Id",
    };

    /// <summary>Whether the value of <paramref name="name"/> may be logged (masked for secrets).</summary>
    public static bool IsAllowed(string name) => Allowed.Contains(name);

    /// <summary>
    /// Whether the value of <paramref name="name"/> may be logged by a logger that cannot mask secrets (the
    /// <c>IHttpClientFactory</c> request logs): the allowed headers but the free-text ones (request ids, <c>Server</c>).
    /// </summary>
    public static bool IsAllowedUnmasked(string name) => Allowed.Contains(name) && !FreeText.Contains(name);

    /// <summary>Formats the headers as <c>Name: value; Name: ***</c>, allow-listed values only, each with <paramref name="secrets"/> masked.</summary>
    /// <param name="headers">The headers.</param>
    /// <param name="contentHeaders">The content's headers, if any.</param>
    /// <param name="secrets">The secrets masked in the values written.</param>
    /// <param name="withholdFreeText">Writes the free-text headers (request ids, <c>Server</c>) as <c>***</c> too: for
    /// the answer to a login, whose new token no mask knows yet.</param>
    public static string Format(HttpHeaders headers, HttpHeaders? contentHeaders, IEnumerable<string?>? secrets = null, bool withholdFreeText = false)
    {
        var text = new StringBuilder();
        Append(text, headers, secrets, withholdFreeText);
        if (contentHeaders is not null)
        {
            Append(text, contentHeaders, secrets, withholdFreeText);
        }

        return text.ToString();
    }

    private static void Append(StringBuilder text, HttpHeaders headers, IEnumerable<string?>? secrets, bool withholdFreeText)
    {
        foreach (var header in headers.NonValidated)
        {
            if (text.Length > 0)
            {
                text.Append("; ");
            }

            text.Append(header.Key).Append(": ");
            if (!IsAllowed(header.Key) || (withholdFreeText && FreeText.Contains(header.Key)))
            {
                text.Append("***");
                continue;
            }

            // Masked before it is cut: a secret across the cut would otherwise leave its first part.
            var value = SecretMasker.Mask(header.Value.ToString(), secrets);
            text.Append(value.Length <= MaxValueLength ? value : string.Concat(value.AsSpan(0, MaxValueLength), "…"));
        }
    }
}
