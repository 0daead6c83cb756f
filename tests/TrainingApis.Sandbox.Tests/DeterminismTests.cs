using TrainingApis.Testing;

namespace TrainingApis.Sandbox.Tests;

public sealed class DeterminismTests
{
    [Fact]
    public async Task Two_sandboxes_with_the_same_seed_serve_identical_data()
    {
        var a = await SnapshotAsync(new TrainingSandboxOptions());
        var b = await SnapshotAsync(new TrainingSandboxOptions());

        b.Should().Equal(a);
    }

    [Fact]
    public async Task Another_seed_gives_other_data()
    {
        var a = await SnapshotAsync(new TrainingSandboxOptions());
        var b = await SnapshotAsync(new TrainingSandboxOptions { Seed = 7 });

        b.Should().HaveSameCount(a);
        b.Zip(a).Should().Contain(pair => pair.First != pair.Second);
    }

    [Fact]
    public async Task A_report_row_does_not_depend_on_the_page_or_range_that_asks_for_it()
    {
        await using var sandbox = await TrainingSandbox.StartAsync();
        using var client = ApiCall.ClientFor(sandbox);

        var wide = await ApiCall.PostAsync(client, "v2/report/modules-results", """{"startDate":"2024-05-01","endDate":"2024-05-31"}""", sandbox.SymtrainApiKey);
        var narrow = await ApiCall.PostAsync(client, "v2/report/modules-results", """{"startDate":"2024-05-15","endDate":"2024-05-15"}""", sandbox.SymtrainApiKey);

        var wideRows = wide.Json.GetProperty("results").EnumerateArray().Select(r => r.GetRawText()).ToArray();
        var narrowRows = narrow.Json.GetProperty("results").EnumerateArray().Select(r => r.GetRawText()).ToArray();
        narrowRows.Should().NotBeEmpty();
        wideRows.Should().ContainInConsecutiveOrder(narrowRows);
    }

    /// <summary>What a client sees of the seed data, as raw JSON texts.</summary>
    private static async Task<List<string>> SnapshotAsync(TrainingSandboxOptions options)
    {
        options.TimeProvider = FakeTime.Create();
        await using var sandbox = await TrainingSandbox.StartAsync(options);
        using var client = ApiCall.ClientFor(sandbox);
        var key = sandbox.SymtrainApiKey;
        var snapshot = new List<string> { sandbox.TraineeUsername, sandbox.SimulationId, sandbox.SenarCollectionId.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var report in new[] { "syms-result", "user-results", "training-plan-result", "modules-results", "syms", "users", "teams-result" })
        {
            snapshot.Add((await ApiCall.PostAsync(client, $"v2/report/{report}", """{"startDate":"2025-01-01","endDate":"2025-03-31"}""", key)).Text);
        }

        var library = $$"""{"organizationId":"{{sandbox.OrganizationId}}","userId":"{{sandbox.TraineeUsername}}","pageSize":500}""";
        var completion = $$"""{"organizationId":"{{sandbox.OrganizationId}}","userId":"{{sandbox.TraineeUsername}}","simulationId":"{{sandbox.SimulationId}}"}""";
        snapshot.Add((await ApiCall.PostAsync(client, "v2/access-api/simulation/library", library, key)).Text);
        snapshot.Add((await ApiCall.PostAsync(client, "v2/access-api/simulation/completion-data", completion, key)).Text);
        var token = await ApiCall.SenarLoginAsync(client, sandbox);
        snapshot.Add((await ApiCall.GetAsync(client, "integration/data/users", token)).Text);
        snapshot.Add((await ApiCall.GetAsync(client, "integration/data/activities", token)).Text);
        return snapshot;
    }
}
