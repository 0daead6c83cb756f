using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace TrainingApis.Core.Http;

/// <summary>
/// Masks known secret values (API keys, passwords, tokens) in text that may reach a log, a message, a span or an
/// exception, in every form a server or a proxy may have echoed them in.
/// </summary>
/// <remarks>
/// A secret is found as written and in any mix of: JSON escapes (<c>\u002B</c> or <c>\u002b</c>, <c>\/</c>, <c>\"</c>…),
/// URL encoding (<c>%2B</c> or <c>%2b</c>, UTF-8 bytes, a space as <c>%20</c> or <c>+</c>), HTML character references
/// (<c>&amp;amp;</c>, <c>&amp;#38;</c>), and Base64 of its UTF-8 bytes (standard or URL-safe, with or without padding,
/// also inside a longer Base64 text such as a Basic credential). Secrets shorter than 4 characters are ignored: they
/// would mask ordinary words, and no real key or password is that short.
/// </remarks>
internal static class SecretMasker
{
    /// <summary>What a masked secret is replaced with.</summary>
    public const string Replacement = "***";

    private const int MinSecretLength = 4;

    // The shortest Base64 run masked when it stands for part of a secret inside a longer Base64 text: shorter runs
    // would match ordinary words.
    private const int MinBase64Core = 6;

    // The shortest run of plain characters worth looking for before running the pattern.
    private const int MinAnchor = 3;

    private static readonly ConcurrentDictionary<string, Masker> Patterns = new(StringComparer.Ordinal);

    /// <summary>Replaces every occurrence of each secret, in any of its encoded forms, with <see cref="Replacement"/>.</summary>
    /// <param name="text">The text to mask.</param>
    /// <param name="secrets">The secret values; null, empty and short ones are skipped.</param>
    /// <returns>The masked text (the same instance when nothing was found).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static string Mask(string text, IEnumerable<string?>? secrets)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (secrets is null || text.Length == 0)
        {
            return text;
        }

