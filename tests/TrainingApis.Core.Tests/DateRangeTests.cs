using System.Globalization;

namespace TrainingApis.Core.Tests;

public sealed class DateRangeTests
{
    [Fact]
    public void Start_after_end_is_rejected_naming_both_dates()
    {
        var act = () => new DateRange(new DateOnly(2024, 2, 1), new DateOnly(2024, 1, 1));

        act.Should().Throw<ArgumentException>().WithMessage("*2024-02-01*2024-01-01*").Which.ParamName.Should().Be("start");
    }

    [Fact]
    public void A_single_day_is_a_valid_range_of_one_day()
    {
        var day = new DateOnly(2024, 2, 29);

        var range = new DateRange(day, day);

        range.Days.Should().Be(1);
        range.Split(1).Should().ContainSingle().Which.Should().Be(range);
    }

    [Fact]
    public void The_default_value_is_the_single_day_DateOnly_MinValue()
    {
        var range = default(DateRange);

        range.Start.Should().Be(DateOnly.MinValue);
        range.Days.Should().Be(1);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(180, 180)]
    [InlineData(181, 180)]
    [InlineData(400, 180)]
    [InlineData(365, 7)]
    [InlineData(1000, 1)]
    [InlineData(10, 1000)]
    public void Split_covers_the_range_exactly_with_consecutive_windows(int days, int maxDays)
    {
        var range = DateRange.FromDays(new DateOnly(2023, 3, 15), days);

        var windows = range.Split(maxDays).ToList();

        AssertExactCover(range, windows, maxDays);
        windows.Should().HaveCount((days + maxDays - 1) / maxDays);
        windows.SkipLast(1).All(w => w.Days == maxDays).Should().BeTrue("every window but the last is full");
    }

    [Fact]
    public void Split_at_DateOnly_MaxValue_does_not_overflow()
    {
        var range = new DateRange(DateOnly.MaxValue.AddDays(-1000), DateOnly.MaxValue);

        var windows = range.Split(180).ToList();

        AssertExactCover(range, windows, 180);
        windows[^1].End.Should().Be(DateOnly.MaxValue);
    }

    [Fact]
    public void Split_of_a_range_ending_at_MaxValue_with_a_huge_window_is_one_window()
    {
        var range = new DateRange(DateOnly.MaxValue.AddDays(-5), DateOnly.MaxValue);

        range.Split(int.MaxValue).Should().Equal(range);
        range.Split(TimeSpan.MaxValue).Should().Equal(range);
    }

    [Fact]
    public void Split_of_the_whole_calendar_covers_it_exactly()
    {
        var range = new DateRange(DateOnly.MinValue, DateOnly.MaxValue);

        var windows = range.Split(36_500).ToList();

        AssertExactCover(range, windows, 36_500);
        range.Days.Should().Be(DateOnly.MaxValue.DayNumber + 1);
    }

    [Fact]
    public void Split_starting_at_MinValue_covers_exactly()
    {
        var range = DateRange.FromDays(DateOnly.MinValue, 50);

        AssertExactCover(range, range.Split(7).ToList(), 7);
    }

    [Fact]
    public void Split_by_a_timespan_counts_whole_days()
    {
        var range = DateRange.FromDays(new DateOnly(2024, 1, 1), 10);

        var windows = range.Split(TimeSpan.FromDays(3.9)).ToList();

        AssertExactCover(range, windows, 3);
        windows.Should().HaveCount(4);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Split_rejects_a_window_shorter_than_a_day(int maxDays)
    {
        var range = DateRange.FromDays(new DateOnly(2024, 1, 1), 10);

        range.Invoking(r => r.Split(maxDays)).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("maxDays");
        range.Invoking(r => r.Split(TimeSpan.FromHours(23))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("maxLength");
    }

    [Fact]
    public void FromDays_rejects_zero_days_and_ranges_past_MaxValue()
    {
        var zero = () => DateRange.FromDays(new DateOnly(2024, 1, 1), 0);
        var past = () => DateRange.FromDays(DateOnly.MaxValue, 2);

        zero.Should().Throw<ArgumentOutOfRangeException>();
        past.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("days");
        DateRange.FromDays(DateOnly.MaxValue, 1).End.Should().Be(DateOnly.MaxValue);
    }

    [Fact]
    public void Dates_are_written_as_iso_days()
    {
        var range = new DateRange(new DateOnly(2024, 1, 5), new DateOnly(2024, 12, 31));

        range.StartText.Should().Be("2024-01-05");
        range.EndText.Should().Be("2024-12-31");
        range.ToString().Should().Be("2024-01-05/2024-12-31");
        DateRange.Format(DateOnly.MinValue).Should().Be("0001-01-01");
        DateRange.Format(DateOnly.MaxValue).Should().Be("9999-12-31");
    }

    [Fact]
    public void Formatting_ignores_the_current_culture()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("ar-SA"); // Um Al Qura calendar, Arabic digits.
            new DateRange(new DateOnly(2024, 3, 1), new DateOnly(2024, 3, 2)).StartText.Should().Be("2024-03-01");
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Ranges_compare_by_value_and_deconstruct()
    {
        var a = new DateRange(new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 31));
        var b = DateRange.FromDays(new DateOnly(2024, 1, 1), 31);

        a.Should().Be(b);
        var (start, end) = a;
        start.Should().Be(new DateOnly(2024, 1, 1));
        end.Should().Be(new DateOnly(2024, 1, 31));
    }

    private static void AssertExactCover(DateRange range, List<DateRange> windows, int maxDays)
    {
        windows.Should().NotBeEmpty();
        windows[0].Start.Should().Be(range.Start);
        windows[^1].End.Should().Be(range.End);
        windows.Should().OnlyContain(w => w.Days >= 1 && w.Days <= maxDays && w.Start <= w.End);
        for (var i = 1; i < windows.Count; i++)
        {
            windows[i].Start.DayNumber.Should().Be(windows[i - 1].End.DayNumber + 1, "window {0} follows window {1} with no gap or overlap", i, i - 1);
        }

        windows.Sum(w => (long)w.Days).Should().Be(range.Days);
    }
}
