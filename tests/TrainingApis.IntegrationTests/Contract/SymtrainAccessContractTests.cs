using Symtrain.Client;
using Symtrain.Client.Access;
using TrainingApis.IntegrationTests.Infrastructure;

namespace TrainingApis.IntegrationTests.Contract;

[Collection(WireMockCollection.Name)]
public sealed class SymtrainAccessContractTests(WireMockFixture fixture) : WireMockTest(fixture)
{

    [Fact]
    public async Task Deep_link_by_simulation_id_posts_the_three_ids_and_reads_the_link()
    {
        var options = TestClients.SymtrainOptions(Server);
        using var client = new SymtrainClient(options);

        var link = await client.Access.CreateDeepLinkAsync("org-1", "jane@example.com", "sim-001");

        Server.Count(RequestPattern.Post("/v2/access-api/simulation/deep-links")
            .WithBearer(options.ApiKey!)
            .WithJsonContentType()
            .WithJsonBody("""{"organizationId": "org-1", "userId": "jane@example.com", "simulationId": "sim-001"}""")).Should().Be(1);
        link.SimulationId.Should().Be("sim-001");
        link.SimulationName.Should().Be("Handling an angry caller");
        link.DeepLink.Should().Be(new Uri("https://app.symtrain.com/sim/sim-001?org=org-1"));
        link.Tags.Should().Equal("billing");
        ShouldHaveNoUnmatchedRequests();
    }

    [Fact]
    public async Task Deep_links_by_tags_post_the_tags_form_and_read_the_list()
    {
        var options = TestClients.SymtrainOptions(Server);
        using var client = new SymtrainClient(options);

        var links = await client.Access.CreateDeepLinksAsync(new DeepLinkRequest
        {
            OrganizationId = "org-1",
            UserId = "jane@example.com",
            Tags = ["billing", "refunds"],
            MustIncludeAllTags = true,
        });

        Server.Count(RequestPattern.Post("/v2/access-api/simulation/deep-links")
            .WithBearer(options.ApiKey!)
            .WithJsonContentType()
            .WithJsonBody("""{"organizationId": "org-1", "userId": "jane@example.com", "tags": ["billing", "refunds"], "mustIncludeAllTags": true}""")).Should().Be(1);
        links.Should().ContainSingle().Which.DeepLink.Should().Be(new Uri("https://app.symtrain.com/sim/sim-001?org=org-1"));
        ShouldHaveNoUnmatchedRequests();
    }

    [Fact]
    public async Task Deep_links_by_tags_leave_out_an_unset_must_include_all_tags()
    {
        var options = TestClients.SymtrainOptions(Server);
        using var client = new SymtrainClient(options);

        await client.Access.CreateDeepLinksAsync(new DeepLinkRequest { OrganizationId = "org-1", UserId = "jane@example.com", Tags = ["billing"] });

        Server.Count(RequestPattern.Post("/v2/access-api/simulation/deep-links")
            .WithJsonBody("""{"organizationId": "org-1", "userId": "jane@example.com", "tags": ["billing"]}""")).Should().Be(1);
    }

    [Fact]
    public async Task Completion_data_posts_the_three_ids_and_reads_every_execution()
    {
        var options = TestClients.SymtrainOptions(Server);
        using var client = new SymtrainClient(options);

        var executions = await client.Access.GetCompletionDataAsync("org-1", "jane@example.com", "sim-001");

        Server.Count(RequestPattern.Post("/v2/access-api/simulation/completion-data")
            .WithBearer(options.ApiKey!)
            .WithJsonContentType()
            .WithJsonBody("""{"organizationId": "org-1", "userId": "jane@example.com", "simulationId": "sim-001"}""")).Should().Be(1);
        executions.Should().HaveCount(2);
        var done = executions[0];
        done.ExecutionId.Should().Be("ex-1");
        done.IsCompleted.Should().BeTrue();
        done.StartedAt.Should().Be(new DateTime(2024, 3, 1, 9, 0, 0, DateTimeKind.Utc));
        done.CompletedAt.Should().Be(new DateTime(2024, 3, 1, 9, 12, 30, DateTimeKind.Utc));
        done.CompletionDuration.Should().Be(TimeSpan.FromSeconds(750));
        done.SymScore.Should().Be(88.5);
        done.AccuracyScore.Should().Be(91.0);
        done.KeywordScore.Should().Be(80.0);
        done.ClickScore.Should().Be(95.0);
        done.SentimentScores!.Value.GetProperty("positive").GetDouble().Should().Be(0.7);
        var interrupted = executions[1];
        interrupted.IsCompleted.Should().BeFalse();
        interrupted.CompletedAt.Should().BeNull();
        interrupted.SymScore.Should().BeNull();
        ShouldHaveNoUnmatchedRequests();
    }

