using System.Diagnostics;
using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Senar.Client;
using StackExchange.Redis;
using TrainingApis.Core;
using TrainingApis.Sandbox;

namespace TrainingApis.Redis.Tests;

/// <summary>Inputs and events an adversary (or an unlucky operator) brings: bad options, mixed limits, outages, secrets.</summary>
[Collection(GarnetCollection.Name)]
public sealed class HostileTests(GarnetFixture garnet)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    public static TheoryData<string, string> BadConfigurations => new()
    {
        { "", "Configuration" },
        { "   ", "Configuration" },
        { "password=only-a-password", "names no server" },
        { "localhost:6379,connectTimeout=soon", "not a valid" },
        { "localhost:6379,password=pa,rt2=of-the-secret", "not a valid" },
    };

    [Theory]
    [MemberData(nameof(BadConfigurations))]
    public void A_configuration_that_does_not_parse_or_names_no_server_is_refused_before_any_connection_and_never_echoed(string configuration, string expected)
    {
        var builder = new ServiceCollection().AddSymtrainClient(o => o.ApiKey = "k");

        var refusal = FluentActions.Invoking(() => builder.UseRedis(o => o.Configuration = configuration)).Should().Throw<ArgumentException>().Which;

        refusal.Message.Should().Contain(expected);
        if (configuration.Contains("password", StringComparison.Ordinal))
        {
            refusal.ToString().Should().NotContain("of-the-secret").And.NotContain("only-a-password").And.NotContain("rt2");
        }
    }

    public static TheoryData<Action<RedisSharingOptions>, string> BadOptions => new()
    {
        { o => o.ExpectedInstances = 0, "ExpectedInstances" },
        { o => o.ExpectedInstances = -3, "ExpectedInstances" },
        { o => o.ExpectedInstances = int.MinValue, "ExpectedInstances" },
        { o => o.KeyPrefix = "", "KeyPrefix" },
        { o => o.KeyPrefix = "my app:", "KeyPrefix" },
        { o => o.KeyPrefix = "app\t", "KeyPrefix" },
        { o => o.KeyPrefix = "{app}:", "KeyPrefix" },
        { o => o.KeyPrefix = "app}:", "KeyPrefix" },
        { o => o.KeyPrefix = new string('a', 101), "KeyPrefix" },
        { o => o.OperationTimeout = TimeSpan.Zero, "OperationTimeout" },
        { o => o.OperationTimeout = Timeout.InfiniteTimeSpan, "OperationTimeout" },
        { o => o.OperationTimeout = TimeSpan.MaxValue, "OperationTimeout" },
        { o => o.ConnectTimeout = TimeSpan.FromDays(2), "ConnectTimeout" },
        { o => o.WhenUnavailable = (RedisUnavailablePolicy)7, "WhenUnavailable" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Invalid_options_are_refused_naming_the_option(Action<RedisSharingOptions> spoil, string option)
    {
        var builder = new ServiceCollection().AddSymtrainClient(o => o.ApiKey = "k");

        FluentActions.Invoking(() => builder.UseRedis(o => { o.Configuration = "localhost:6379"; spoil(o); }))
            .Should().Throw<ArgumentException>().WithMessage($"*{option}*");
    }

    [Fact]
    public void A_prefix_of_a_hundred_characters_with_colons_and_dashes_is_accepted()
    {
        var builder = new ServiceCollection().AddSymtrainClient(o => o.ApiKey = "k");

        FluentActions.Invoking(() => builder.UseRedis(o => { o.Configuration = "localhost:6379"; o.KeyPrefix = "team-a:" + new string('x', 93); }))
            .Should().NotThrow();
    }

    [Fact]
    public async Task Two_clients_of_one_partition_with_different_limits_share_the_stricter_and_the_looser_one_warns_naming_both()
    {
        var prefix = SharedQuotaTests.UniquePrefix();
        var hash = Guid.NewGuid().ToString("N");
        var logs = new FakeLogCollector();
        using var loggers = new FakeLoggerProvider(logs);
        var options = new RedisSharingOptions { Configuration = garnet.Configuration, KeyPrefix = prefix };
        await using var strict = Limiter(new RedisQuotaPartition("symtrain", hash, 2, Window, 100, TimeSpan.FromSeconds(5)), options, loggers.CreateLogger("strict"));
        await using var loose = Limiter(new RedisQuotaPartition("symtrain", hash, 5, Window, 100, TimeSpan.FromSeconds(5)), options, loggers.CreateLogger("loose"));

        using var first = await strict.AcquireAsync(1);
        first.IsAcquired.Should().BeTrue();
        var leases = Enumerable.Range(0, 4).Select(_ => loose.AcquireAsync(1).AsTask()).ToArray();
        await Task.Delay(TimeSpan.FromMilliseconds(400));

        leases.Count(l => l.IsCompletedSuccessfully).Should().Be(1, "the stricter limit of 2 per window applies to the looser client too (1 + 1)");
        logs.GetSnapshot().Should().ContainSingle(e => e.Level == LogLevel.Warning && e.Category == "loose")
            .Which.Message.Should().Contain("5 requests per 00:00:01").And.Contain("2 requests per 00:00:01").And.Contain(hash[..12]);
        logs.GetSnapshot().Should().NotContain(e => e.Category == "strict", "the stricter client gets what it asked for");
        // Each request completes as soon as it is granted, so the others can follow.
        await Task.WhenAll(leases.Select(async l => (await l).Dispose())).WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_longer_window_of_another_client_applies_to_the_release_of_a_shorter_one()
    {
        var prefix = SharedQuotaTests.UniquePrefix();
        var hash = Guid.NewGuid().ToString("N");
        var options = new RedisSharingOptions { Configuration = garnet.Configuration, KeyPrefix = prefix };
        await using var slow = Limiter(new RedisQuotaPartition("symtrain", hash, 2, TimeSpan.FromSeconds(2), 100, TimeSpan.FromSeconds(5)), options);
        await using var fast = Limiter(new RedisQuotaPartition("symtrain", hash, 2, Window, 100, TimeSpan.FromSeconds(5)), options);

        (await slow.AcquireAsync(1)).Dispose();
        (await fast.AcquireAsync(1)).Dispose();
        var clock = Stopwatch.StartNew();
        (await fast.AcquireAsync(1).AsTask().WaitAsync(TimeSpan.FromSeconds(20))).Dispose();

        clock.Elapsed.Should().BeGreaterThan(TimeSpan.FromMilliseconds(1800), "the fast client's own permit counts the longer window in force (2 s), not its own 1 s");
    }

    [Fact]
    public async Task Redis_going_away_mid_wait_and_mid_call_holds_no_call_past_its_budget_the_fallback_applies_and_warns_once()
    {
        var logs = new FakeLogCollector();
        using var loggers = new FakeLoggerProvider(logs);
        var options = new RedisSharingOptions
        {
            Configuration = garnet.Configuration,
            KeyPrefix = SharedQuotaTests.UniquePrefix(),
            OperationTimeout = TimeSpan.FromMilliseconds(300),
            ConnectTimeout = TimeSpan.FromMilliseconds(300),
            ExpectedInstances = 2,
        };
        await using var limiter = Limiter(new RedisQuotaPartition("symtrain", Guid.NewGuid().ToString("N"), 4, Window, 100, TimeSpan.FromSeconds(5)), options, loggers.CreateLogger("instance"));
        var held = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => limiter.AcquireAsync(1).AsTask()));
        var clock = Stopwatch.StartNew();
        var waiters = Enumerable.Range(0, 3).Select(_ => limiter.AcquireAsync(1).AsTask()).ToArray();
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        waiters.Should().OnlyContain(w => !w.IsCompleted, "the four permits are in flight");

        garnet.Stop();
        RateLimitLease[] granted;
        try
        {
            // The requests complete while Redis is away: their releases are lost, and completing does not wait for Redis.
            var completing = Stopwatch.StartNew();
            Array.ForEach(held, l => l.Dispose());
            completing.Elapsed.Should().BeLessThan(TimeSpan.FromMilliseconds(250), "a release is sent without waiting");
            granted = await Task.WhenAll(waiters.Select(async w =>
            {
                var lease = await w;
                lease.Dispose(); // Its request completes at once, so the local share can serve the next one.
                return lease;
            })).WaitAsync(TimeSpan.FromSeconds(15));
        }
        finally
        {
            garnet.Start();
        }

        granted.Should().OnlyContain(l => l.IsAcquired);
        // At most: the rest of a wait (one window), a failed command (300 ms), then the local share of 4 ÷ 2 starting used
        // (one window), and a second window for the third waiter.
        clock.Elapsed.Should().BeLessThan(Window * 3 + TimeSpan.FromMilliseconds(300) + TimeSpan.FromSeconds(2));
        logs.GetSnapshot().Where(e => e.Level == LogLevel.Warning).Should().ContainSingle("one warning per outage").Which.Message.Should().Contain("share of 2");
    }

    [Fact]
    public async Task A_password_in_the_configuration_never_reaches_an_exception_a_log_or_a_metric_tag()
    {
        const string password = "S3cret-redis-pw";
        using var fallbacks = new MetricCollector<long>(RedisDiagnostics.Shared.Fallbacks);
        using var roundTrips = new MetricCollector<long>(RedisDiagnostics.Shared.RoundTrips);
        var logs = new FakeLogCollector();
        using var loggers = new FakeLoggerProvider(logs);
        var unreachable = $"127.0.0.1:{GarnetFixture.FreePort()},password={password}";
        var partition = new RedisQuotaPartition("symtrain", Guid.NewGuid().ToString("N"), 3, Window, 100, TimeSpan.FromSeconds(1));
        var failFast = new RedisSharingOptions { Configuration = unreachable, WhenUnavailable = RedisUnavailablePolicy.FailFast, OperationTimeout = TimeSpan.FromMilliseconds(300), ConnectTimeout = TimeSpan.FromMilliseconds(300) };
        var fallBack = new RedisSharingOptions { Configuration = unreachable, OperationTimeout = TimeSpan.FromMilliseconds(300), ConnectTimeout = TimeSpan.FromMilliseconds(300) };
        await using var failing = Limiter(partition, failFast, loggers.CreateLogger("fail-fast"));
        await using var falling = Limiter(partition, fallBack, loggers.CreateLogger("fall-back"));

        var refusal = await FluentActions.Awaiting(async () => await failing.AcquireAsync(1)).Should().ThrowAsync<ApiRateLimitException>();
        (await falling.AcquireAsync(1).AsTask().WaitAsync(TimeSpan.FromSeconds(10))).Dispose();

        refusal.Which.ToString().Should().NotContain(password);
        logs.GetSnapshot().Should().NotBeEmpty().And.OnlyContain(e => !e.Message.Contains(password, StringComparison.Ordinal) && !e.StructuredState!.Any(p => (p.Value ?? "").Contains(password, StringComparison.Ordinal)));
        var tagValues = fallbacks.GetMeasurementSnapshot().Concat(roundTrips.GetMeasurementSnapshot()).SelectMany(m => m.Tags.Values).Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "").ToArray();
        tagValues.Should().NotBeEmpty().And.OnlyContain(v => !v.Contains(password, StringComparison.Ordinal));
        failFast.ToString().Should().NotContain(password);
    }

    [Fact]
    public async Task The_senar_password_and_username_never_appear_in_redis_keys_and_the_password_in_no_value()
    {
        await using var sandbox = await TrainingSandbox.StartAsync();
        var prefix = SharedQuotaTests.UniquePrefix();
        var services = new ServiceCollection();
        services.AddSenarClient(o =>
            {
                o.Username = sandbox.SenarUsername;
                o.Password = sandbox.SenarPassword;
                o.BaseAddress = sandbox.BaseAddress;
                o.RateLimit = new RateLimitOptions { Enabled = true, PermitLimit = 50, Window = TimeSpan.FromSeconds(30) };
            })
            .UseRedis(o => { o.Configuration = garnet.Configuration; o.KeyPrefix = prefix; });
        await using (var provider = services.BuildServiceProvider())
        {
            await provider.GetRequiredService<ISenarClient>().Users.ListAsync();
        }

        await using var redis = await ConnectionMultiplexer.ConnectAsync(garnet.Configuration);
        var keys = redis.GetServer(garnet.Configuration).Keys(pattern: prefix + "*").Select(k => k.ToString()).ToArray();
        keys.Should().Contain(k => k.Contains(":senar:token:", StringComparison.Ordinal), "the token is shared")
            .And.Contain(k => k.Contains(":quota:senar:", StringComparison.Ordinal), "so is the quota");
        keys.Should().OnlyContain(k => !k.Contains(sandbox.SenarUsername, StringComparison.OrdinalIgnoreCase) && !k.Contains(sandbox.SenarPassword, StringComparison.Ordinal));
        foreach (var key in keys)
        {
            var dump = await redis.GetDatabase().KeyTypeAsync(key) switch
            {
                RedisType.String => (string?)await redis.GetDatabase().StringGetAsync(key) ?? "",
                RedisType.SortedSet => string.Join(" ", await redis.GetDatabase().SortedSetRangeByRankAsync(key)),
                RedisType.Hash => string.Join(" ", (await redis.GetDatabase().HashGetAllAsync(key)).Select(e => $"{e.Name}={e.Value}")),
                _ => "",
            };
            dump.Should().NotContain(sandbox.SenarPassword).And.NotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(sandbox.SenarPassword)));
        }
    }

    private static RedisQuotaLimiter Limiter(RedisQuotaPartition partition, RedisSharingOptions options, ILogger? logger = null)
    {
        var services = new ServiceCollection().BuildServiceProvider();
        return new RedisQuotaLimiter(() => partition, new RedisConnection(options, services, TimeProvider.System), options, TimeProvider.System, logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
    }
}
