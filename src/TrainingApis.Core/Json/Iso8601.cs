namespace TrainingApis.Core.Json;

/// <summary>
/// A strict reader of the ISO 8601 / RFC 3339 forms servers send (see <see cref="LenientDateTimeConverter"/>): written
/// by hand because no framework format string takes 8 or 9 fractional digits, optional seconds and every offset form.
/// </summary>
internal static class Iso8601
{
    private const int MaxOffsetMinutes = 14 * 60;

    /// <summary>
    /// Reads <paramref name="text"/> (no surrounding white space) into the date-time as written and its offset, null
    /// when none was given.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DateTime local, out TimeSpan? offset)
    {
        local = default;
        offset = null;

        // yyyy-MM-dd
        if (text.Length < 10 || text[4] != '-' || text[7] != '-'
            || !TryDigits(text[..4], out var year) || !TryDigits(text.Slice(5, 2), out var month) || !TryDigits(text.Slice(8, 2), out var day)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        if (text.Length == 10)
        {
            local = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Unspecified);
            return true;
        }

        // T, t or one space, then HH:mm
        if (text[10] is not ('T' or 't' or ' ') || text.Length < 16 || text[13] != ':'
            || !TryDigits(text.Slice(11, 2), out var hour) || !TryDigits(text.Slice(14, 2), out var minute) || hour > 23 || minute > 59)
        {
            return false;
        }

        var position = 16;
        var second = 0;
        long fractionTicks = 0;
        if (position < text.Length && text[position] == ':')
        {
            if (text.Length < position + 3 || !TryDigits(text.Slice(position + 1, 2), out second) || second > 59)
            {
                return false;
            }

            position += 3;
            if (position < text.Length && text[position] is '.' or ',')
            {
                position++;
                var digits = 0;
                while (position < text.Length && char.IsAsciiDigit(text[position]))
                {
                    // Ticks are 100 ns: the first 7 digits count, the 8th and 9th are truncated.
                    if (digits < 7)
                    {
                        fractionTicks = (fractionTicks * 10) + (text[position] - '0');
                    }

                    digits++;
                    position++;
                }

                if (digits is 0 or > 9)
                {
                    return false;
                }

                for (; digits < 7; digits++)
                {
                    fractionTicks *= 10;
                }
            }
        }

        local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(fractionTicks);
        if (position == text.Length)
        {
            return true;
        }

        if (!TryParseOffset(text[position..], out var parsed))
        {
            local = default;
            return false;
        }

        offset = parsed;
        return true;
    }

    // Z, or +hh:mm, +hhmm, +hh (and '-'), at most 14 hours.
    private static bool TryParseOffset(ReadOnlySpan<char> text, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (text is "Z" or "z")
        {
            return true;
        }

        if (text.Length < 3 || text[0] is not ('+' or '-') || !TryDigits(text.Slice(1, 2), out var hours))
        {
            return false;
        }

        var minutes = 0;
        var rest = text[3..];
        if (rest.Length > 0)
        {
            if (rest[0] == ':')
            {
                rest = rest[1..];
            }

            if (rest.Length != 2 || !TryDigits(rest, out minutes) || minutes > 59)
            {
                return false;
            }
        }

        var total = (hours * 60) + minutes;
        if (total > MaxOffsetMinutes)
        {
            return false;
        }

        offset = TimeSpan.FromMinutes(text[0] == '-' ? -total : total);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
