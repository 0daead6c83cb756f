namespace TrainingApis.Sandbox.Tests;

public sealed class SymtrainAccessTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    /// <summary>The <c>organizationId</c> and <c>userId</c> properties, to put in a body.</summary>
    private string Ids => $"\"organizationId\":\"{fixture.Org}\",\"userId\":\"{fixture.Trainee}\"";

    [Fact]
    public async Task Deep_link_for_one_simulation_returns_it_in_simulations_with_a_working_link()
    {
        var result = await fixture.SymtrainAsync(
            "v2/access-api/simulation/deep-links", $$"""{{{Ids}},"simulationId":"{{fixture.Sandbox.SimulationId}}"}""");

        result.Status.Should().Be(HttpStatusCode.OK, result.Text);
        var item = result.Json.GetProperty("simulations").EnumerateArray().Should().ContainSingle().Subject;
        ApiCall.PropertyNames(item).Should().Equal("simulationId", "simulationName", "deepLink", "tags");
        item.GetProperty("simulationId").GetString().Should().Be(fixture.Sandbox.SimulationId);
        item.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).Should().Contain(fixture.Sandbox.SimulationTag);
        var link = new Uri(item.GetProperty("deepLink").GetString()!);
        link.GetLeftPart(UriPartial.Authority).Should().Be(fixture.Sandbox.BaseAddress.GetLeftPart(UriPartial.Authority));

        var launch = await ApiCall.GetAsync(fixture.Client, link.PathAndQuery);
        launch.Status.Should().Be(HttpStatusCode.OK);
        launch.Json.GetProperty("userId").GetString().Should().Be(fixture.Trainee);
        launch.Json.GetProperty("tokenPresent").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task Deep_links_by_tags_match_any_tag_or_all_of_them()
    {
        var any = await fixture.SymtrainAsync("v2/access-api/simulation/deep-links", $$"""{{{Ids}},"tags":["billing","sales"]}""");
        var all = await fixture.SymtrainAsync("v2/access-api/simulation/deep-links", $$"""{{{Ids}},"tags":["billing","voice"],"mustIncludeAllTags":true}""");

        var anyTags = Tags(any.Json.GetProperty("simulations"));
        var allTags = Tags(all.Json.GetProperty("simulations"));
        anyTags.Should().NotBeEmpty().And.OnlyContain(t => t.Contains("billing") || t.Contains("sales"));
        anyTags.Should().Contain(t => t.Contains("sales"));
        allTags.Should().NotBeEmpty().And.OnlyContain(t => t.Contains("billing") && t.Contains("voice"));
        allTags.Length.Should().BeLessThan(anyTags.Length);
    }

    [Fact]
    public async Task Deep_links_need_a_simulation_or_tags()
    {
        var neither = await fixture.SymtrainAsync("v2/access-api/simulation/deep-links", $$"""{{{Ids}}}""");
        var emptyTags = await fixture.SymtrainAsync("v2/access-api/simulation/deep-links", $$"""{{{Ids}},"tags":[]}""");

        neither.Status.Should().Be(HttpStatusCode.BadRequest);
        neither.Message.Should().Contain("simulationId or tags is required");
        emptyTags.Status.Should().Be(HttpStatusCode.BadRequest);
        emptyTags.ErrorFields.Should().Equal("tags");
    }

    [Fact]
    public async Task Completion_data_lists_complete_and_incomplete_attempts()
    {
        var result = await fixture.SymtrainAsync(
            "v2/access-api/simulation/completion-data", $$"""{{{Ids}},"simulationId":"{{fixture.Sandbox.SimulationId}}"}""");

        result.Status.Should().Be(HttpStatusCode.OK, result.Text);
        var executions = result.Json.GetProperty("executions").EnumerateArray().ToArray();
        executions.Should().HaveCount(3);
        foreach (var execution in executions)
        {
            ApiCall.PropertyNames(execution).Should().Contain(
                ["executionId", "simulationId", "startedAt", "completedAt", "completionTime", "symScore", "accuracyScore", "keywordScore", "clickScore", "sentimentScores"]);
        }

        var complete = executions[0];
        complete.GetProperty("completedAt").ValueKind.Should().Be(JsonValueKind.String);
        complete.GetProperty("completionTime").GetInt32().Should().BePositive();
        complete.GetProperty("symScore").GetDouble().Should().BeInRange(0, 100);
        complete.GetProperty("sentimentScores").GetProperty("positive").GetDouble().Should().BeInRange(0, 1);

        var incomplete = executions[1];
        foreach (var field in new[] { "completedAt", "completionTime", "symScore", "accuracyScore", "keywordScore", "clickScore", "sentimentScores" })
        {
            incomplete.GetProperty(field).ValueKind.Should().Be(JsonValueKind.Null, field);
        }
    }

    [Fact]
    public async Task Completion_data_of_a_new_user_is_empty()
    {
        var email = $"fresh-{Guid.NewGuid():N}@example.com";
        await fixture.SymtrainAsync("v2/access-api/user/create", $$"""{"organizationId":"{{fixture.Org}}","email":"{{email}}","username":"{{email}}"}""");

        var result = await fixture.SymtrainAsync(
            "v2/access-api/simulation/completion-data",
            $$"""{"organizationId":"{{fixture.Org}}","userId":"{{email}}","simulationId":"{{fixture.Sandbox.SimulationId}}"}""");

        result.Status.Should().Be(HttpStatusCode.OK);
        result.Json.GetProperty("executions").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task The_library_is_paged_from_one_with_a_default_page_size_of_50()
    {
        var first = await fixture.SymtrainAsync("v2/access-api/simulation/library", $$"""{{{Ids}}}""");
        var third = await fixture.SymtrainAsync("v2/access-api/simulation/library", $$"""{{{Ids}},"page":3}""");

        first.Status.Should().Be(HttpStatusCode.OK, first.Text);
        ApiCall.PropertyNames(first.Json).Should().Equal("page", "pageSize", "total", "simulations");
        first.Json.GetProperty("pageSize").GetInt32().Should().Be(50);
        first.Json.GetProperty("total").GetInt32().Should().Be(120);
        var item = first.Json.GetProperty("simulations")[0];
        ApiCall.PropertyNames(item).Should().Equal("simulationId", "name", "description", "tags", "durationMinutes");
        third.Json.GetProperty("simulations").GetArrayLength().Should().Be(20);
    }

    [Fact]
    public async Task The_library_filters_by_tags_and_search_term()
    {
        var tagged = await fixture.SymtrainAsync("v2/access-api/simulation/library", $$"""{{{Ids}},"tags":["retention"],"pageSize":500}""");
        var searched = await fixture.SymtrainAsync("v2/access-api/simulation/library", $$"""{{{Ids}},"searchTerm":"REFUND","pageSize":500}""");

        var taggedItems = tagged.Json.GetProperty("simulations").EnumerateArray().ToArray();
        taggedItems.Should().NotBeEmpty().And.OnlyContain(s => s.GetProperty("tags").EnumerateArray().Any(t => t.GetString() == "retention"));
        tagged.Json.GetProperty("total").GetInt32().Should().Be(taggedItems.Length);
        searched.Json.GetProperty("simulations").EnumerateArray().Should().NotBeEmpty()
            .And.OnlyContain(s => (s.GetProperty("name").GetString() + s.GetProperty("description").GetString()).Contains("refund", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Assign_returns_the_simulation_with_its_link_and_unassign_returns_success()
    {
        var simulation = "sim-1005";
        var assign = await fixture.SymtrainAsync(
            "v2/access-api/simulation/assignment", $$"""{{{Ids}},"simulationId":"{{simulation}}","assign":true}""");
        var listed = await ApiCall.GetAsync(fixture.Client, "_sandbox/symtrain/assignments");
        var unassign = await fixture.SymtrainAsync(
            "v2/access-api/simulation/assignment", $$"""{{{Ids}},"simulationId":"{{simulation}}","assign":false}""");
        var after = await ApiCall.GetAsync(fixture.Client, "_sandbox/symtrain/assignments");

        assign.Status.Should().Be(HttpStatusCode.OK, assign.Text);
        ApiCall.PropertyNames(assign.Json).Should().Equal("simulationId", "name", "deepLink", "assigned");
        assign.Json.GetProperty("assigned").GetBoolean().Should().BeTrue();
        assign.Json.GetProperty("deepLink").GetString().Should().Contain("/_sandbox/launch/sim-1005");
        listed.Json.EnumerateArray().Should().Contain(a => a.GetProperty("simulationId").GetString() == simulation && a.GetProperty("userId").GetString() == fixture.Trainee);
        unassign.Text.Should().Be("""{"success":true}""");
        after.Json.EnumerateArray().Should().NotContain(a => a.GetProperty("simulationId").GetString() == simulation && a.GetProperty("userId").GetString() == fixture.Trainee);
    }

    [Fact]
    public async Task Assignment_needs_every_field_and_names_each_missing_one()
    {
        var result = await fixture.SymtrainAsync("v2/access-api/simulation/assignment", """{"assign":"yes"}""");

        result.Status.Should().Be(HttpStatusCode.BadRequest);
        result.ErrorFields.Should().Equal("organizationId", "userId", "simulationId", "assign");
        result.Message.Should().Contain("assign must be true or false");
    }

    [Theory]
    [InlineData("v2/access-api/simulation/deep-links")]
    [InlineData("v2/access-api/simulation/completion-data")]
    [InlineData("v2/access-api/simulation/library")]
    [InlineData("v2/access-api/simulation/assignment")]
    [InlineData("v2/access-api/user/token")]
    public async Task An_unknown_organization_is_a_404(string path)
    {
        var result = await fixture.SymtrainAsync(path, $$"""{"organizationId":"no-such-org","userId":"{{fixture.Trainee}}","simulationId":"sim-1001","assign":true}""");

        result.Status.Should().Be(HttpStatusCode.NotFound);
        result.Message.Should().Be("Organization 'no-such-org' was not found.");
    }

    [Theory]
    [InlineData("v2/access-api/simulation/deep-links")]
    [InlineData("v2/access-api/simulation/completion-data")]
    [InlineData("v2/access-api/simulation/library")]
    [InlineData("v2/access-api/simulation/assignment")]
    [InlineData("v2/access-api/user/token")]
    public async Task An_unknown_user_is_a_404(string path)
    {
        var result = await fixture.SymtrainAsync(path, $$"""{"organizationId":"{{fixture.Org}}","userId":"ghost@example.com","simulationId":"sim-1001","assign":true}""");

        result.Status.Should().Be(HttpStatusCode.NotFound);
        result.Message.Should().Be($"User 'ghost@example.com' was not found in organization '{fixture.Org}'.");
    }

    [Theory]
    [InlineData("v2/access-api/simulation/deep-links")]
    [InlineData("v2/access-api/simulation/completion-data")]
    [InlineData("v2/access-api/simulation/assignment")]
    public async Task An_unknown_simulation_is_a_404(string path)
    {
        var result = await fixture.SymtrainAsync(path, $$"""{{{Ids}},"simulationId":"sim-0","assign":true}""");

        result.Status.Should().Be(HttpStatusCode.NotFound);
        result.Message.Should().Be("Simulation 'sim-0' was not found.");
    }

    private static string[][] Tags(JsonElement simulations) =>
        simulations.EnumerateArray().Select(s => s.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToArray()).ToArray();
}
