using System.Globalization;

namespace TrainingApis.Core;

/// <summary>
/// An inclusive range of calendar days, as the report endpoints take it (<c>startDate</c> and <c>endDate</c>, both included).
/// </summary>
/// <remarks>Dates are written as <c>YYYY-MM-DD</c> (<see cref="DateFormat"/>).</remarks>
public readonly record struct DateRange
{
    /// <summary>The format in which the APIs expect dates: <c>yyyy-MM-dd</c>.</summary>
    public const string DateFormat = "yyyy-MM-dd";

    /// <summary>Creates a range from <paramref name="start"/> to <paramref name="end"/>, both included.</summary>
    /// <exception cref="ArgumentException"><paramref name="start"/> is after <paramref name="end"/>.</exception>
    public DateRange(DateOnly start, DateOnly end)
    {
        if (start > end)
        {
            throw new ArgumentException(
                $"The start date {Format(start)} is after the end date {Format(end)}; a range needs start <= end.",
                nameof(start));
        }

        Start = start;
        End = end;
    }

    /// <summary>The first day of the range.</summary>
    public DateOnly Start { get; }

    /// <summary>The last day of the range (included).</summary>
    public DateOnly End { get; }

    /// <summary>The number of days in the range, both ends included (a one-day range has 1).</summary>
    public int Days => End.DayNumber - Start.DayNumber + 1;

    /// <summary>The start date as <c>YYYY-MM-DD</c>.</summary>
    public string StartText => Format(Start);

    /// <summary>The end date as <c>YYYY-MM-DD</c>.</summary>
    public string EndText => Format(End);

    /// <summary>Creates the range of <paramref name="days"/> days that begins on <paramref name="start"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="days"/> is less than 1 or the range would end after <see cref="DateOnly.MaxValue"/>.</exception>
    public static DateRange FromDays(DateOnly start, int days)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        if ((long)start.DayNumber + days - 1 > DateOnly.MaxValue.DayNumber)
        {
            throw new ArgumentOutOfRangeException(nameof(days), days, "The range would end after DateOnly.MaxValue.");
        }

        return new DateRange(start, DateOnly.FromDayNumber(start.DayNumber + days - 1));
    }

    /// <summary>
    /// Splits the range into consecutive windows of at most <paramref name="maxDays"/> days each: together they cover the
    /// range exactly, with no gap and no overlap, in order. Every window but the last has exactly <paramref name="maxDays"/> days.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDays"/> is less than 1.</exception>
    public IEnumerable<DateRange> Split(int maxDays)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDays, 1);
        return SplitIterator(this, maxDays);

        static IEnumerable<DateRange> SplitIterator(DateRange range, int maxDays)
        {
            // Day numbers, not AddDays, so that ranges ending at DateOnly.MaxValue cannot overflow.
            long start = range.Start.DayNumber;
            long last = range.End.DayNumber;
            while (start <= last)
            {
                long end = Math.Min(start + maxDays - 1, last);
                yield return new DateRange(DateOnly.FromDayNumber((int)start), DateOnly.FromDayNumber((int)end));
                start = end + 1;
            }
        }
    }

    /// <summary>
    /// Splits the range into consecutive windows no longer than <paramref name="maxLength"/>, counted in whole days
    /// (a fraction of a day is dropped). See <see cref="Split(int)"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is shorter than one day.</exception>
    public IEnumerable<DateRange> Split(TimeSpan maxLength)
    {
        if (maxLength < TimeSpan.FromDays(1))
        {
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "A window must be at least one day long.");
        }

        return Split((int)Math.Min(int.MaxValue, Math.Floor(maxLength.TotalDays)));
    }

    /// <summary>Deconstructs the range into its start and end.</summary>
    public void Deconstruct(out DateOnly start, out DateOnly end)
    {
        start = Start;
        end = End;
    }

    /// <summary>Returns the range as an ISO 8601 interval, <c>YYYY-MM-DD/YYYY-MM-DD</c>.</summary>
    public override string ToString() => $"{StartText}/{EndText}";

    /// <summary>Formats a date as <c>YYYY-MM-DD</c>, culture-invariant.</summary>
    public static string Format(DateOnly date) => date.ToString(DateFormat, CultureInfo.InvariantCulture);
}
