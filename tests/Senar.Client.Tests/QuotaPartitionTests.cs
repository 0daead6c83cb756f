using Senar.Client.Tests.TestSupport;
using TrainingApis.Core;

namespace Senar.Client.Tests;

/// <summary><c>RateLimit.PartitionKey</c>: two Senar accounts drawing on one quota.</summary>
public sealed class QuotaPartitionTests
{
    [Fact]
    public async Task Two_usernames_with_the_same_PartitionKey_share_one_quota_and_without_it_each_has_its_own()
    {
        var fake = new SenarFake();
        void Limit(SenarClientOptions o, string username, string? partitionKey)
        {
            o.Username = username;
            o.Retry = new RetryOptions { MaxRetries = 0 };
            o.RateLimit = new RateLimitOptions { Enabled = true, PermitLimit = 4, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, PartitionKey = partitionKey };
        }

        using var first = fake.CreateClient(o => Limit(o, "first@example.com", "egress-1"));
        using var second = fake.CreateClient(o => Limit(o, "second@example.com", "egress-1"));
        using var alone = fake.CreateClient(o => Limit(o, "third@example.com", null));

        await first.Users.ListAsync(); // A login and a list: 2 of the partition's 4.
        await second.Users.ListAsync(); // Its own login and list: 4 of 4.
        await alone.Users.ListAsync();
        await alone.Users.ListAsync();
        var more = () => first.Users.ListAsync();

        (await more.Should().ThrowAsync<ApiRateLimitException>()).Which.IsLocal.Should().BeTrue();
        fake.LoginCount.Should().Be(3, "each account logged in as itself");
        fake.Time.Advance(TimeSpan.FromMinutes(1));
        await first.Users.ListAsync();
    }
}