    [Fact]
    public async Task Library_page_posts_the_query_and_reads_the_page()
    {
        var options = TestClients.SymtrainOptions(Server);
        using var client = new SymtrainClient(options);

        var page = await client.Access.GetLibraryPageAsync(new LibraryQuery
        {
            OrganizationId = "org-1",
            UserId = "jane@example.com",
            Tags = ["billing"],
            SearchTerm = "refund",
            Page = 1,
            PageSize = 20,
        });

        Server.Count(RequestPattern.Post("/v2/access-api/simulation/library")
            .WithBearer(options.ApiKey!)
            .WithJsonContentType()
            .WithJsonBody("""{"organizationId": "org-1", "userId": "jane@example.com", "tags": ["billing"], "searchTerm": "refund", "page": 1, "pageSize": 20}""")).Should().Be(1);
        page.Page.Should().Be(1);
        page.PageSize.Should().Be(50);
        page.Total.Should().Be(2);
        page.Simulations.Select(s => (s.SimulationId, s.Name, s.DurationMinutes)).Should().Equal(
            ("sim-001", "Handling an angry caller", 12.0),
            ("sim-002", "Password reset", 8.0));
        page.Simulations[0].Tags.Should().Equal("billing");
        ShouldHaveNoUnmatchedRequests();
    }

    [Fact]
    public async Task Library_listing_leaves_out_unset_fields_and_stops_when_the_total_is_reached()
    {
        var options = TestClients.SymtrainOptions(Server);
        using var client = new SymtrainClient(options);

        var simulations = new List<LibrarySimulation>();
        await foreach (var simulation in client.Access.ListLibraryAsync(new LibraryQuery { OrganizationId = "org-1", UserId = "jane@example.com", PageSize = 2 }))
        {
            simulations.Add(simulation);
        }

        simulations.Select(s => s.SimulationId).Should().Equal("sim-001", "sim-002");
        Server.Count(RequestPattern.Post("/v2/access-api/simulation/library")
            .WithJsonBody("""{"organizationId": "org-1", "userId": "jane@example.com", "page": 1, "pageSize": 2}""")).Should().Be(1);
        Server.ReceivedRequests().Should().ContainSingle("the stub's total of 2 was reached on the first page");
    }

    [Fact]
    public async Task Assign_posts_assign_true_and_reads_the_assignment()
    {
        var options = TestClients.SymtrainOptions(Server);
        using var client = new SymtrainClient(options);

        var assignment = await client.Access.AssignSimulationAsync("org-1", "jane@example.com", "sim-001");

        Server.Count(RequestPattern.Post("/v2/access-api/simulation/assignment")
            .WithBearer(options.ApiKey!)
            .WithJsonContentType()
            .WithJsonBody("""{"organizationId": "org-1", "userId": "jane@example.com", "simulationId": "sim-001", "assign": true}""")).Should().Be(1);
        assignment.SimulationId.Should().Be("sim-001");
        assignment.Name.Should().Be("Handling an angry caller");
        assignment.DeepLink.Should().Be(new Uri("https://app.symtrain.com/sim/sim-001?org=org-1"));
        assignment.Assigned.Should().BeTrue();
        ShouldHaveNoUnmatchedRequests();
    }

    [Fact]
    public async Task Unassign_posts_assign_false_and_accepts_success()
    {
        var options = TestClients.SymtrainOptions(Server);
        using var client = new SymtrainClient(options);

        var unassign = () => client.Access.UnassignSimulationAsync("org-1", "jane@example.com", "sim-001");

        await unassign.Should().NotThrowAsync();
        Server.Count(RequestPattern.Post("/v2/access-api/simulation/assignment")
            .WithBearer(options.ApiKey!)
            .WithJsonContentType()
            .WithJsonBody("""{"organizationId": "org-1", "userId": "jane@example.com", "simulationId": "sim-001", "assign": false}""")).Should().Be(1);
        ShouldHaveNoUnmatchedRequests();
    }
}
