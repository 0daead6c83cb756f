using TrainingApis.Core.RateLimiting;
using TrainingApis.Testing;

namespace TrainingApis.Core.Tests.RateLimiting;

public sealed class QuotaLimiterRegistryTests
{
    private static readonly RateLimitOptions Options = new() { PermitLimit = 3, Window = TimeSpan.FromMinutes(1), QueueLimit = 7 };

    [Fact]
    public void The_same_partition_key_gives_the_same_limiter()
    {
        var registry = new QuotaLimiterRegistry(new FakeTimeProvider());

        var a = registry.GetOrCreate("symtrain", "key-1", Options);
        var b = registry.GetOrCreate("symtrain", "key-1", new RateLimitOptions { PermitLimit = 50 });

        b.Should().BeSameAs(a);
        b.PermitLimit.Should().Be(3, "later callers share the first one's settings");
        a.Window.Should().Be(TimeSpan.FromMinutes(1));
        a.QueueLimit.Should().Be(7);
    }

    [Fact]
    public void Different_keys_or_scopes_give_different_limiters()
    {
        var registry = new QuotaLimiterRegistry(new FakeTimeProvider());

        var a = registry.GetOrCreate("symtrain", "key-1", Options);

        registry.GetOrCreate("symtrain", "key-2", Options).Should().NotBeSameAs(a);
        registry.GetOrCreate("senar", "key-1", Options).Should().NotBeSameAs(a);
        registry.GetOrCreate("symtrain", "KEY-1", Options).Should().NotBeSameAs(a, "keys are case-sensitive");
    }

    [Fact]
    public async Task Concurrent_callers_with_one_key_share_one_limiter()
    {
        var registry = new QuotaLimiterRegistry(new FakeTimeProvider());

        var limiters = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => registry.GetOrCreate("symtrain", "shared", Options))));

        limiters.Distinct().Should().ContainSingle();
    }

    [Fact]
    public async Task Limiters_run_on_the_registry_clock()
    {
        var time = new FakeTimeProvider();
        var limiter = QuotaLimiterRegistry.For(time).GetOrCreate("symtrain", "clock", new RateLimitOptions { PermitLimit = 1, Window = TimeSpan.FromMinutes(5) });

        (await limiter.AcquireAsync()).Dispose();
        limiter.AvailablePermits.Should().Be(0);
        time.Advance(TimeSpan.FromMinutes(5));

        limiter.AvailablePermits.Should().Be(1);
    }

    [Fact]
    public void For_gives_one_registry_per_clock_and_the_shared_one_for_the_system_clock()
    {
        var one = new FakeTimeProvider();
        var two = new FakeTimeProvider();

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
