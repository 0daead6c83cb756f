using Symtrain.Client.Access;

namespace TrainingApis.Cli.Tests;

public sealed class AccessTests(CliSandboxFixture fixture) : IClassFixture<CliSandboxFixture>
{
    [Fact]
    public async Task Deep_link_prints_the_link_and_with_token_adds_the_users_token()
    {
        var run = new CliRun(fixture.Sandbox);
        string[] args = ["symtrain", "deep-link", "--user", fixture.Sandbox.TraineeUsername, "--simulation", fixture.Sandbox.SimulationId, "--sandbox"];

        var plain = await run.RunAsync(args);
        var withToken = await run.RunAsync([.. args, "--with-token", "--json"]);

        plain.ExitCode.Should().Be(0, plain.ToString());
        Uri.TryCreate(plain.Out.Trim(), UriKind.Absolute, out var link).Should().BeTrue(plain.Out);
        link!.Query.Should().NotContain("token=");
        withToken.ExitCode.Should().Be(0, withToken.ToString());
        using var json = JsonDocument.Parse(withToken.Out);
        json.RootElement.GetProperty("deepLink").GetString().Should().Contain("token=");
        json.RootElement.GetProperty("simulationId").GetString().Should().Be(fixture.Sandbox.SimulationId);
    }

    [Fact]
    public async Task Library_list_shows_what_the_sdk_lists_for_the_same_filters()
    {
        var run = new CliRun(fixture.Sandbox);
        var expected = new List<string?>();
        using (var client = fixture.Symtrain())
        {
            var query = new LibraryQuery { OrganizationId = fixture.Sandbox.OrganizationId, UserId = fixture.Sandbox.TraineeUsername, Tags = [fixture.Sandbox.SimulationTag] };
            await foreach (var simulation in client.Access.ListLibraryAsync(query))
            {
                expected.Add(simulation.SimulationId);
            }
        }

        var json = await run.RunAsync(["symtrain", "library", "list", "--user", fixture.Sandbox.TraineeUsername, "--tag", fixture.Sandbox.SimulationTag, "--sandbox", "--json"]);
        var table = await run.RunAsync(["symtrain", "library", "list", "--user", fixture.Sandbox.TraineeUsername, "--tag", fixture.Sandbox.SimulationTag, "--sandbox"]);

        json.ExitCode.Should().Be(0, json.ToString());
        expected.Should().NotBeEmpty();
        using var document = JsonDocument.Parse(json.Out);
        document.RootElement.EnumerateArray().Select(s => s.GetProperty("simulationId").GetString()).Should().Equal(expected);
        table.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(expected.Count + 1, "a header, then one line per simulation");
    }
}
