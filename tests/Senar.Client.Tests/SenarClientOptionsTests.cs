namespace Senar.Client.Tests;

public sealed class SenarClientOptionsTests
{
    [Fact]
    public void Defaults_to_studio_senar_io_with_the_quota_off()
    {
        var options = new SenarClientOptions();

        options.BaseAddress.Should().Be(new Uri("https://studio.senar.io"));
        options.RateLimit.Enabled.Should().BeFalse();
        options.Retry.MaxRetries.Should().Be(3);
        options.Timeout.Should().Be(TimeSpan.FromMinutes(10));
        options.Username.Should().BeNull();
        options.Password.Should().BeNull();
    }

    [Fact]
    public void The_quota_can_be_turned_on()
    {
        var options = new SenarClientOptions { Username = "u", Password = "p" };
        options.RateLimit.Enabled = true;
        options.RateLimit.PermitLimit = 60;
        options.RateLimit.Window = TimeSpan.FromMinutes(1);

        options.Validate().Should().BeEmpty();
    }

    [Fact]
    public void Validation_names_every_bad_setting()
    {
        var options = new SenarClientOptions
        {
            BaseAddress = new Uri("http://studio.senar.io"),
            Timeout = TimeSpan.Zero,
        };
        options.RateLimit.Enabled = true;
        options.RateLimit.PermitLimit = 0;

        var errors = options.Validate();

        errors.Should().HaveCount(5);
        errors.Should().Contain(e => e.StartsWith("SenarClientOptions.Username", StringComparison.Ordinal));
        errors.Should().Contain(e => e.StartsWith("SenarClientOptions.Password", StringComparison.Ordinal));
        errors.Should().Contain(e => e.StartsWith("SenarClientOptions.BaseAddress", StringComparison.Ordinal) && e.Contains("https"));
        errors.Should().Contain(e => e.StartsWith("SenarClientOptions.Timeout", StringComparison.Ordinal));
        errors.Should().Contain(e => e.StartsWith("SenarClientOptions.RateLimit.PermitLimit", StringComparison.Ordinal));
    }

    [Fact]
    public void A_loopback_http_address_is_allowed()
    {
        var options = new SenarClientOptions { Username = "u", Password = "p", BaseAddress = new Uri("http://localhost:5080") };

        options.Validate().Should().BeEmpty();
    }

    [Fact]
    public void ToString_masks_the_password()
    {
        var options = new SenarClientOptions { Username = "api-user@example.com", Password = "S3cret-pass!" };

        var text = options.ToString();

        text.Should().NotContain("S3cret-pass!").And.Contain("Password = ***").And.Contain("api-user@example.com").And.Contain("studio.senar.io");
        new SenarClientOptions().ToString().Should().Contain("Password = (not set)");
    }

    [Fact]
    public void ThrowIfInvalid_never_shows_the_password()
    {
        var options = new SenarClientOptions { Password = "S3cret-pass!", BaseAddress = new Uri("http://example.com") };

        var act = options.ThrowIfInvalid;

        act.Should().Throw<ArgumentException>().Which.Message.Should().NotContain("S3cret-pass!").And.Contain("SenarClientOptions.Username");
    }
}
