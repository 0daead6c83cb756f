using TrainingApis.Core.RateLimiting;
using TrainingApis.Testing;

namespace TrainingApis.Core.Tests.RateLimiting;

public sealed class QuotaLimiterRegistryTests
{
    private static readonly RateLimitOptions Options = new() { PermitLimit = 3, Window = TimeSpan.FromMinutes(1), QueueLimit = 7 };

    [Fact]
    public void The_same_credential_gives_the_same_limiter()
    {
        var registry = new QuotaLimiterRegistry(FakeTime.Create());

        var a = registry.GetOrCreate("symtrain", "key-1", Options);
        var b = registry.GetOrCreate("symtrain", "key-1", new RateLimitOptions { PermitLimit = 3, Window = TimeSpan.FromMinutes(1), QueueLimit = 7 });

        b.Should().BeSameAs(a);
        a.PermitLimit.Should().Be(3);
        a.Window.Should().Be(TimeSpan.FromMinutes(1));
        a.QueueLimit.Should().Be(7);
        a.TryTakeConflict(out _).Should().BeFalse("both asked for the same limits");
    }

    [Fact]
    public void Different_limits_on_one_partition_apply_the_stricter_and_record_both()
    {
        var registry = new QuotaLimiterRegistry(FakeTime.Create());
        var a = registry.GetOrCreate("symtrain", "key-1", new RateLimitOptions { PermitLimit = 100, Window = TimeSpan.FromMinutes(5), QueueLimit = 1000 });

        // 60 per minute allows up to 300 in 5 minutes, 100 per 5 minutes up to 100 in one: only 60 per 5 minutes keeps both.
        var b = registry.GetOrCreate("symtrain", "key-1", new RateLimitOptions { PermitLimit = 60, Window = TimeSpan.FromMinutes(1), QueueLimit = 50 });

        b.Should().BeSameAs(a);
        (a.PermitLimit, a.Window, a.QueueLimit).Should().Be((60, TimeSpan.FromMinutes(5), 50));
        a.TryTakeConflict(out var conflict).Should().BeTrue();
        conflict.InForce.Should().Be(new QuotaSettings(100, TimeSpan.FromMinutes(5), 1000));
        conflict.Requested.Should().Be(new QuotaSettings(60, TimeSpan.FromMinutes(1), 50));
        conflict.Applied.Should().Be(new QuotaSettings(60, TimeSpan.FromMinutes(5), 50));
        conflict.Partition.Should().NotContain("key-1", "a credential is named by a hash only");
        a.TryTakeConflict(out _).Should().BeFalse("it is recorded once");

        registry.GetOrCreate("symtrain", "key-1", new RateLimitOptions { PermitLimit = 60, Window = TimeSpan.FromMinutes(1), QueueLimit = 50 });
        registry.GetOrCreate("symtrain", "key-1", new RateLimitOptions { PermitLimit = 100, Window = TimeSpan.FromMinutes(5), QueueLimit = 1000 });
        a.TryTakeConflict(out _).Should().BeFalse("settings seen before are not reported again");
    }

    [Fact]
    public void A_looser_limit_on_a_partition_is_reported_and_never_loosens_it()
    {
        var registry = new QuotaLimiterRegistry(FakeTime.Create());
        var a = registry.GetOrCreate("symtrain", "key-1", new RateLimitOptions { PermitLimit = 50 });

        registry.GetOrCreate("symtrain", "key-1", new RateLimitOptions { PermitLimit = 100 });

        a.PermitLimit.Should().Be(50);
        a.TryTakeConflict(out var conflict).Should().BeTrue("a client asking for 100 gets 50: that must not be silent");
        conflict.Requested.PermitLimit.Should().Be(100);
        conflict.Applied.PermitLimit.Should().Be(50);
    }

    [Fact]
    public async Task Tightening_holds_back_waiters_until_the_stricter_limit_allows_them()
    {
        var time = FakeTime.Create();
        var registry = new QuotaLimiterRegistry(time);
        var limiter = registry.GetOrCreate("symtrain", "key-1", new RateLimitOptions { PermitLimit = 2, Window = TimeSpan.FromMinutes(1) });
        (await limiter.AcquireAsync()).Dispose();

        registry.GetOrCreate("symtrain", "key-1", new RateLimitOptions { PermitLimit = 1, Window = TimeSpan.FromMinutes(1) });
        var waiter = limiter.AcquireAsync().AsTask();

        waiter.IsCompleted.Should().BeFalse("the one permit of the stricter limit is used");
        time.Advance(TimeSpan.FromMinutes(1));
        (await waiter).IsAcquired.Should().BeTrue();
    }

