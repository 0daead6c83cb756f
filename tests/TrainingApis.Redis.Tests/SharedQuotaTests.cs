using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using TrainingApis.Core;
using TrainingApis.Sandbox;
using Xunit.Abstractions;

namespace TrainingApis.Redis.Tests;

/// <summary>
/// The quota shared by three instances through a real server (Garnet, in process) against the sandbox's own quota, in
/// a scaled-down window of real time: the quota's clock is the server's, so fake clocks cannot drive it.
/// </summary>
[Collection(GarnetCollection.Name)]
public sealed class SharedQuotaTests(GarnetFixture garnet, ITestOutputHelper output)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Three_instances_never_exceed_the_limit_in_any_window_span_and_meet_no_429()
    {
        const int limit = 20;
        await using var sandbox = await StartSandboxAsync(limit);
        var traffic = new Traffic();
        var prefix = UniquePrefix();
        var instances = Enumerable.Range(0, 3)
            // A generous operation timeout: this test is about the shared limit, and a loaded machine can be slow to answer.
            .Select(_ => new Instance(sandbox.BaseAddress, sandbox.SymtrainApiKey, traffic, Limit(limit), o => { o.Configuration = garnet.Configuration; o.KeyPrefix = prefix; o.OperationTimeout = TimeSpan.FromSeconds(5); }))
            .ToArray();
        // The server's own view, sampled while the calls run: the permits counting now never exceed the limit.
        await using var redis = await ConnectionMultiplexer.ConnectAsync(garnet.Configuration);
        var permits = PermitsKey(prefix, sandbox.SymtrainApiKey);
        using var stop = new CancellationTokenSource();
        var counted = Task.Run(async () =>
        {
            long most = 0;
            while (!stop.IsCancellationRequested)
            {
                most = Math.Max(most, (long)await redis.GetDatabase().ScriptEvaluateAsync(CountingNow, [permits]));
                await Task.Delay(5);
            }

            return most;
        });
        try
        {
            var calls = instances.SelectMany(instance => Enumerable.Range(0, 200).Select(async _ =>
            {
                try
                {
                    return (await instance.Client.Users.CreateAccessTokenAsync(sandbox.OrganizationId, sandbox.TraineeUsername)).Token;
                }
                catch (ApiRateLimitException)
                {
                    return null;
                }
            }));
            var tokens = await Task.WhenAll(calls);
            await stop.CancelAsync();
            var mostCounted = await counted;

            var warnings = instances.SelectMany(i => i.Logs.GetSnapshot()).Where(e => e.Level >= LogLevel.Warning).Select(e => e.Message);
            warnings.Should().BeEmpty("Redis stayed reachable");
            output.WriteLine($"most sends in any {Window.TotalSeconds:0.#} s span: {traffic.MaxInAnySpan(Window)} (limit {limit}); most permits and reservations counted on the server: {mostCounted}");
            // A reservation joins the set before the permit it replaces expires (both count until then), so the set holds
            // at most the limit plus one reservation per permit; the sends below are what the limit is about.
            mostCounted.Should().BeLessThanOrEqualTo(2 * limit, "the server never counts more than the limit and its reservations");
            traffic.MaxInAnySpan(Window).Should().BeLessThanOrEqualTo(limit, "the three instances share one quota").And.BeGreaterThan(limit / 2, "the quota is used");
            traffic.Requests.Count(r => r.Status == HttpStatusCode.TooManyRequests).Should().Be(0);
            traffic.Requests.Should().HaveCount(600);
            tokens.Should().HaveCount(600).And.OnlyContain(t => !string.IsNullOrEmpty(t));
        }
        finally
        {
            Array.ForEach(instances, i => i.Dispose());
        }
    }

    [Fact]
    public async Task Redis_keys_carry_a_hash_of_the_partition_never_the_api_key()
    {
        await using var sandbox = await StartSandboxAsync(20);
        var prefix = UniquePrefix();
        using var instance = new Instance(sandbox.BaseAddress, sandbox.SymtrainApiKey, new Traffic(), Limit(20), o => { o.Configuration = garnet.Configuration; o.KeyPrefix = prefix; });

        await instance.Client.Users.CreateAccessTokenAsync(sandbox.OrganizationId, sandbox.TraineeUsername);

        await using var redis = await ConnectionMultiplexer.ConnectAsync(garnet.Configuration);
        var permits = PermitsKey(prefix, sandbox.SymtrainApiKey);
        (await redis.GetDatabase().SortedSetLengthAsync(permits)).Should().Be(1, "the permit counts in Redis for one window");
        var keys = redis.GetServer(garnet.Configuration).Keys(pattern: prefix + "*").Select(k => k.ToString()).ToArray();
        keys.Should().NotBeEmpty().And.OnlyContain(k => !k.Contains(sandbox.SymtrainApiKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Redis_stopped_mid_run_no_call_hangs_the_fallback_share_applies_and_the_shared_quota_returns()
    {
        const int limit = 30;
        await using var sandbox = await StartSandboxAsync(limit);
        var traffic = new Traffic();
        var prefix = UniquePrefix();
        var instances = Enumerable.Range(0, 3)
            .Select(_ => new Instance(sandbox.BaseAddress, sandbox.SymtrainApiKey, traffic, Limit(limit), o =>
            {
                o.Configuration = garnet.Configuration;
                o.KeyPrefix = prefix;
                o.ExpectedInstances = 3;
                o.OperationTimeout = TimeSpan.FromMilliseconds(500);
            }))
            .ToArray();
        var budget = TimeSpan.FromMilliseconds(500) + Window + TimeSpan.FromSeconds(1);
        try
        {
            async Task<TimeSpan> Call(Instance instance)
            {
                var clock = Stopwatch.StartNew();
                await instance.Client.Users.CreateAccessTokenAsync(sandbox.OrganizationId, sandbox.TraineeUsername);
                return clock.Elapsed;
            }

            // Shared: a few calls through Redis.
            (await Task.WhenAll(instances.Select(Call))).Should().OnlyContain(d => d < budget);

            garnet.Stop();
            try
            {
                var outageStart = Traffic.Clock.Elapsed + TimeSpan.FromMilliseconds(1);
                var durations = await Task.WhenAll(instances.SelectMany(i => Enumerable.Range(0, 10).Select(_ => Call(i))));
                var outageEnd = Traffic.Clock.Elapsed;

                durations.Should().OnlyContain(d => d < budget, "no call waits for an unreachable Redis longer than its operation timeout");
                traffic.MaxInAnySpan(Window, outageStart, outageEnd).Should().BeLessThanOrEqualTo(limit, "each instance keeps its share of 30 ÷ 3");
                foreach (var instance in instances)
                {
                    instance.Logs.GetSnapshot().Where(e => e.Level == LogLevel.Warning && e.Message.Contains("Redis is unreachable", StringComparison.Ordinal))
                        .Should().ContainSingle("one warning per outage, not per call");
                }
            }
            finally
            {
                garnet.Start();
            }

            // Back: once reconnected, calls take permits in Redis again.
            await using var redis = await ConnectionMultiplexer.ConnectAsync(garnet.Configuration);
            var permits = PermitsKey(prefix, sandbox.SymtrainApiKey);
            var deadline = Stopwatch.StartNew();
            long shared = 0;
            while (shared == 0 && deadline.Elapsed < TimeSpan.FromSeconds(15))
            {
                await Task.WhenAll(instances.Select(Call));
                shared = await redis.GetDatabase().SortedSetLengthAsync(permits);
            }

            shared.Should().BeGreaterThan(0, "the shared quota is used again once Redis is back");
            instances.SelectMany(i => i.Logs.GetSnapshot()).Should().Contain(e => e.Message.Contains("Redis answers again", StringComparison.Ordinal));
            traffic.Requests.Count(r => r.Status == HttpStatusCode.TooManyRequests).Should().Be(0);
        }
        finally
        {
            Array.ForEach(instances, i => i.Dispose());
        }
    }

    // The permits that count at the server's present time.
    private const string CountingNow = "local t = redis.call('TIME') return redis.call('ZCOUNT', KEYS[1], '(' .. (tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)), '+inf')";

    internal static RedisKey PermitsKey(string prefix, string credential, string service = "symtrain") =>
        prefix + "quota:" + service + ":{" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("credential\u001f" + credential))) + "}:permits";

    internal static string UniquePrefix() => "test-" + Guid.NewGuid().ToString("N")[..8] + ":";

    private static RateLimitOptions Limit(int limit) => new() { PermitLimit = limit, Window = Window, QueueLimit = 1000 };

    private static Task<TrainingSandbox> StartSandboxAsync(int limit) => TrainingSandbox.StartAsync(new TrainingSandboxOptions
    {
        SymtrainApiKey = "redis-" + Guid.NewGuid().ToString("N"),
        SymtrainQuotaLimit = limit,
        SymtrainQuotaWindow = Window,
    });
}
