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
/// A secret is found as written and in any mix of: JSON escapes (<c>\u002B</c> or <c>\u002b</c>, <c>\/</c>, <c>\"</c>…,
/// of any character), URL encoding (<c>%2B</c> or <c>%2b</c>, UTF-8 bytes, a space as <c>%20</c> or <c>+</c>, encoded
/// twice as <c>%252B</c>), HTML character references (<c>&amp;amp;</c>, <c>&amp;#38;</c>, <c>&amp;#x26;</c>, the Latin-1
/// names such as <c>&amp;euml;</c>), Base64 of its UTF-8 bytes (standard or URL-safe, with or without padding, also
/// inside a longer Base64 text such as a Basic credential), in any letter case (a gateway may upper- or lower-case what
/// it echoes; a host name always is), and cut by line breaks (wrapped Base64, folded text) anywhere.
/// A secret shorter than <see cref="ShortSecretLength"/> characters is masked only where it stands alone, not inside a
/// longer run of letters and digits: masking a 1-character password everywhere would leave nothing readable, and
/// the run around it does not show which letters were the secret. Inside a longer Base64 text (a Basic credential) a
/// short secret of 5 characters or more is masked all the same: decoding it would show exactly which ones were.
/// </remarks>
internal static class SecretMasker
{
    /// <summary>What a masked secret is replaced with.</summary>
    public const string Replacement = "***";

    /// <summary>What a text is replaced with when its secrets could not be masked within the pattern's time limit.</summary>
    public const string Withheld = "*** (withheld: its secrets could not be masked in time)";

    /// <summary>Secrets shorter than this are masked only where no letter or digit touches them.</summary>
    public const int ShortSecretLength = 8;

    // The shortest Base64 run masked when it stands for part of a secret inside a longer Base64 text: shorter runs
    // would match ordinary words.
    private const int MinBase64Core = 6;

    // The shortest run of plain characters worth looking for before running the pattern.
    private const int MinAnchor = 3;

    // Where the pattern may match without any plain run of a secret: escapes and line breaks.
    private static readonly char[] EscapeMarks = ['\\', '%', '&', '\n'];

    // Between two characters of a secret: a line break of wrapped or folded text.
    private const string LineBreak = "(?:\r?\n)?";

    // The HTML names of the Latin-1 characters U+00A0 to U+00FF, in order (HTML 4, ISO 8859-1).
    private static readonly string[] Latin1EntityNames =
    [
        "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf", "laquo", "not", "shy", "reg", "macr",
        "deg", "plusmn", "sup2", "sup3", "acute", "micro", "para", "middot", "cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
        "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil", "Egrave", "Eacute", "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml",
        "ETH", "Ntilde", "Ograve", "Oacute", "Ocirc", "Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute", "THORN", "szlig",
        "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil", "egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml",
        "eth", "ntilde", "ograve", "oacute", "ocirc", "otilde", "ouml", "divide", "oslash", "ugrave", "uacute", "ucirc", "uuml", "yacute", "thorn", "yuml",
    ];

    private static readonly ConcurrentDictionary<string, Masker> Patterns = new(StringComparer.Ordinal);

    /// <summary>Replaces every occurrence of each secret, in any of its encoded forms, with <see cref="Replacement"/>.</summary>
    /// <param name="text">The text to mask.</param>
    /// <param name="secrets">The secret values; null and empty ones are skipped.</param>
    /// <returns>The masked text (the same instance when nothing was found), or <see cref="Withheld"/> when masking ran past its 2-second limit.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static string Mask(string text, IEnumerable<string?>? secrets)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (secrets is null || text.Length == 0)
        {
            return text;
        }

        var masker = MaskerFor(secrets);
        if (masker is null || !masker.MayOccurIn(text))
        {
            return text;
        }

