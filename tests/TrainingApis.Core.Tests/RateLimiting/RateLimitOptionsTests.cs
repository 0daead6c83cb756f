using TrainingApis.Core.Tests.TestSupport;

namespace TrainingApis.Core.Tests.RateLimiting;

public sealed class RateLimitOptionsTests
{
    [Fact]
    public void PartitionKey_is_unset_by_default_so_the_credential_is_the_partition()
    {
        new RateLimitOptions().PartitionKey.Should().BeNull();
        new TestOptions { RateLimit = new RateLimitOptions { PartitionKey = "egress-1" } }.Validate().Should().BeEmpty();
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void A_blank_PartitionKey_is_reported_naming_the_setting(string partitionKey)
    {
        var options = new TestOptions { RateLimit = new RateLimitOptions { PartitionKey = partitionKey } };

        options.Validate().Should().ContainSingle().Which.Should().StartWith("TestOptions.RateLimit.PartitionKey must not be empty");
    }
}
