using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace TrainingApis.Core.Http;

/// <summary>Masks known secret values in text that may reach a log, a message or an exception.</summary>
public static class SecretMasker
{
    /// <summary>What a masked secret is replaced with.</summary>
    public const string Replacement = "***";

    /// <summary>Replaces every occurrence of each secret (ignoring secrets shorter than 4 characters) with <see cref="Replacement"/>.</summary>
    public static string Mask(string text, IEnumerable<string?>? secrets)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (secrets is null || text.Length == 0)
        {
            return text;
        }

        foreach (var secret in secrets)
        {
            // Very short values would mask ordinary words; no real key or password is that short.
            if (secret is { Length: >= 4 } && text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Replacement, StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <summary>
    /// Masks the secrets in a JSON document, whatever escaping the writer used for their characters (<c>\u002B</c> or
    /// <c>\u002b</c> for <c>+</c>, <c>\/</c> for <c>/</c>, <c>\"</c>…): a secret echoed inside a JSON string is masked too.
    /// </summary>
    internal static string MaskJson(string text, IEnumerable<string>? secrets)
    {
        text = Mask(text, secrets);
        if (secrets is null || !text.Contains('\\', StringComparison.Ordinal))
        {
            return text;
        }

        foreach (var secret in secrets)
        {
            if (secret is { Length: >= 4 })
            {
                var pattern = new StringBuilder(secret.Length * 24);
                foreach (var c in secret)
                {
                    pattern.Append(EscapedChar(c));
                }

                text = Regex.Replace(text, pattern.ToString(), Replacement, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2));
            }
        }

        return text;
    }

    // The character itself or any JSON escape of it: \uXXXX in either case, and the short escapes.
    private static string EscapedChar(char c)
    {
        var pattern = new StringBuilder("(?:");
        pattern.Append(Regex.Escape(c.ToString()));
        pattern.Append(@"|\\u(?i:").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)).Append(')');
        var shortEscape = c switch
        {
            '"' => @"|\\""",
            '\\' => @"|\\\\",
            '/' => @"|\\/",
            '\b' => @"|\\b",
            '\f' => @"|\\f",
            '\n' => @"|\\n",
            '\r' => @"|\\r",
            '\t' => @"|\\t",
            _ => string.Empty,
        };
        return pattern.Append(shortEscape).Append(')').ToString();
    }
}