        try
        {
            return masker.Pattern.Replace(text, Replacement);
        }
        catch (RegexMatchTimeoutException)
        {
            // A machine too busy to finish in time: withhold the text rather than show it unmasked or fail the caller.
            return Withheld;
        }
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
        return request.Headers.Authorization?.Parameter is { Length: > 0 } credential ? [credential, .. own] : own;
    }

    private static Masker? MaskerFor(IEnumerable<string?> secrets)
    {
        var distinct = secrets.OfType<string>().Where(static s => s.Length > 0).Distinct(StringComparer.Ordinal).ToList();
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

        // Longest first: an alternation takes the first form that matches, and a longer form hides more. A short secret
        // only where it stands alone (no letter or digit before or after it), except its runs inside a longer Base64 text:
        // decoding those shows exactly which characters were the secret (a Basic credential's "user:pass12").
        var forms = distinct
            .SelectMany(static s => FormsOf(s).Select(f => (f.Form, Alone: !f.InsideBase64 && s.Length < ShortSecretLength)))
            .Distinct()
            .OrderByDescending(static f => f.Form.Length)
            .ToList();
        var pattern = string.Join('|', forms.Select(static f => f.Alone ? $@"(?<![\p{{L}}\p{{N}}])(?:{PatternOf(f.Form)})(?![\p{{L}}\p{{N}}])" : PatternOf(f.Form)));
        var anchors = forms.Select(static f => AnchorOf(f.Form)).ToList();
        var masker = new Masker(
            new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture, TimeSpan.FromSeconds(2)),
            anchors.Contains(null) ? null : [.. anchors.OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase)]);
        if (Patterns.Count >= 32)
        {
            Patterns.Clear(); // Rotated keys and tokens must not pile up.
        }

        Patterns[key] = masker;
        return masker;
    }

    // The longest run of characters a match of the form holds as written, in some letter case, unless the text has an
    // escape or a line break (EscapeMarks), or null.
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

    // The secret itself and its Base64 encodings: the whole value (padded or not, standard or URL-safe), and the runs that
    // stand for it at each of the three byte alignments inside a longer Base64 text, when at least MinBase64Core long.
    private static IEnumerable<(string Form, bool InsideBase64)> FormsOf(string secret)
    {
        yield return (secret, false);
        var bytes = Encoding.UTF8.GetBytes(secret);
        var whole = Convert.ToBase64String(bytes);
        foreach (var form in (string[])[whole, whole.TrimEnd('=')])
        {
            yield return (form, false);
            yield return (ToUrlSafe(form), false);
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
                yield return (core, true);
                yield return (ToUrlSafe(core), true);
            }
        }

        static string ToUrlSafe(string base64) => base64.Replace('+', '-').Replace('/', '_');
    }

    private static string PatternOf(string form)
    {
        var pattern = new StringBuilder(form.Length * 24);
        foreach (var rune in form.EnumerateRunes())
        {
            if (pattern.Length > 0)
            {
                pattern.Append(LineBreak);
            }

            AppendRune(pattern, rune);
        }

        return pattern.ToString();
    }

    // The character in any escape a JSON writer, a URL encoder or an HTML encoder may have used for it, or as written:
    // the escapes first, so that a secret ending in '%' takes the whole "%25" rather than leave "25" behind.
    private static void AppendRune(StringBuilder pattern, Rune rune)
    {
        var text = rune.ToString();
        pattern.Append("(?:");

        // JSON: \uXXXX per UTF-16 unit, either case, and the short escapes.
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

        // URL: every UTF-8 byte as %XX, either case, or encoded twice as %25XX.
        pattern.Append('|');
        Span<byte> utf8 = stackalloc byte[4];
        var length = rune.EncodeToUtf8(utf8);
        for (var i = 0; i < length; i++)
        {
            pattern.Append("%(?:25)?(?i:").Append(utf8[i].ToString("x2", CultureInfo.InvariantCulture)).Append(')');
        }

        // HTML: a numeric character reference, decimal or hexadecimal, or the name of a Latin-1 character.
        pattern.Append("|&\\#0*").Append(rune.Value.ToString(CultureInfo.InvariantCulture)).Append(';');
        pattern.Append("|&\\#[xX]0*(?i:").Append(rune.Value.ToString("x", CultureInfo.InvariantCulture)).Append(");");
        if (rune.Value is >= 0xA0 and <= 0xFF)
        {
            pattern.Append("|&").Append(Latin1EntityNames[rune.Value - 0xA0]).Append(';');
        }

        pattern.Append('|').Append(Regex.Escape(text)).Append(')');
    }

    /// <summary>
    /// The pattern of a set of secrets and, when every form has one, the plain runs a match must contain when the text
    /// holds no escape and no line break.
    /// </summary>
    private sealed class Masker(Regex pattern, string[]? anchors)
    {
#if NET9_0_OR_GREATER
        private readonly System.Buffers.SearchValues<string>? _anchors = anchors is null ? null : System.Buffers.SearchValues.Create(anchors, StringComparison.OrdinalIgnoreCase);
#endif

        public Regex Pattern { get; } = pattern;

        // A cheap ordinal search first: most texts hold no secret, and the pattern is costly on a long body.
        public bool MayOccurIn(string text)
        {
            if (anchors is null || text.AsSpan().IndexOfAny(EscapeMarks) >= 0)
            {
                return true;
            }
#if NET9_0_OR_GREATER
            return text.AsSpan().IndexOfAny(_anchors!) >= 0;
#else
            foreach (var anchor in anchors)
            {
                if (text.Contains(anchor, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
#endif
        }
    }
}
