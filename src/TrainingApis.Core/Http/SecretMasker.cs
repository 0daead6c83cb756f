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
}
