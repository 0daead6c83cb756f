using TrainingApis.Core.Tests.TestSupport;

namespace TrainingApis.Core.Tests;

public sealed class ApiClientOptionsTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        var options = new TestOptions();

        options.Validate().Should().BeEmpty();
        options.Timeout.Should().Be(TimeSpan.FromMinutes(10));
        options.AttemptTimeout.Should().Be(TimeSpan.FromSeconds(100));
        options.Retry.MaxRetries.Should().Be(3);
        options.Retry.MaxRetryAfter.Should().Be(TimeSpan.FromMinutes(5));
        options.RateLimit.PermitLimit.Should().Be(100);
        options.RateLimit.Window.Should().Be(TimeSpan.FromMinutes(5));
        options.MaxResponseBufferSize.Should().Be(64L * 1024 * 1024);
    }

    [Fact]
    public void Validate_reports_every_problem_naming_each_setting()
    {
        var options = new TestOptions
        {
            BaseAddress = new Uri("http://example.com/"),
            Timeout = TimeSpan.Zero,
            AttemptTimeout = TimeSpan.FromSeconds(-1),
            MaxResponseBufferSize = 0,
            Retry = new RetryOptions { MaxRetries = -1, BaseDelay = TimeSpan.FromSeconds(-1), MaxRetryAfter = TimeSpan.FromSeconds(-1) },
            RateLimit = new RateLimitOptions { PermitLimit = 0, Window = TimeSpan.Zero, QueueLimit = -1 },
            ApiKey = "ab",
        };

        var errors = options.Validate();

        errors.Should().Contain(e => e.StartsWith("TestOptions.BaseAddress must use https", StringComparison.Ordinal));
        errors.Should().Contain(e => e.StartsWith("TestOptions.Timeout", StringComparison.Ordinal));
        errors.Should().Contain(e => e.StartsWith("TestOptions.AttemptTimeout", StringComparison.Ordinal));
        errors.Should().Contain(e => e.StartsWith("TestOptions.MaxResponseBufferSize", StringComparison.Ordinal));
        errors.Should().Contain(e => e.StartsWith("TestOptions.Retry.MaxRetries", StringComparison.Ordinal));
        errors.Should().Contain(e => e.StartsWith("TestOptions.Retry.BaseDelay", StringComparison.Ordinal));
        errors.Should().Contain(e => e.StartsWith("TestOptions.Retry.MaxRetryAfter", StringComparison.Ordinal));
        errors.Should().Contain(e => e.StartsWith("TestOptions.RateLimit.PermitLimit", StringComparison.Ordinal));
        errors.Should().Contain(e => e.StartsWith("TestOptions.RateLimit.Window", StringComparison.Ordinal));
        errors.Should().Contain(e => e.StartsWith("TestOptions.RateLimit.QueueLimit", StringComparison.Ordinal));
        errors.Should().Contain("TestOptions.ApiKey is too short.");
    }

    [Fact]
    public void ThrowIfInvalid_lists_all_problems_in_one_ArgumentException()
    {
        var options = new TestOptions { Timeout = TimeSpan.Zero, MaxResponseBufferSize = -5 };

        var act = options.ThrowIfInvalid;

        act.Should().Throw<ArgumentException>().WithMessage("*TestOptions.Timeout*TestOptions.MaxResponseBufferSize*");
    }

    [Fact]
    public void Missing_sub_options_are_reported_not_thrown()
    {
        var options = new TestOptions { BaseAddress = null!, Retry = null!, RateLimit = null! };

        options.Validate().Should().BeEquivalentTo("TestOptions.BaseAddress is required.", "TestOptions.Retry is required.", "TestOptions.RateLimit is required.");
    }

    [Fact]
    public void Infinite_timeouts_and_loopback_http_are_accepted()
    {
        var options = new TestOptions
        {
            BaseAddress = new Uri("http://localhost:5000/"),
            Timeout = Timeout.InfiniteTimeSpan,
            AttemptTimeout = Timeout.InfiniteTimeSpan,
        };

        options.Validate().Should().BeEmpty();
    }

    [Fact]
    public void A_disabled_quota_is_not_validated()
    {
        var options = new TestOptions { RateLimit = new RateLimitOptions { Enabled = false, PermitLimit = 0 } };

        options.Validate().Should().BeEmpty();
    }
}
