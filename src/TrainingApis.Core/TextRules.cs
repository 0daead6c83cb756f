namespace TrainingApis.Core;

/// <summary>
/// Text that no name, address or organization sent to a vendor may hold, checked before any I/O, so that a value damaged
/// on its way here is never stored by the vendor as it is (the bulk import's CSV reader applies the same rule to files).
/// </summary>
internal static class TextRules
{
    /// <summary>
    /// What is wrong with <paramref name="value"/>, as a phrase completing the field's name, or null: a control character
    /// (line breaks and tabs included), U+FFFD (the replacement character a wrong decoding leaves), U+FEFF (a byte order
    /// mark inside text) or a lone surrogate (<see cref="LoneSurrogateProblem"/>).
    /// </summary>
    /// <param name="value">The text.</param>
    /// <param name="allowLineBreaks">Whether tabs and line breaks are text here (a free-form field), not damage.</param>
    public static string? DamagedTextProblem(string value, bool allowLineBreaks = false)
    {
        if (LoneSurrogateProblem(value) is { } surrogate)
        {
            return surrogate;
        }

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

            if (char.IsControl(c) && !(allowLineBreaks && c is '\t' or '\r' or '\n'))
            {
                return $"must not contain line breaks or other control characters (it holds U+{(int)c:X4}).";
            }
        }

        return null;
    }

    /// <summary>
    /// What is wrong with <paramref name="value"/> when it holds half of a surrogate pair, as a phrase completing the
    /// field's name, or null: UTF-8 cannot carry it, so the vendor would receive U+FFFD in its place.
    /// </summary>
    public static string? LoneSurrogateProblem(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsSurrogatePair(value, i))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return $"holds a lone surrogate (U+{(int)value[i]:X4}), half of a character that UTF-8 cannot carry (it would be sent as U+FFFD): " +
                    "the value was cut or damaged before it got here. Correct it from the source.";
            }
        }

        return null;
    }
}
