using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using TrainingApis.Core;
using TrainingApis.Testing;

namespace Symtrain.Client.Tests;

/// <summary><c>RateLimit.PartitionKey</c>: keys behind one egress address sharing one quota (the overview's per-IP reading).</summary>
public sealed class QuotaPartitionTests
{
    private static readonly DateRange Week = DateRange.FromDays(new DateOnly(2024, 1, 1), 7);

    [Fact]
    public async Task Clients_with_different_keys_and_the_same_PartitionKey_share_one_quota()
    {
        var time = FakeTime.Create();
        var handler = FakeHttpHandler.Json("[]");
        using var first = new SymtrainClient(Options("sk_office_one", "egress-1", permitLimit: 2, TimeSpan.FromMinutes(5)), handler, time);
        using var second = new SymtrainClient(Options("sk_office_two", "egress-1", permitLimit: 2, TimeSpan.FromMinutes(5)), handler, time);
        using var alone = new SymtrainClient(Options("sk_office_three", null, permitLimit: 2, TimeSpan.FromMinutes(5)), handler, time);

        await first.Reports.GetUsersAsync(Week);
        await second.Reports.GetUsersAsync(Week);
        var third = () => first.Reports.GetUsersAsync(Week);
        var fourth = () => second.Reports.GetUsersAsync(Week);

        (await third.Should().ThrowAsync<ApiRateLimitException>()).Which.IsLocal.Should().BeTrue();
        (await fourth.Should().ThrowAsync<ApiRateLimitException>()).Which.IsLocal.Should().BeTrue("both keys drew on the partition's 2 requests");
        await alone.Reports.GetUsersAsync(Week);
        handler.Requests.Select(r => r.Authorization).Should().Equal("Bearer sk_office_one", "Bearer sk_office_two", "Bearer sk_office_three");
        time.Advance(TimeSpan.FromMinutes(5));
        await second.Reports.GetUsersAsync(Week);
    }

    [Fact]
    public async Task Different_limits_on_one_partition_apply_the_stricter_and_a_warning_names_both()
    {
        var time = FakeTime.Create();
        var handler = FakeHttpHandler.Json("[]");
        using var provider = new FakeLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(provider));
        using var first = new SymtrainClient(Options("sk_office_one", "egress-1", permitLimit: 3, TimeSpan.FromMinutes(5)), handler, time, loggers);
        using var second = new SymtrainClient(Options("sk_office_two", "egress-1", permitLimit: 2, TimeSpan.FromMinutes(1)), handler, time, loggers);

        await first.Reports.GetUsersAsync(Week);
        await second.Reports.GetUsersAsync(Week);
        var third = () => first.Reports.GetUsersAsync(Week);

        (await third.Should().ThrowAsync<ApiRateLimitException>()).Which.IsLocal.Should().BeTrue("2 requests per 5 minutes keeps both limits");
        time.Advance(TimeSpan.FromMinutes(1));
        await third.Should().ThrowAsync<ApiRateLimitException>("the stricter limit's window is the longer one");
        var warning = provider.Collector.GetSnapshot().Should().ContainSingle(r => r.Level == LogLevel.Warning && r.Message.Contains("different limits")).Subject;
        warning.Message.Should().Be(
            "Two Symtrain clients share the quota partition 'egress-1' with different limits: 3 requests per 00:05:00 (QueueLimit 0) and "
            + "2 requests per 00:01:00 (QueueLimit 0). The stricter applies to both: 2 requests per 00:05:00 (QueueLimit 0).");
        provider.Collector.GetSnapshot().Should().NotContain(r => r.Message.Contains("sk_office"));
    }

    private static SymtrainClientOptions Options(string key, string? partitionKey, int permitLimit, TimeSpan window) => new()
    {
        ApiKey = key,
        Retry = new RetryOptions { MaxRetries = 0 },
        RateLimit = new RateLimitOptions { PermitLimit = permitLimit, Window = window, QueueLimit = 0, PartitionKey = partitionKey },
    };
}
