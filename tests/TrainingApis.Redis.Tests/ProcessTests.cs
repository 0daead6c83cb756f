using TrainingApis.Redis.Scaling;
using TrainingApis.Sandbox;

namespace TrainingApis.Redis.Tests;

/// <summary>Instances as separate OS processes (<c>dotnet TrainingApis.Redis.Scaling.dll worker …</c>) sharing one quota through Garnet.</summary>
[Collection(GarnetCollection.Name)]
public sealed class ProcessTests(GarnetFixture garnet)
{
    [Fact]
    public async Task Three_processes_never_exceed_the_limit_in_any_window_span_and_meet_no_429()
    {
        const int limit = 20;
        var window = TimeSpan.FromSeconds(1);
        await using var sandbox = await TrainingSandbox.StartAsync(new TrainingSandboxOptions
        {
            SymtrainApiKey = "processes-" + Guid.NewGuid().ToString("N"),
            SymtrainQuotaLimit = limit,
            SymtrainQuotaWindow = window,
        });

        var result = await ScalingRun.RunAsync(
            garnet.Configuration, sandbox.BaseAddress, sandbox.SymtrainApiKey, sandbox.OrganizationId, sandbox.TraineeUsername,
            instances: 3, calls: 40, limit, window, timeout: TimeSpan.FromSeconds(60));

        result.ProcessIds.Should().HaveCount(3).And.OnlyHaveUniqueItems().And.NotContain(Environment.ProcessId);
        result.Sends.Should().HaveCount(120);
        result.MaxInAnySpan().Should().BeLessThanOrEqualTo(limit, "the three processes share one quota").And.BeGreaterThan(limit / 2, "the quota is used");
        result.TooManyRequests.Should().Be(0);
    }
}
