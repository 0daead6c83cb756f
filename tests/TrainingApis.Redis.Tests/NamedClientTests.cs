using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using StackExchange.Redis;
using Senar.Client;
using Symtrain.Client;
using TrainingApis.Core;
using TrainingApis.Sandbox;

namespace TrainingApis.Redis.Tests;

/// <summary>UseRedis on the builder of a named client reads that client's options, not the default ones.</summary>
[Collection(GarnetCollection.Name)]
public sealed class NamedClientTests(GarnetFixture garnet)
{
    [Fact]
    public async Task A_named_symtrain_client_shares_the_quota_of_its_own_api_key()
    {
        await using var sandbox = await TrainingSandbox.StartAsync(new TrainingSandboxOptions { SymtrainApiKey = "named-" + Guid.NewGuid().ToString("N") });
        var prefix = SharedQuotaTests.UniquePrefix();
        var services = new ServiceCollection();

        // The default client has another key and no Redis: a named client that read the default options would hash it.
        services.AddSymtrainClient(o => { o.ApiKey = "default-key"; o.BaseAddress = sandbox.BaseAddress; });
        services.AddSymtrainClient("reports", o =>
            {
                o.ApiKey = sandbox.SymtrainApiKey;
                o.BaseAddress = sandbox.BaseAddress;
                o.RateLimit = new RateLimitOptions { PermitLimit = 7, Window = TimeSpan.FromSeconds(30) };
            })
            .UseRedis(o => { o.Configuration = garnet.Configuration; o.KeyPrefix = prefix; });
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredKeyedService<ISymtrainClient>("reports").Users.CreateAccessTokenAsync(sandbox.OrganizationId, sandbox.TraineeUsername);

        await using var redis = await ConnectionMultiplexer.ConnectAsync(garnet.Configuration);
        (await redis.GetDatabase().SortedSetLengthAsync(SharedQuotaTests.PermitsKey(prefix, sandbox.SymtrainApiKey))).Should().Be(1, "the named client's key partitions the shared quota");
        (await redis.GetDatabase().SortedSetLengthAsync(SharedQuotaTests.PermitsKey(prefix, "default-key"))).Should().Be(0);
    }

    [Fact]
    public async Task A_client_from_a_container_with_a_meter_factory_counts_the_shared_quota_on_the_factory_s_meter()
    {
        await using var sandbox = await TrainingSandbox.StartAsync(new TrainingSandboxOptions { SymtrainApiKey = "metered-" + Guid.NewGuid().ToString("N") });
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddSymtrainClient(o =>
            {
                o.ApiKey = sandbox.SymtrainApiKey;
                o.BaseAddress = sandbox.BaseAddress;
                o.RateLimit = new RateLimitOptions { PermitLimit = 7, Window = TimeSpan.FromSeconds(30) };
            })
            .UseRedis(o => { o.Configuration = garnet.Configuration; o.KeyPrefix = SharedQuotaTests.UniquePrefix(); });
        await using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IMeterFactory>();
        using var granted = new MetricCollector<long>(factory, RedisDiagnostics.Name, "trainingapis.redis.quota.permits_granted");
        using var roundTrips = new MetricCollector<long>(factory, RedisDiagnostics.Name, "trainingapis.redis.round_trips");

        await provider.GetRequiredService<ISymtrainClient>().Users.CreateAccessTokenAsync(sandbox.OrganizationId, sandbox.TraineeUsername);

        granted.GetMeasurementSnapshot().Sum(m => m.Value).Should().Be(1, "the permit is counted on the container's meter, like the clients' own metrics");
        roundTrips.GetMeasurementSnapshot().Should().NotBeEmpty();
    }

    [Fact]
    public async Task A_named_senar_client_shares_the_quota_of_its_own_username()
    {
        await using var sandbox = await TrainingSandbox.StartAsync();
        var prefix = SharedQuotaTests.UniquePrefix();
        var services = new ServiceCollection();
        services.AddSenarClient(o => { o.Username = "someone-else"; o.Password = "Password1"; o.BaseAddress = sandbox.BaseAddress; });
        services.AddSenarClient("hr", o =>
            {
                o.Username = sandbox.SenarUsername;
                o.Password = sandbox.SenarPassword;
                o.BaseAddress = sandbox.BaseAddress;
                o.RateLimit = new RateLimitOptions { Enabled = true, PermitLimit = 7, Window = TimeSpan.FromSeconds(30) };
            })
            .UseRedis(o => { o.Configuration = garnet.Configuration; o.KeyPrefix = prefix; });
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredKeyedService<ISenarClient>("hr").Users.ListAsync();

        await using var redis = await ConnectionMultiplexer.ConnectAsync(garnet.Configuration);
        var address = sandbox.BaseAddress.AbsoluteUri.TrimEnd('/');
        (await redis.GetDatabase().SortedSetLengthAsync(SharedQuotaTests.PermitsKey(prefix, $"{address}/\u001f{sandbox.SenarUsername}", "senar")))
            .Should().Be(2, "the login and the call each take a permit of the named client's username");
        (await redis.GetDatabase().SortedSetLengthAsync(SharedQuotaTests.PermitsKey(prefix, $"{address}/\u001fsomeone-else", "senar"))).Should().Be(0);
    }
}
