namespace TrainingApis.Core;

/// <summary>
/// Text that no name, address or organization sent to a vendor may hold, checked before any I/O, so that a value damaged
/// on its way here is never stored by the vendor as it is (the bulk import's CSV reader applies the same rule to files).
/// </summary>
internal static class TextRules
{
    /// <summary>
    /// What is wrong with <paramref name="value"/>, as a phrase completing the field's name, or null: a control character
    /// (line breaks and tabs included), U+FFFD (the replacement character a wrong decoding leaves) or U+FEFF (a byte order
    /// mark inside text).
    /// </summary>
    public static string? DamagedTextProblem(string value)
    {
        foreach (var c in value)
        {
            if (c == '\uFFFD')
            {
                return "holds U+FFFD, the character a program writes for text it could not decode: the value was damaged before it got here " +
                    "(a file saved as Windows-1252 and read as UTF-8, for example). Correct it from the source.";
            }

            if (c == '\uFEFF')
            {
                return "holds U+FEFF, a byte order mark inside the text, which no name or address contains. Remove it.";
            }

            if (char.IsControl(c))
            {
                return $"must not contain line breaks or other control characters (it holds U+{(int)c:X4}).";
            }
        }

        return null;
    }
}