        var masker = MaskerFor(secrets);
        return masker is null || !masker.MayOccurIn(text) ? text : masker.Pattern.Replace(text, Replacement);
    }

    /// <summary>
    /// The secrets a request carries by itself: the credentials of its <c>Authorization</c> header and the values added
    /// with <see cref="ApiRequest.WithSecrets"/> (a password in its body).
    /// </summary>
    internal static IReadOnlyList<string?> SecretsOf(HttpRequestMessage? request)
    {
        if (request is null)
        {
            return [];
        }

        var own = request.GetSecrets();
        return request.Headers.Authorization?.Parameter is { Length: >= MinSecretLength } credential ? [credential, .. own] : own;
    }

    private static Masker? MaskerFor(IEnumerable<string?> secrets)
    {
        var distinct = secrets.OfType<string>().Where(static s => s.Length >= MinSecretLength).Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count == 0)
        {
            return null;
        }

        distinct.Sort(StringComparer.Ordinal);
        var key = string.Join('\0', distinct);
        if (Patterns.TryGetValue(key, out var cached))
        {
            return cached;
        }

        // Longest first: an alternation takes the first form that matches, and a longer form hides more.
        var forms = distinct.SelectMany(static s => FormsOf(s)).Distinct(StringComparer.Ordinal).OrderByDescending(static f => f.Length).ToList();
        var pattern = string.Join('|', forms.Select(PatternOf));
        var anchors = forms.Select(AnchorOf).ToList();
        var masker = new Masker(
            new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, TimeSpan.FromSeconds(2)),
            anchors.Contains(null) ? null : [.. anchors.OfType<string>().Distinct(StringComparer.Ordinal)]);
        if (Patterns.Count >= 32)
        {
            Patterns.Clear(); // Rotated keys and tokens must not pile up.
        }

        Patterns[key] = masker;
        return masker;
    }

    // The longest run of characters every match of the form holds as written (no encoder escapes them), or null.
    private static string? AnchorOf(string form)
    {
        var (bestStart, bestLength, start) = (0, 0, 0);
        for (var i = 0; i <= form.Length; i++)
        {
            if (i < form.Length && IsUnreserved(form[i]))
            {
                continue;
            }

            if (i - start > bestLength)
            {
                (bestStart, bestLength) = (start, i - start);
            }

            start = i + 1;
        }

        return bestLength >= MinAnchor ? form.Substring(bestStart, bestLength) : null;
    }

    private static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';

    // The secret itself and its Base64 encodings: the whole value (padded or not, standard or URL-safe), and the runs
    // that stand for it at each of the three byte alignments inside a longer Base64 text.
    private static IEnumerable<string> FormsOf(string secret)
    {
        yield return secret;
        var bytes = Encoding.UTF8.GetBytes(secret);
        var whole = Convert.ToBase64String(bytes);
        foreach (var form in (string[])[whole, whole.TrimEnd('=')])
        {
            yield return form;
            yield return ToUrlSafe(form);
        }

        for (var shift = 0; shift < 3; shift++)
        {
            // Encode behind `shift` filler bytes (and two after, so every character is complete), then keep only the
            // characters made of the secret's own bits.
            var padded = new byte[shift + bytes.Length + 2];
            bytes.CopyTo(padded, shift);
            var encoded = Convert.ToBase64String(padded);
            var first = ((8 * shift) + 5) / 6;
            var end = 8 * (shift + bytes.Length) / 6;
            if (end - first >= MinBase64Core)
            {
                var core = encoded[first..end];
                yield return core;
                yield return ToUrlSafe(core);
            }
        }

        static string ToUrlSafe(string base64) => base64.Replace('+', '-').Replace('/', '_');
    }

    private static string PatternOf(string form)
    {
        var pattern = new StringBuilder(form.Length * 16);
        foreach (var rune in form.EnumerateRunes())
        {
            AppendRune(pattern, rune);
        }

        return pattern.ToString();
    }

    // The character as written or in any escape a JSON writer, a URL encoder or an HTML encoder may have used for it.
    private static void AppendRune(StringBuilder pattern, Rune rune)
    {
        var text = rune.ToString();
        if (rune.IsAscii && IsUnreserved((char)rune.Value))
        {
            pattern.Append(text); // Unreserved: no encoder escapes it.
            return;
        }

        pattern.Append("(?:").Append(Regex.Escape(text));

        // JSON: \uXXXX per UTF-16 unit, either case, and the short escapes.
        pattern.Append('|');
        Span<char> units = stackalloc char[2];
        var count = rune.EncodeToUtf16(units);
        for (var i = 0; i < count; i++)
        {
            pattern.Append(@"\\u(?i:").Append(((int)units[i]).ToString("x4", CultureInfo.InvariantCulture)).Append(')');
        }

        pattern.Append(rune.Value switch
        {
            '"' => @"|\\""",
            '\\' => @"|\\\\",
            '/' => @"|\\/",
            '\b' => @"|\\b",
            '\f' => @"|\\f",
            '\n' => @"|\\n",
            '\r' => @"|\\r",
            '\t' => @"|\\t",
            ' ' => @"|\+",
            '&' => "|&amp;",
            '<' => "|&lt;",
            '>' => "|&gt;",
            '\'' => "|&apos;",
            _ => string.Empty,
        });
        if (rune.Value == '"')
        {
            pattern.Append("|&quot;");
        }

        // URL: every UTF-8 byte as %XX, either case.
        pattern.Append('|');
        Span<byte> utf8 = stackalloc byte[4];
        var length = rune.EncodeToUtf8(utf8);
        for (var i = 0; i < length; i++)
        {
            pattern.Append("%(?i:").Append(utf8[i].ToString("x2", CultureInfo.InvariantCulture)).Append(')');
        }

        // HTML: a numeric character reference, decimal or hexadecimal.
        pattern.Append("|&\\#0*").Append(rune.Value.ToString(CultureInfo.InvariantCulture)).Append(';');
        pattern.Append("|&\\#[xX]0*(?i:").Append(rune.Value.ToString("x", CultureInfo.InvariantCulture)).Append(");");
        pattern.Append(')');
    }

    /// <summary>The pattern of a set of secrets and, when every form has one, the plain runs a match must contain.</summary>
    private sealed class Masker(Regex pattern, string[]? anchors)
    {
#if NET9_0_OR_GREATER
        private readonly System.Buffers.SearchValues<string>? _anchors = anchors is null ? null : System.Buffers.SearchValues.Create(anchors, StringComparison.Ordinal);
#endif

        public Regex Pattern { get; } = pattern;

        // A cheap ordinal search first: most texts hold no secret, and the pattern is costly on a long body.
        public bool MayOccurIn(string text)
        {
            if (anchors is null)
            {
                return true;
            }
#if NET9_0_OR_GREATER
            return text.AsSpan().IndexOfAny(_anchors!) >= 0;
#else
            foreach (var anchor in anchors)
            {
                if (text.Contains(anchor, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
#endif
        }
    }
}
