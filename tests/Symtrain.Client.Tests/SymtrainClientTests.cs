using Symtrain.Client.Reports;
using TrainingApis.Core;
using TrainingApis.Core.RateLimiting;
using TrainingApis.Testing;

namespace Symtrain.Client.Tests;

public class SymtrainClientTests
{
    private static readonly DateRange Week = DateRange.FromDays(new DateOnly(2024, 1, 1), 7);

    [Fact]
    public void The_client_is_usable_without_dependency_injection()
    {
        using var client = new SymtrainClient(new SymtrainClientOptions { ApiKey = "sk_test_key" });

        client.Reports.Should().NotBeNull();
        client.Access.Should().NotBeNull();
        client.Users.Should().NotBeNull();
        ((ISymtrainClient)client).Reports.Should().BeSameAs(client.Reports);
    }

    [Fact]
    public void Invalid_options_fail_at_construction_naming_the_setting()
    {
        var act = () => new SymtrainClient(new SymtrainClientOptions());

        act.Should().Throw<ArgumentException>().WithMessage("*SymtrainClientOptions.ApiKey is required*");
        ((Action)(() => new SymtrainClient(null!))).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public async Task The_key_is_read_on_every_request_so_it_can_rotate()
    {
        using var harness = Harness.Json("[]");

        await harness.Client.Reports.GetUsersAsync(Week);
        harness.Options.ApiKey = "sk_rotated_key";
        await harness.Client.Reports.GetUsersAsync(Week);

        harness.Requests.Select(r => r.Authorization).Should().Equal("Bearer " + Harness.ApiKey, "Bearer sk_rotated_key");
    }

    [Fact]
    public async Task Clients_with_the_same_key_share_one_quota()
    {
        var time = FakeTime.Create();
        var handler = FakeHttpHandler.Json("[]");
        SymtrainClientOptions Options(string key) => new()
        {
            ApiKey = key,
            Retry = new RetryOptions { MaxRetries = 0 },
            RateLimit = new RateLimitOptions { PermitLimit = 2, Window = TimeSpan.FromMinutes(5), QueueLimit = 0 },
        };
        using var first = new SymtrainClient(Options("sk_shared"), handler, time);
        using var second = new SymtrainClient(Options("sk_shared"), handler, time);
        using var other = new SymtrainClient(Options("sk_other"), handler, time);

        await first.Reports.GetUsersAsync(Week);
        await second.Reports.GetUsersAsync(Week);
        var third = () => first.Reports.GetUsersAsync(Week);

        (await third.Should().ThrowAsync<ApiRateLimitException>()).Which.IsLocal.Should().BeTrue();
        await other.Reports.GetUsersAsync(Week);
        handler.Count.Should().Be(3);
        QuotaLimiterRegistry.For(time).GetOrCreate("symtrain", "sk_shared", new RateLimitOptions()).AvailablePermits.Should().Be(0);
    }

    [Fact]
    public async Task The_quota_refills_after_the_window_in_fake_time()
    {
        using var harness = Harness.Json("[]", o => o.RateLimit = new RateLimitOptions { PermitLimit = 1, Window = TimeSpan.FromMinutes(5) });

        await harness.Client.Reports.GetUsersAsync(Week);
        var second = harness.Client.Reports.GetUsersAsync(Week);
        await harness.Time.RunAsync(second);

        harness.Requests.Should().HaveCount(2);
        harness.Time.GetUtcNow().Should().BeOnOrAfter(new DateTimeOffset(2026, 1, 1, 0, 5, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task A_quota_that_is_off_never_waits()
    {
        using var harness = Harness.Json("[]", o => o.RateLimit = new RateLimitOptions { Enabled = false, PermitLimit = 0 });

        for (var i = 0; i < 5; i++)
        {
            await harness.Client.Reports.GetUsersAsync(Week);
        }

        harness.Requests.Should().HaveCount(5);
    }

    [Fact]
    public async Task Disposing_the_client_leaves_the_callers_handler_usable()
    {
        var handler = FakeHttpHandler.Json("[]");
        var options = new SymtrainClientOptions { ApiKey = "sk_dispose_test" };
        new SymtrainClient(options, handler, FakeTime.Create()).Dispose();

        using var client = new SymtrainClient(options, handler, FakeTime.Create());
        var rows = await client.Reports.GetReportAsync(SymtrainReport.Users, Week);

        rows.Should().BeEmpty();
    }
}