    [Fact]
    public void Clients_with_different_keys_and_the_same_PartitionKey_share_one_limiter()
    {
        var registry = new QuotaLimiterRegistry(FakeTime.Create());
        var shared = new RateLimitOptions { PartitionKey = "egress-1" };

        var a = registry.GetOrCreate("symtrain", "key-1", shared);
        var b = registry.GetOrCreate("symtrain", "key-2", new RateLimitOptions { PartitionKey = "egress-1" });

        b.Should().BeSameAs(a);
        registry.GetOrCreate("symtrain", "key-1", Options).Should().NotBeSameAs(a, "without a PartitionKey the key is its own partition");
        registry.GetOrCreate("symtrain", "key-1", new RateLimitOptions { PartitionKey = "egress-2" }).Should().NotBeSameAs(a);
        registry.GetOrCreate("senar", "key-1", shared).Should().NotBeSameAs(a, "a partition is per service");
        registry.GetOrCreate("symtrain", "egress-1", Options).Should().NotBeSameAs(a, "a credential equal to a PartitionKey is another partition");
    }

    [Fact]
    public void A_configured_PartitionKey_names_the_partition_in_a_conflict()
    {
        var registry = new QuotaLimiterRegistry(FakeTime.Create());
        var a = registry.GetOrCreate("symtrain", "key-1", new RateLimitOptions { PartitionKey = "egress-1" });

        registry.GetOrCreate("symtrain", "key-2", new RateLimitOptions { PartitionKey = "egress-1", PermitLimit = 40 });

        a.PermitLimit.Should().Be(40);
        a.TryTakeConflict(out var conflict).Should().BeTrue();
        conflict.Partition.Should().Be("'egress-1'");
    }

    [Fact]
    public void Different_keys_or_scopes_give_different_limiters()
    {
        var registry = new QuotaLimiterRegistry(FakeTime.Create());

        var a = registry.GetOrCreate("symtrain", "key-1", Options);

        registry.GetOrCreate("symtrain", "key-2", Options).Should().NotBeSameAs(a);
        registry.GetOrCreate("senar", "key-1", Options).Should().NotBeSameAs(a);
        registry.GetOrCreate("symtrain", "KEY-1", Options).Should().NotBeSameAs(a, "keys are case-sensitive");
    }

    [Fact]
    public async Task Concurrent_callers_with_one_key_share_one_limiter()
    {
        var registry = new QuotaLimiterRegistry(FakeTime.Create());

        var limiters = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => registry.GetOrCreate("symtrain", "shared", Options))));

        limiters.Distinct().Should().ContainSingle();
    }

    [Fact]
    public async Task Limiters_run_on_the_registry_clock()
    {
        var time = FakeTime.Create();
        var limiter = QuotaLimiterRegistry.For(time).GetOrCreate("symtrain", "clock", new RateLimitOptions { PermitLimit = 1, Window = TimeSpan.FromMinutes(5) });

        (await limiter.AcquireAsync()).Dispose();
        limiter.AvailablePermits.Should().Be(0);
        time.Advance(TimeSpan.FromMinutes(5));

        limiter.AvailablePermits.Should().Be(1);
    }

    [Fact]
    public void For_gives_one_registry_per_clock_and_the_shared_one_for_the_system_clock()
    {
        var one = FakeTime.Create();
        var two = FakeTime.Create();

        QuotaLimiterRegistry.For(null).Should().BeSameAs(QuotaLimiterRegistry.Shared);
        QuotaLimiterRegistry.For(TimeProvider.System).Should().BeSameAs(QuotaLimiterRegistry.Shared);
        QuotaLimiterRegistry.For(one).Should().BeSameAs(QuotaLimiterRegistry.For(one));
        QuotaLimiterRegistry.For(one).Should().NotBeSameAs(QuotaLimiterRegistry.For(two));
        QuotaLimiterRegistry.For(one).TimeProvider.Should().BeSameAs(one);
    }

    [Fact]
    public void Null_arguments_are_argument_errors()
    {
        var registry = new QuotaLimiterRegistry();

        FluentActions.Invoking(() => registry.GetOrCreate(null!, "k", Options)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => registry.GetOrCreate("s", null!, Options)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => registry.GetOrCreate("s", "k", null!)).Should().Throw<ArgumentNullException>();
    }
}
