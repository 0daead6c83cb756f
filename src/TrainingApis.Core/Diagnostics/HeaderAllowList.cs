using System.Net.Http.Headers;
using System.Text;

namespace TrainingApis.Core.Diagnostics;

/// <summary>
/// The headers whose values may be logged. Any other header (<c>Authorization</c>, cookies, vendor headers) is written
/// as its name with the value replaced by <c>***</c>, so a log shows that it was there but never what it held.
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

    /// <summary>Whether the value of <paramref name="name"/> may be logged.</summary>
    public static bool IsAllowed(string name) => Allowed.Contains(name);

    /// <summary>Formats the headers as <c>Name: value; Name: ***</c>, allow-listed values only.</summary>
    public static string Format(HttpHeaders headers, HttpHeaders? contentHeaders)
    {
        var text = new StringBuilder();
        Append(text, headers);
        if (contentHeaders is not null)
        {
            Append(text, contentHeaders);
        }

        return text.ToString();
    }

    private static void Append(StringBuilder text, HttpHeaders headers)
    {
        foreach (var header in headers.NonValidated)
        {
            if (text.Length > 0)
            {
                text.Append("; ");
            }

            text.Append(header.Key).Append(": ");
            if (!IsAllowed(header.Key))
            {
                text.Append("***");
                continue;
            }

            var value = header.Value.ToString();
            text.Append(value.Length <= MaxValueLength ? value : string.Concat(value.AsSpan(0, MaxValueLength), "…"));
        }
    }
}
