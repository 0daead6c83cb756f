using TrainingApis.Core;

namespace Symtrain.Client.Tests;

public class SymtrainClientOptionsTests
{
    [Fact]
    public void Defaults_follow_the_vendor()
    {
        var options = new SymtrainClientOptions();

        options.BaseAddress.Should().Be(new Uri("https://api.symtrain.com"));
        options.MaxReportRange.Should().Be(TimeSpan.FromDays(180));
        options.RateLimit.Enabled.Should().BeTrue();
        options.RateLimit.PermitLimit.Should().Be(100);
        options.RateLimit.Window.Should().Be(TimeSpan.FromMinutes(5));
        options.DeepLinkTokenParameter.Should().Be("token");
        options.LibraryPageSize.Should().Be(50);
        options.BulkImportWaitTimeout.Should().BePositive();
    }

    [Fact]
    public void ToString_masks_the_key()
    {
        var options = new SymtrainClientOptions { ApiKey = "sk_live_supersecret" };

        options.ToString().Should().NotContain("supersecret").And.Contain("ApiKey = ***").And.Contain("https://api.symtrain.com");
        new SymtrainClientOptions().ToString().Should().Contain("ApiKey = (not set)");
    }

    [Fact]
    public void Validation_names_every_bad_setting_at_once()
    {
        var options = new SymtrainClientOptions
        {
            BaseAddress = new Uri("http://api.symtrain.com"),
            MaxReportRange = TimeSpan.FromHours(12),
            DeepLinkTokenParameter = "a&b",
            LibraryPageSize = 0,
            MaxPages = 0,
            BulkImportPollInterval = TimeSpan.Zero,
            BulkImportWaitTimeout = TimeSpan.FromSeconds(-1),
            RateLimit = new RateLimitOptions { PermitLimit = 0 },
        };

        var errors = options.Validate();

        errors.Should().Contain("SymtrainClientOptions.ApiKey is required.");
        string.Join("\n", errors).Should()
            .Contain("SymtrainClientOptions.BaseAddress").And.Contain("https")
            .And.Contain("SymtrainClientOptions.MaxReportRange")
            .And.Contain("SymtrainClientOptions.DeepLinkTokenParameter")
            .And.Contain("SymtrainClientOptions.LibraryPageSize")
            .And.Contain("SymtrainClientOptions.MaxPages")
            .And.Contain("SymtrainClientOptions.BulkImportPollInterval")
            .And.Contain("SymtrainClientOptions.BulkImportWaitTimeout")
            .And.Contain("SymtrainClientOptions.RateLimit.PermitLimit");
    }

    [Fact]
    public void A_key_with_a_line_break_is_refused_and_not_echoed()
    {
        var options = new SymtrainClientOptions { ApiKey = "abc\r\nX-Evil: 1" };

        var errors = options.Validate();

        errors.Should().ContainSingle().Which.Should().Contain("SymtrainClientOptions.ApiKey").And.NotContain("X-Evil");
    }

    [Fact]
    public void Plain_http_is_allowed_for_a_loopback_sandbox()
    {
        new SymtrainClientOptions { ApiKey = "k", BaseAddress = new Uri("http://127.0.0.1:5080") }.Validate().Should().BeEmpty();
    }
}
