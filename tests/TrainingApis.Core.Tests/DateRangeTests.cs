using TrainingApis.Core;

namespace TrainingApis.Core.Tests;

public class DateRangeTests
{
    [Fact]
    public void Start_after_end_is_rejected_naming_both_dates()
    {
        var act = () => new DateRange(new DateOnly(2024, 2, 1), new DateOnly(2024, 1, 1));

        act.Should().Throw<ArgumentException>().WithMessage("*2024-02-01*2024-01-01*");
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(180, 180)]
    [InlineData(400, 180)]
    [InlineData(365, 7)]
    [InlineData(1000, 1)]
    public void Split_covers_the_range_exactly_with_consecutive_windows(int days, int maxDays)
    {
        var range = DateRange.FromDays(new DateOnly(2023, 3, 15), days);

        var windows = range.Split(maxDays).ToList();

        windows[0].Start.Should().Be(range.Start);
        windows[^1].End.Should().Be(range.End);
        windows.Should().OnlyContain(w => w.Days <= maxDays);
        for (var i = 1; i < windows.Count; i++)
        {
            windows[i].Start.DayNumber.Should().Be(windows[i - 1].End.DayNumber + 1);
        }

        windows.Sum(w => w.Days).Should().Be(days);
    }

    [Fact]
    public void Dates_are_written_as_iso_days()
    {
        var range = new DateRange(new DateOnly(2024, 1, 5), new DateOnly(2024, 12, 31));

        range.StartText.Should().Be("2024-01-05");
        range.EndText.Should().Be("2024-12-31");
        range.ToString().Should().Be("2024-01-05/2024-12-31");
    }
}
