using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Senar.Client;
using StackExchange.Redis;
using Symtrain.Client;
using TrainingApis.Core;

namespace TrainingApis.Redis.Tests;

/// <summary>
/// A stranger who knows only what docs/scaling.md and the package README promise tries to break them: tenants that
/// must not meet, cancelled and disposed waiters, a server that never answers, odd tokens and locks in Redis, the
/// application's own multiplexer.
/// </summary>
[Collection(GarnetCollection.Name)]
public sealed class StrangerTests(GarnetFixture garnet)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task Tenants_rotated_keys_and_prefixes_never_share_a_quota_and_no_key_reaches_redis()
    {
        var prefix = SharedQuotaTests.UniquePrefix();
        var other = SharedQuotaTests.UniquePrefix();
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Symtrain:ApiKey"] = "tenant-a-key-0001",
            ["Symtrain:BaseAddress"] = "http://127.0.0.1:1/",
            ["Symtrain:RateLimit:PermitLimit"] = "2",
            ["Symtrain:RateLimit:Window"] = "00:00:30",
        }).Build();
        await using var tenantA = SymtrainProvider(settings.GetSection("Symtrain"), o => { o.Configuration = garnet.Configuration; o.KeyPrefix = prefix; });
        await using var tenantC = SymtrainProvider(Section("tenant-c-key-0003"), o => { o.Configuration = garnet.Configuration; o.KeyPrefix = prefix; });
        await using var elsewhere = SymtrainProvider(Section("tenant-a-key-0001"), o => { o.Configuration = garnet.Configuration; o.KeyPrefix = other; });
        var a = tenantA.GetRequiredService<ISymtrainClient>();

        await Task.WhenAll(Call(a), Call(a)).WaitAsync(Bound);
        using var cancel = new CancellationTokenSource();
        var third = Call(a, cancel.Token);
        await Task.Delay(300);
        third.IsCompleted.Should().BeFalse("tenant A used its 2 permits per 30 s");

        // Another tenant on the same prefix, and the same key under another prefix, have quotas of their own.
        await Task.WhenAll(Call(tenantC.GetRequiredService<ISymtrainClient>()), Call(tenantC.GetRequiredService<ISymtrainClient>())).WaitAsync(TimeSpan.FromSeconds(2));
        await Task.WhenAll(Call(elsewhere.GetRequiredService<ISymtrainClient>()), Call(elsewhere.GetRequiredService<ISymtrainClient>())).WaitAsync(TimeSpan.FromSeconds(2));

        // A rotated key is a new partition at once, for the very next call.
        settings["Symtrain:ApiKey"] = "tenant-b-key-0002";
        settings.Reload();
        await Task.WhenAll(Call(a), Call(a)).WaitAsync(TimeSpan.FromSeconds(2));
        await cancel.CancelAsync();
        await FluentActions.Awaiting(() => third).Should().ThrowAsync<OperationCanceledException>();

        await using var redis = await ConnectionMultiplexer.ConnectAsync(garnet.Configuration);
        var database = redis.GetDatabase();
        // The cancelled waiter may hold a reservation beside tenant A's two permits (once they were released): it is
        // forgotten without waiting for an answer, so the set comes back to the two sent permits shortly after.
        await Eventually(async () => await database.SortedSetLengthAsync(SharedQuotaTests.PermitsKey(prefix, "tenant-a-key-0001")) == 2);
        (await database.SortedSetLengthAsync(SharedQuotaTests.PermitsKey(prefix, "tenant-a-key-0001"))).Should().Be(2);
        (await database.SortedSetLengthAsync(SharedQuotaTests.PermitsKey(prefix, "tenant-b-key-0002"))).Should().Be(2);
        (await database.SortedSetLengthAsync(SharedQuotaTests.PermitsKey(prefix, "tenant-c-key-0003"))).Should().Be(2);
        (await database.SortedSetLengthAsync(SharedQuotaTests.PermitsKey(other, "tenant-a-key-0001"))).Should().Be(2);
        await Eventually(async () => await database.SortedSetLengthAsync(Waiting(SharedQuotaTests.PermitsKey(prefix, "tenant-a-key-0001"))) == 0);

        var dump = await DumpAsync(redis, prefix + "*") + await DumpAsync(redis, other + "*");
        foreach (var key in new[] { "tenant-a-key-0001", "tenant-b-key-0002", "tenant-c-key-0003" })
        {
            dump.Should().NotContainAny(Forms(key));
        }
    }

    [Fact]
    public async Task A_waiter_cancelled_in_the_waiting_list_or_during_its_reservation_leaves_nothing_that_slows_the_others()
    {
        var prefix = SharedQuotaTests.UniquePrefix();
        var partition = Partition(limit: 1);
        await using var first = Limiter(partition, Options(prefix));
        await using var second = Limiter(partition, Options(prefix));
        await using var redis = await ConnectionMultiplexer.ConnectAsync(garnet.Configuration);
        var database = redis.GetDatabase();
        RedisKey permits = prefix + "quota:symtrain:{" + partition.Hash + "}:permits";

        // In the waiting list: the only permit is in flight, so its end is unknown.
        var held = await first.AcquireAsync(1);
        using (var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            await FluentActions.Awaiting(async () => await second.AcquireAsync(1, cancel.Token)).Should().ThrowAsync<OperationCanceledException>();
        }

        await Eventually(async () => await database.SortedSetLengthAsync(Waiting(permits)) == 0);
        held.Dispose();
        var clock = Stopwatch.StartNew();
        (await first.AcquireAsync(1).AsTask().WaitAsync(Bound)).Dispose();
        clock.Elapsed.Should().BeLessThan(Window + TimeSpan.FromMilliseconds(700), "the cancelled waiter no longer stands ahead (it would for 20 s)");

        // During a reservation: the permit it reserved goes back at once, so the next caller gets the earlier slot.
        using (var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            await FluentActions.Awaiting(async () => await second.AcquireAsync(1, cancel.Token)).Should().ThrowAsync<OperationCanceledException>();
        }

        await Eventually(async () => await database.SortedSetLengthAsync(permits) == 1);
        clock.Restart();
        (await first.AcquireAsync(1).AsTask().WaitAsync(Bound)).Dispose();
        clock.Elapsed.Should().BeLessThan(Window, "the cancelled reservation's slot is free again");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Disposing_the_limiter_ends_the_calls_waiting_in_redis_at_the_gate_and_for_a_reservation_at_once(bool released)
    {
        var prefix = SharedQuotaTests.UniquePrefix();
        var limiter = Limiter(Partition(limit: 1) with { Window = TimeSpan.FromSeconds(30) }, Options(prefix));
        var held = await limiter.AcquireAsync(1);
        if (released)
        {
            // The permit's end is known: the next waiter gets a reservation and sleeps until then.
            held.Dispose();
        }

        var waiters = Enumerable.Range(0, 3).Select(_ => limiter.AcquireAsync(1).AsTask()).ToArray();
        await Task.Delay(300);
        waiters.Should().OnlyContain(w => !w.IsCompleted);

        var clock = Stopwatch.StartNew();
        await limiter.DisposeAsync();
        var ended = await Task.WhenAll(waiters.Select(async w =>
        {
            try
            {
                var lease = await w.WaitAsync(Bound);
                return lease.IsAcquired ? "granted" : "refused";
            }
            catch (ObjectDisposedException)
            {
                return "disposed";
            }
        }));

        ended.Should().OnlyContain(e => e == "disposed", "a disposed limiter grants nothing");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromMilliseconds(500), "not after the waiter's next look at Redis");
        held.Dispose();
    }

    [Fact]
    public async Task Disposing_the_container_ends_a_client_call_waiting_for_the_shared_quota_at_once()
    {
        // The container disposes the shared quota before Polly's registries, which wait (up to 30 s) for calls in flight.
        var services = new ServiceCollection();
        services.AddSymtrainClient(o =>
            {
                o.BaseAddress = new Uri("http://127.0.0.1:9/");
                o.ApiKey = "dispose-key-" + Guid.NewGuid().ToString("N");
                o.RateLimit = new RateLimitOptions { PermitLimit = 1, Window = TimeSpan.FromSeconds(30) };
                o.Retry = new RetryOptions { MaxRetries = 0 };
            })
            .ConfigurePrimaryHttpMessageHandler(() => new NotFoundHandler())
            .UseRedis(o =>
            {
                o.Configuration = garnet.Configuration;
                o.KeyPrefix = SharedQuotaTests.UniquePrefix();
            });
        var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<ISymtrainClient>();
        var first = () => client.Users.CreateAccessTokenAsync("org", "user");
        await first.Should().ThrowAsync<ApiException>(); // Sent: its permit counts for the 30 s window.
        var waiting = client.Users.CreateAccessTokenAsync("org", "user");
        await Task.Delay(300);
        waiting.IsCompleted.Should().BeFalse("the only permit counts for the window");

        var clock = Stopwatch.StartNew();
        await provider.DisposeAsync().AsTask().WaitAsync(Bound);

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "not after Polly's 30 s wait for calls in flight");
        await FluentActions.Awaiting(() => waiting).Should().ThrowAsync<ObjectDisposedException>();
    }

    [Fact]
    public async Task A_call_waiting_for_one_partition_does_not_hold_up_the_next_partition_of_the_same_client()
    {
        var options = Options(SharedQuotaTests.UniquePrefix());
        var rotated = Partition(limit: 1) with { Window = TimeSpan.FromSeconds(30) };
        var current = rotated with { Hash = Guid.NewGuid().ToString("N") };
        await using var limiter = new RedisQuotaLimiter(() => current, new RedisConnection(options, new ServiceCollection().BuildServiceProvider(), TimeProvider.System), options, TimeProvider.System, NullLogger.Instance);

        // The old key's only permit is in flight (its end unknown): the next call of that key waits in Redis's list.
        var inFlight = await limiter.AcquireAsync(1);
        using var cancel = new CancellationTokenSource();
        var waiting = limiter.AcquireAsync(1, cancel.Token).AsTask();
        await Task.Delay(300);
        waiting.IsCompleted.Should().BeFalse();

        // The key is rotated: the new partition has all its permits, at once.
        current = rotated;
        var clock = Stopwatch.StartNew();
        using var fresh = await limiter.AcquireAsync(1).AsTask().WaitAsync(Bound);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromMilliseconds(700), "the other partition's waiter must not hold this one up");

        await cancel.CancelAsync();
        await FluentActions.Awaiting(() => waiting).Should().ThrowAsync<OperationCanceledException>();
        inFlight.Dispose();
    }

    [Fact]
    public async Task A_provider_sharing_the_senar_login_can_be_disposed_synchronously()
    {
        var server = new FakeSenar();
        var provider = SenarProvider(server, SharedQuotaTests.UniquePrefix(), "sync@example.test");
        await provider.GetRequiredService<ISenarClient>().Users.ListAsync().WaitAsync(Bound);

        FluentActions.Invoking(provider.Dispose).Should().NotThrow("a host built synchronously disposes its provider synchronously");
    }

    [Theory]
    [InlineData(RedisUnavailablePolicy.FailFast)]
    [InlineData(RedisUnavailablePolicy.FallBackToLocal)]
    public async Task A_server_that_accepts_connections_but_never_answers_holds_no_call_past_its_budget(RedisUnavailablePolicy policy)
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(); // Accepts connections (the backlog) and never answers.
        var logs = new FakeLogCollector();
        using var loggers = new FakeLoggerProvider(logs);
        var options = new RedisSharingOptions
        {
            Configuration = $"127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}",
            WhenUnavailable = policy,
            ExpectedInstances = 1,
            OperationTimeout = TimeSpan.FromMilliseconds(300),
            ConnectTimeout = TimeSpan.FromMilliseconds(600),
        };
        await using var limiter = Limiter(new RedisQuotaPartition("symtrain", Guid.NewGuid().ToString("N"), 10, Window, 100, TimeSpan.FromSeconds(5)), options, loggers.CreateLogger("silent"));

        for (var call = 0; call < 3; call++)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                (await limiter.AcquireAsync(1).AsTask().WaitAsync(Bound)).Dispose();
                policy.Should().Be(RedisUnavailablePolicy.FallBackToLocal);
            }
            catch (ApiRateLimitException refusal)
            {
                policy.Should().Be(RedisUnavailablePolicy.FailFast);
                refusal.Message.Should().Contain("FailFast").And.Contain("FallBackToLocal", "it says what to do");
            }

            // The first call may wait for the connection; a fallback's first local permit starts used (one window).
            var budget = (call == 0 ? options.ConnectTimeout : options.OperationTimeout)
                + (policy == RedisUnavailablePolicy.FallBackToLocal && call == 0 ? Window : TimeSpan.Zero) + TimeSpan.FromMilliseconds(400);
            clock.Elapsed.Should().BeLessThan(budget, $"call {call} stays within its budget");
        }

        logs.GetSnapshot().Where(e => e.Level == LogLevel.Warning).Should().ContainSingle("one warning per outage");
    }

    [Fact]
    public async Task A_call_cancelled_while_it_waits_for_a_local_permit_leaves_its_place_to_the_next()
    {
        var options = new RedisSharingOptions
        {
            Configuration = $"127.0.0.1:{GarnetFixture.FreePort()}",
            OperationTimeout = TimeSpan.FromMilliseconds(300),
            ConnectTimeout = TimeSpan.FromMilliseconds(300),
        };
        await using var limiter = Limiter(Partition(limit: 1), options);

        // The local share (1) starts used for one window: both calls queue on it; the first gives up.
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(600));
        var cancelled = limiter.AcquireAsync(1, cancel.Token).AsTask();
        await Task.Delay(100);
        var clock = Stopwatch.StartNew();
        var next = limiter.AcquireAsync(1).AsTask();
        await FluentActions.Awaiting(() => cancelled.WaitAsync(Bound)).Should().ThrowAsync<OperationCanceledException>();
        using var lease = await next.WaitAsync(Bound);

        lease.IsAcquired.Should().BeTrue();
        clock.Elapsed.Should().BeLessThan(Window + TimeSpan.FromMilliseconds(500), "the cancelled call's place went to the next one");
    }

    [Fact]
    public async Task Redis_stopped_while_a_call_sleeps_on_its_reservation_lets_it_send_on_time_and_release_without_waiting()
    {
        var options = Options(SharedQuotaTests.UniquePrefix());
        options.OperationTimeout = TimeSpan.FromMilliseconds(300);
        await using var limiter = Limiter(Partition(limit: 1), options);
        (await limiter.AcquireAsync(1)).Dispose();
        await Task.Delay(100);
        var clock = Stopwatch.StartNew();
        var reserved = limiter.AcquireAsync(1).AsTask();
        await Task.Delay(300);
        reserved.IsCompleted.Should().BeFalse("the permit's end is one window after its release");

        garnet.Stop();
        try
        {
            var lease = await reserved.WaitAsync(Bound);
            lease.IsAcquired.Should().BeTrue("the reservation was granted before the outage");
            clock.Elapsed.Should().BeLessThan(Window + TimeSpan.FromMilliseconds(500));
            var releasing = Stopwatch.StartNew();
            lease.Dispose();
            releasing.Elapsed.Should().BeLessThan(TimeSpan.FromMilliseconds(200), "a release is sent without waiting");
        }
        finally
        {
            garnet.Start();
        }
    }

    [Fact]
    public async Task More_expected_instances_than_permits_still_leave_one_local_permit_per_window()
    {
        var options = new RedisSharingOptions
        {
            Configuration = $"127.0.0.1:{GarnetFixture.FreePort()}",
            ExpectedInstances = 50,
            OperationTimeout = TimeSpan.FromMilliseconds(300),
            ConnectTimeout = TimeSpan.FromMilliseconds(300),
        };
        await using var limiter = Limiter(Partition(limit: 3), options);

        var clock = Stopwatch.StartNew();
        (await limiter.AcquireAsync(1).AsTask().WaitAsync(Bound)).Dispose();
        (await limiter.AcquireAsync(1).AsTask().WaitAsync(Bound)).Dispose();

        clock.Elapsed.Should().BeGreaterThan(Window * 1.9, "a share of 1 per window, starting used").And.BeLessThan(Window * 2 + TimeSpan.FromSeconds(1.5));
    }

    [Fact]
    public async Task A_factory_that_throws_fails_the_call_with_an_error_naming_the_option_and_never_hangs()
    {
        var options = new RedisSharingOptions { ConnectionMultiplexerFactory = _ => throw new InvalidOperationException("the app's container is not ready") };
        await using var limiter = Limiter(Partition(limit: 3), options);

        for (var call = 0; call < 2; call++)
        {
            var failure = await FluentActions.Awaiting(async () => await limiter.AcquireAsync(1).AsTask().WaitAsync(Bound)).Should().ThrowAsync<InvalidOperationException>();
            failure.Which.Message.Should().Contain(nameof(RedisSharingOptions.ConnectionMultiplexerFactory));
            failure.Which.InnerException!.Message.Should().Be("the app's container is not ready");
        }
    }

    [Fact]
    public async Task A_factory_that_returns_a_disposed_multiplexer_falls_back_within_the_budget_and_warns()
    {
        var disposed = await ConnectionMultiplexer.ConnectAsync(garnet.Configuration);
        await disposed.DisposeAsync();
        var logs = new FakeLogCollector();
        using var loggers = new FakeLoggerProvider(logs);
        var options = new RedisSharingOptions { ConnectionMultiplexerFactory = _ => disposed, OperationTimeout = TimeSpan.FromMilliseconds(300) };
        await using var limiter = Limiter(Partition(limit: 3), options, loggers.CreateLogger("disposed"));

        var clock = Stopwatch.StartNew();
        (await limiter.AcquireAsync(1).AsTask().WaitAsync(Bound)).Dispose();

        // A disposed multiplexer cannot be told from one that lost its server: the fallback applies, with its warning.
        clock.Elapsed.Should().BeLessThan(Window + options.OperationTimeout + TimeSpan.FromMilliseconds(500));
        logs.GetSnapshot().Should().ContainSingle(e => e.Level == LogLevel.Warning).Which.Message.Should().Contain("unreachable");
    }

    [Fact]
    public async Task An_expired_token_in_redis_is_not_handed_out()
    {
        var prefix = SharedQuotaTests.UniquePrefix();
        var options = new RedisSharingOptions { Configuration = garnet.Configuration, KeyPrefix = prefix };
        await using var store = new RedisSenarTokenStore(new RedisConnection(options, new ServiceCollection().BuildServiceProvider(), TimeProvider.System), options, TimeProvider.System, NullLogger.Instance);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(garnet.Configuration);
        var credential = Guid.NewGuid().ToString("N");
        var expired = DateTimeOffset.UtcNow.AddMinutes(-5);
        await redis.GetDatabase().StringSetAsync(prefix + "senar:token:{" + credential + "}", expired.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture) + "|tok-expired", TimeSpan.FromMinutes(1));
        var logins = 0;

        var token = await store.GetOrLoginAsync(credential, "tok-refused", _ => { logins++; return Task.FromResult(new Senar.Client.Auth.SenarToken("tok-new", DateTimeOffset.UtcNow.AddHours(1))); }, CancellationToken.None).WaitAsync(Bound);

        token.Value.Should().Be("tok-new", "a token past its expiry would only meet a 401");
        logins.Should().Be(1);
    }

    [Fact]
    public async Task Disposing_the_clients_leaves_the_applications_multiplexer_and_its_own_subscriptions_alive()
    {
        await using var application = await ConnectionMultiplexer.ConnectAsync(garnet.Configuration);
        var prefix = SharedQuotaTests.UniquePrefix();
        var apiKey = "app-mux-" + Guid.NewGuid().ToString("N");
        var channel = RedisChannel.Literal(SharedQuotaTests.PermitsKey(prefix, apiKey).ToString()[..^"permits".Length] + "released");
        var own = RedisChannel.Literal(prefix + "application");
        var heard = new ConcurrentQueue<string>();
        await application.GetSubscriber().SubscribeAsync(channel, (_, _) => heard.Enqueue("release"));
        await application.GetSubscriber().SubscribeAsync(own, (_, _) => heard.Enqueue("own"));

        var services = new ServiceCollection();
        services.AddSingleton<IConnectionMultiplexer>(application);
        services.AddSymtrainClient(o => { o.ApiKey = apiKey; o.BaseAddress = new Uri("http://127.0.0.1:1/"); o.RateLimit = new RateLimitOptions { PermitLimit = 1, Window = Window }; })
            .ConfigurePrimaryHttpMessageHandler(() => new FakeSymtrain())
            .UseRedis(o => { o.ConnectionMultiplexerFactory = s => s.GetRequiredService<IConnectionMultiplexer>(); o.KeyPrefix = prefix; });
        var server = new FakeSenar();
        services.AddSenarClient(o => { o.Username = "mux@example.test"; o.Password = FakeSenar.Password; o.BaseAddress = new Uri("http://127.0.0.1:1/"); })
            .ConfigurePrimaryHttpMessageHandler(() => server.For("mux"))
            .UseRedis(o => { o.ConnectionMultiplexerFactory = s => s.GetRequiredService<IConnectionMultiplexer>(); o.KeyPrefix = prefix; });
        await using (var provider = services.BuildServiceProvider())
        {
            var client = provider.GetRequiredService<ISymtrainClient>();
            await Call(client).WaitAsync(Bound);
            await Call(client).WaitAsync(Bound); // Waits for the first release: subscribes to the channel.
            await provider.GetRequiredService<ISenarClient>().Users.ListAsync().WaitAsync(Bound);
        }

        // The provider disposed only what it made: the application's connection and handlers are untouched.
        application.IsConnected.Should().BeTrue();
        (await application.GetDatabase().PingAsync()).Should().BeLessThan(Bound);
        heard.Clear();
        await application.GetSubscriber().PublishAsync(channel, "x");
        await application.GetSubscriber().PublishAsync(own, "x");
        await Eventually(() => Task.FromResult(heard.Contains("release") && heard.Contains("own")));
    }

    [Fact]
    public async Task A_malformed_or_expired_token_in_redis_and_a_crashed_lock_holder_cost_one_login_each()
    {
        var server = new FakeSenar();
        var prefix = SharedQuotaTests.UniquePrefix();
        await using (var first = SenarProvider(server, prefix, "odd@example.test"))
        {
            await first.GetRequiredService<ISenarClient>().Users.ListAsync().WaitAsync(Bound);
        }

        server.Logins.Should().Be(1);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(garnet.Configuration);
        var database = redis.GetDatabase();
        var token = redis.GetServer(garnet.Configuration).Keys(pattern: prefix + "senar:token:*").Select(k => k.ToString()).Single(k => !k.EndsWith(":lock", StringComparison.Ordinal));
        var expired = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] odd = ["garbage-without-a-bar", "|", "12|", expired + "|" + FakeSenar.TokenPrefix + "old", "not-a-time|" + FakeSenar.TokenPrefix + "forged", "|" + FakeSenar.TokenPrefix + "forged"];
        foreach (var value in odd)
        {
            server.Revoke();
            await database.StringSetAsync(token, value);
            var before = server.Logins;
            await using var instance = SenarProvider(server, prefix, "odd@example.test");
            await instance.GetRequiredService<ISenarClient>().Users.ListAsync().WaitAsync(Bound);
            server.Logins.Should().Be(before + 1, $"one login replaces the stored '{value}'");
        }

        // A holder that crashed while logging in: the lock expires by itself and the next caller logs in.
        server.Revoke();
        await database.KeyDeleteAsync(token);
        await database.StringSetAsync(token + ":lock", "crashed-holder", TimeSpan.FromMilliseconds(1500));
        var clock = Stopwatch.StartNew();
        await using (var instance = SenarProvider(server, prefix, "odd@example.test"))
        {
            await instance.GetRequiredService<ISenarClient>().Users.ListAsync().WaitAsync(Bound);
        }

        clock.Elapsed.Should().BeGreaterThan(TimeSpan.FromMilliseconds(1200)).And.BeLessThan(TimeSpan.FromSeconds(3));
        server.Logins.Should().Be(odd.Length + 2);
    }

    [Fact]
    public async Task Two_senar_credentials_on_one_prefix_keep_two_tokens_and_never_store_a_secret()
    {
        var server = new FakeSenar();
        var prefix = SharedQuotaTests.UniquePrefix();
        var logs = new FakeLogCollector();
        await using var ada = SenarProvider(server, prefix, "ada@example.test", logs);
        await using var bob = SenarProvider(server, prefix, "bob@example.test", logs);

        await Task.WhenAll(Enumerable.Range(0, 10).SelectMany(_ => new[] { ada.GetRequiredService<ISenarClient>().Users.ListAsync(), bob.GetRequiredService<ISenarClient>().Users.ListAsync() })).WaitAsync(Bound);

        server.Logins.Should().Be(2, "one login per credential");
        server.Misused.Should().Be(0, "no credential was sent another's token");
        await using var redis = await ConnectionMultiplexer.ConnectAsync(garnet.Configuration);
        var keys = redis.GetServer(garnet.Configuration).Keys(pattern: prefix + "*").Select(k => k.ToString()).ToArray();
        keys.Count(k => k.Contains(":senar:token:", StringComparison.Ordinal) && !k.EndsWith(":lock", StringComparison.Ordinal)).Should().Be(2);
        var secrets = new[] { FakeSenar.Password, "ada@example.test", "bob@example.test", FakeSenar.TokenPrefix }.SelectMany(Forms).ToArray();
        string.Join("\n", keys).Should().NotContainAny(secrets);
        (await DumpAsync(redis, prefix + "*")).Should().NotContainAny(Forms(FakeSenar.Password));
        var texts = logs.GetSnapshot().SelectMany(e => new[] { e.Message, e.Exception?.ToString() ?? "" }.Concat((e.StructuredState ?? []).Select(p => $"{p.Key}={p.Value}")));
        string.Join("\n", texts).Should().NotContainAny(Forms(FakeSenar.Password)).And.NotContainAny(Forms(FakeSenar.TokenPrefix));
    }

    [Fact]
    public async Task Redis_stopped_while_the_lock_holder_logs_in_still_returns_its_token()
    {
        var server = new FakeSenar { LoginDelay = TimeSpan.FromMilliseconds(600) };
        var prefix = SharedQuotaTests.UniquePrefix();
        await using var instance = SenarProvider(server, prefix, "outage@example.test", options: o => o.OperationTimeout = TimeSpan.FromMilliseconds(300));
        var client = instance.GetRequiredService<ISenarClient>();

        var call = client.Users.ListAsync();
        await Eventually(() => Task.FromResult(server.Logins == 1));
        garnet.Stop();
        try
        {
            var clock = Stopwatch.StartNew();
            await call.WaitAsync(Bound);
            await client.Users.ListAsync().WaitAsync(Bound);
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3));
        }
        finally
        {
            garnet.Start();
        }

        server.Logins.Should().Be(1, "the login made while Redis went away is used");
    }

    private static RedisQuotaPartition Partition(int limit) => new("symtrain", Guid.NewGuid().ToString("N"), limit, Window, 100, TimeSpan.FromSeconds(5));

    private RedisSharingOptions Options(string prefix) => new() { Configuration = garnet.Configuration, KeyPrefix = prefix, OperationTimeout = TimeSpan.FromSeconds(5) };

    private static RedisQuotaLimiter Limiter(RedisQuotaPartition partition, RedisSharingOptions options, ILogger? logger = null)
    {
        var services = new ServiceCollection().BuildServiceProvider();
        return new RedisQuotaLimiter(() => partition, new RedisConnection(options, services, TimeProvider.System), options, TimeProvider.System, logger ?? NullLogger.Instance);
    }

    private static RedisKey Waiting(RedisKey permits) => permits.ToString()[..^"permits".Length] + "waiting";

    private static IConfiguration Section(string apiKey) => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["ApiKey"] = apiKey,
        ["BaseAddress"] = "http://127.0.0.1:1/",
        ["RateLimit:PermitLimit"] = "2",
        ["RateLimit:Window"] = "00:00:30",
    }).Build();

    private static ServiceProvider SymtrainProvider(IConfiguration section, Action<RedisSharingOptions> redis)
    {
        var services = new ServiceCollection();
        services.AddSymtrainClient(section).ConfigurePrimaryHttpMessageHandler(() => new FakeSymtrain()).UseRedis(redis);
        return services.BuildServiceProvider();
    }

    private ServiceProvider SenarProvider(FakeSenar server, string prefix, string username, FakeLogCollector? logs = null, Action<RedisSharingOptions>? options = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new InstanceClock()); // A token cache of its own, as in another process.
        if (logs is not null)
        {
            services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));
        }

        services.AddSenarClient(o =>
            {
                o.BaseAddress = new Uri("http://127.0.0.1:1/");
                o.Username = username;
                o.Password = FakeSenar.Password;
            })
            .ConfigurePrimaryHttpMessageHandler(() => server.For(username))
            .UseRedis(o =>
            {
                o.Configuration = garnet.Configuration;
                o.KeyPrefix = prefix;
                o.OperationTimeout = TimeSpan.FromSeconds(5);
                options?.Invoke(o);
            });
        return services.BuildServiceProvider();
    }

    private static async Task Call(ISymtrainClient client, CancellationToken cancellationToken = default) =>
        await client.Users.CreateAccessTokenAsync("org-1", "user-1", cancellationToken);

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            clock.Elapsed.Should().BeLessThan(Bound, "the condition holds soon");
            await Task.Delay(20);
        }
    }

    // A secret as it could leak: raw, URL-encoded, JSON-escaped, Base64 (padded or not).
    private static string[] Forms(string secret) =>
    [
        secret,
        Uri.EscapeDataString(secret),
        System.Text.Json.JsonSerializer.Serialize(secret).Trim('"'),
        Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)).TrimEnd('='),
    ];

    // Every key and value under a pattern, as one text.
    private static async Task<string> DumpAsync(ConnectionMultiplexer redis, string pattern)
    {
        var database = redis.GetDatabase();
        var text = new StringBuilder();
        foreach (var key in redis.GetServer(redis.GetEndPoints()[0]).Keys(pattern: pattern))
        {
            text.Append(key).Append(" = ");
            text.AppendJoin(' ', await database.KeyTypeAsync(key) switch
            {
                RedisType.String => [(string?)await database.StringGetAsync(key) ?? ""],
                RedisType.SortedSet => (await database.SortedSetRangeByRankWithScoresAsync(key)).Select(e => $"{e.Element}:{e.Score}"),
                RedisType.Hash => (await database.HashGetAllAsync(key)).Select(e => $"{e.Name}={e.Value}"),
                var other => [other.ToString()],
            }).AppendLine();
        }

        return text.ToString();
    }

    private sealed class InstanceClock : TimeProvider;

    /// <summary>Answers every Symtrain call with an access token.</summary>
    private sealed class FakeSymtrain : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"token":"deep-link-token"}""", Encoding.UTF8, "application/json") });
    }

    /// <summary>Plays Senar for several credentials: counts logins, accepts only live tokens, and notes a token sent for another user.</summary>
    private sealed class FakeSenar
    {
        public const string Password = "Stranger-pa$$word+/=\"7";
        public const string TokenPrefix = "tok-8c1d-";

        private readonly ConcurrentDictionary<string, string> _owners = new();
        private int _logins;
        private int _misused;

        public TimeSpan LoginDelay { get; init; } = TimeSpan.FromMilliseconds(50);

        public int Logins => Volatile.Read(ref _logins);

        public int Misused => Volatile.Read(ref _misused);

        public void Revoke() => _owners.Clear();

        /// <summary>The server as one user's client reaches it.</summary>
        public HttpMessageHandler For(string user) => new Front(this, user);

        private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string user, CancellationToken cancellationToken)
        {
            await Task.Yield();
            if (request.RequestUri!.AbsolutePath.EndsWith("/auth/login", StringComparison.Ordinal))
            {
                var login = Interlocked.Increment(ref _logins);
                await Task.Delay(LoginDelay, CancellationToken.None);
                var token = $"{TokenPrefix}{login}";
                _owners[token] = user;
                return Json($$"""{"Token":"{{token}}"}""");
            }

            var bearer = request.Headers.Authorization?.Parameter;
            if (bearer is null || !_owners.TryGetValue(bearer, out var owner))
            {
                return new HttpResponseMessage(HttpStatusCode.Unauthorized) { RequestMessage = request };
            }

            if (owner != user)
            {
                Interlocked.Increment(ref _misused);
                return new HttpResponseMessage(HttpStatusCode.Unauthorized) { RequestMessage = request };
            }

            return Json("[]");
        }

        private static HttpResponseMessage Json(string body) => new(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

        private sealed class Front(FakeSenar server, string user) : HttpMessageHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => server.SendAsync(request, user, cancellationToken);
        }
    }

    private sealed class NotFoundHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound) { RequestMessage = request });
    }
}
