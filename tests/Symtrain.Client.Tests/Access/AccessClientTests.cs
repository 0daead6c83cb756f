using System.Net;
using System.Text.Json;
using Symtrain.Client.Access;
using TrainingApis.Core;
using TrainingApis.Testing;

namespace Symtrain.Client.Tests.Access;

public class AccessClientTests
{
    private const string DeepLinks = "/v2/access-api/simulation/deep-links";
    private const string Completion = "/v2/access-api/simulation/completion-data";
    private const string Library = "/v2/access-api/simulation/library";
    private const string Assignment = "/v2/access-api/simulation/assignment";

    [Fact]
    public async Task CreateDeepLink_posts_the_simulation_form_and_reads_the_documented_envelope()
    {
        using var harness = Harness.Json("""
            {"simulations":[{"simulationId":"sim-1","simulationName":"Refund call","deepLink":"https://app.symtrain.com/s/sim-1?x=1","tags":["billing"],"difficulty":"hard"}]}
            """);

        var link = await harness.Client.Access.CreateDeepLinkAsync("org-1", "jane@example.com", "sim-1");

        var request = harness.Single;
        Harness.ShouldBeJsonPost(request, DeepLinks);
        request.Body.Should().Be("""{"organizationId":"org-1","userId":"jane@example.com","simulationId":"sim-1"}""");
        link.SimulationId.Should().Be("sim-1");
        link.SimulationName.Should().Be("Refund call");
        link.DeepLink.Should().Be(new Uri("https://app.symtrain.com/s/sim-1?x=1"));
        link.Tags.Should().Equal("billing");
        link.AdditionalProperties!["difficulty"].GetString().Should().Be("hard");
    }

    [Theory]
    [InlineData("""[{"simulationId":"sim-1","deepLink":"https://a.test/1"}]""")]
    [InlineData("""{"simulationId":"sim-1","deepLink":"https://a.test/1"}""")]
    [InlineData("""{"simulationId":"sim-1","url":"https://a.test/1"}""")]
    [InlineData("""{"simulationId":1,"link":"https://a.test/1"}""")]
    public async Task CreateDeepLink_accepts_the_assumed_shapes(string json)
    {
        using var harness = Harness.Json(json);

        var link = await harness.Client.Access.CreateDeepLinkAsync("org-1", "jane", json.Contains("\"simulationId\":1", StringComparison.Ordinal) ? "1" : "sim-1");

        link.DeepLink.Should().Be(new Uri("https://a.test/1"));
    }

    [Fact]
    public async Task CreateDeepLink_without_any_link_in_the_answer_is_an_ApiException()
    {
        using var harness = Harness.Json("""{"simulations":[]}""");

        var act = () => harness.Client.Access.CreateDeepLinkAsync("org-1", "jane", "sim-1");

        await act.Should().ThrowAsync<ApiException>().WithMessage("*deep link*");
    }

    [Fact]
    public async Task CreateDeepLinks_posts_the_tags_form()
    {
        using var harness = Harness.Json("""{"simulations":[{"simulationId":"a","deepLink":"https://a.test/a"},{"simulationId":"b","deepLink":"https://a.test/b"}]}""");

        var links = await harness.Client.Access.CreateDeepLinksAsync(new DeepLinkRequest
        {
            OrganizationId = "org-1",
            UserId = "jane",
            Tags = ["billing", "refunds"],
            MustIncludeAllTags = true,
        });

        Harness.ShouldBeJsonPost(harness.Single, DeepLinks);
        harness.Single.Body.Should().Be("""{"organizationId":"org-1","userId":"jane","tags":["billing","refunds"],"mustIncludeAllTags":true}""");
        links.Select(l => l.SimulationId).Should().Equal("a", "b");
    }

    [Fact]
    public async Task CreateDeepLinks_leaves_out_mustIncludeAllTags_when_not_set()
    {
        using var harness = Harness.Json("[]");

        var links = await harness.Client.Access.CreateDeepLinksAsync(new DeepLinkRequest { OrganizationId = "o", UserId = "u", Tags = ["t"] });

        links.Should().BeEmpty();
        Harness.Names(harness.Single).Should().Equal("organizationId", "userId", "tags");
    }

    [Fact]
    public async Task CreateDeepLinks_reports_every_problem_of_the_request_at_once()
    {
        using var harness = Harness.Json("[]");

        var act = () => harness.Client.Access.CreateDeepLinksAsync(new DeepLinkRequest { OrganizationId = " ", UserId = "u\n", Tags = ["ok", ""] });

        var error = (await act.Should().ThrowAsync<ArgumentException>()).Which;
        error.ParamName.Should().Be("request");
        error.Message.Should().Contain("request.OrganizationId").And.Contain("request.UserId").And.Contain("request.Tags[1]");
        harness.Handler.Count.Should().Be(0);
    }

    [Fact]
    public async Task CreateDeepLinks_needs_a_tag()
    {
        using var harness = Harness.Json("[]");

        var act = () => harness.Client.Access.CreateDeepLinksAsync(new DeepLinkRequest { OrganizationId = "o", UserId = "u", Tags = [] });

        await act.Should().ThrowAsync<ArgumentException>().WithMessage("*at least one tag*");
    }

    [Fact]
    public async Task GetCompletionData_posts_the_ids_and_reads_every_attempt()
    {
        using var harness = Harness.Json("""
            {"executions":[
              {"executionId":"e1","simulationId":"sim-1","startedAt":"2024-05-01T10:00:00.123456","completedAt":"2024-05-01T10:05:00.1234567","completionTime":300.5,
               "symScore":88.5,"accuracyScore":90,"keywordScore":75,"clickScore":100,"sentimentScores":{"positive":0.8},"attemptNumber":1},
              {"executionId":"e2","simulationId":"sim-1","startedAt":"2024-05-02T10:00:00","completedAt":null,"completionTime":null,
               "symScore":null,"accuracyScore":null,"keywordScore":null,"clickScore":null,"sentimentScores":null}
            ]}
            """);

        var executions = await harness.Client.Access.GetCompletionDataAsync("org-1", "jane", "sim-1");

        Harness.ShouldBeJsonPost(harness.Single, Completion);
        harness.Single.Body.Should().Be("""{"organizationId":"org-1","userId":"jane","simulationId":"sim-1"}""");
        executions.Should().HaveCount(2);
        var done = executions[0];
        done.IsCompleted.Should().BeTrue();
        done.CompletedAt.Should().Be(new DateTime(2024, 5, 1, 10, 5, 0).AddTicks(1234567));
        done.CompletedAt!.Value.Kind.Should().Be(DateTimeKind.Unspecified);
        done.CompletionTime.Should().Be(300.5);
        done.CompletionDuration.Should().Be(TimeSpan.FromSeconds(300.5));
        done.SymScore.Should().Be(88.5);
        done.AccuracyScore.Should().Be(90);
        done.KeywordScore.Should().Be(75);
        done.ClickScore.Should().Be(100);
        done.SentimentScores!.Value.GetProperty("positive").GetDouble().Should().Be(0.8);
        done.AdditionalProperties!["attemptNumber"].GetInt32().Should().Be(1);
        var open = executions[1];
        open.IsCompleted.Should().BeFalse();
        open.SymScore.Should().BeNull();
        open.SentimentScores.Should().BeNull();
        open.CompletionDuration.Should().BeNull();
    }

    [Theory]
    [InlineData("""[{"completedAt":"2024-01-01T00:00:00Z","completionTime":12}]""", true)]
    [InlineData("""[{"completedAt":"2024-01-01T00:00:00Z","completionTime":null}]""", false)]
    [InlineData("""[{"completedAt":null,"completionTime":12}]""", false)]
    [InlineData("""[{"completedAt":null,"completionTime":null}]""", false)]
    [InlineData("""{"completedAt":"2024-01-01T00:00:00","completionTime":"42"}""", true)]
    public async Task An_attempt_is_completed_exactly_when_both_fields_are_set(string json, bool completed)
    {
        using var harness = Harness.Json(json);

        var executions = await harness.Client.Access.GetCompletionDataAsync("o", "u", "s");

        executions.Should().ContainSingle().Which.IsCompleted.Should().Be(completed);
    }

    [Fact]
    public void IsCompleted_holds_for_models_built_by_hand()
    {
        new SimulationExecution { CompletedAt = DateTime.UnixEpoch, CompletionTime = 1 }.IsCompleted.Should().BeTrue();
        new SimulationExecution { CompletedAt = DateTime.UnixEpoch }.IsCompleted.Should().BeFalse();
    }

    [Fact]
    public async Task GetLibraryPage_sends_only_the_fields_that_are_set()
    {
        using var harness = Harness.Json("""{"simulations":[]}""");

        await harness.Client.Access.GetLibraryPageAsync(new LibraryQuery { OrganizationId = "org-1", UserId = "jane" });

        Harness.ShouldBeJsonPost(harness.Single, Library);
        harness.Single.Body.Should().Be("""{"organizationId":"org-1","userId":"jane"}""");
    }

    [Fact]
    public async Task GetLibraryPage_sends_filters_and_paging_and_reads_the_page()
    {
        using var harness = Harness.Json("""
            {"page":2,"pageSize":2,"total":3,"simulations":[
              {"simulationId":"s1","name":"Refunds","description":"d","tags":["billing"],"durationMinutes":12.5,"level":"basic"},
              {"id":"s2","title":"Escalations"}],"requestId":"r-1"}
            """);

        var page = await harness.Client.Access.GetLibraryPageAsync(new LibraryQuery
        {
            OrganizationId = "org-1",
            UserId = "jane",
            Tags = ["billing"],
            SearchTerm = "refund",
            Page = 2,
            PageSize = 2,
        });

        harness.Single.Body.Should().Be("""{"organizationId":"org-1","userId":"jane","tags":["billing"],"searchTerm":"refund","page":2,"pageSize":2}""");
        page.Page.Should().Be(2);
        page.PageSize.Should().Be(2);
        page.Total.Should().Be(3);
        page.Simulations.Should().HaveCount(2);
        page.Simulations[0].Should().BeEquivalentTo(new { SimulationId = "s1", Name = "Refunds", Description = "d", DurationMinutes = 12.5 });
        page.Simulations[0].AdditionalProperties!["level"].GetString().Should().Be("basic");
        page.Simulations[1].SimulationId.Should().Be("s2");
        page.Simulations[1].Name.Should().Be("Escalations");
        page.AdditionalProperties!["requestId"].GetString().Should().Be("r-1");
    }

    [Theory]
    [InlineData("""[{"simulationId":"s1"}]""")]
    [InlineData("""{"results":[{"simulationId":"s1"}]}""")]
    [InlineData("""{"data":[{"simulationId":"s1"}]}""")]
    [InlineData("""{"items":[{"simulationId":"s1"}]}""")]
    public async Task GetLibraryPage_reads_the_assumed_shapes(string json)
    {
        using var harness = Harness.Json(json);

        var page = await harness.Client.Access.GetLibraryPageAsync(new LibraryQuery { OrganizationId = "o", UserId = "u" });

        page.Simulations.Should().ContainSingle().Which.SimulationId.Should().Be("s1");
    }

    [Fact]
    public async Task ListLibrary_pages_until_a_short_page()
    {
        using var harness = new Harness((request, _) =>
        {
            var body = Harness.Body(request);
            var page = body["page"]!.GetValue<int>();
            var count = page < 3 ? 50 : 10;
            var items = string.Join(",", Enumerable.Range(0, count).Select(i => $$"""{"simulationId":"p{{page}}-{{i}}"}"""));
            return FakeHttpHandler.JsonResponse($$"""{"page":{{page}},"pageSize":50,"simulations":[{{items}}]}""");
        });

        var all = new List<LibrarySimulation>();
        await foreach (var simulation in harness.Client.Access.ListLibraryAsync(new LibraryQuery { OrganizationId = "o", UserId = "u", SearchTerm = "x" }))
        {
            all.Add(simulation);
        }

        all.Should().HaveCount(110);
        all.Select(s => s.SimulationId).Should().OnlyHaveUniqueItems();
        harness.Requests.Select(r => r.Body).Should().Equal(
            """{"organizationId":"o","userId":"u","searchTerm":"x","page":1,"pageSize":50}""",
            """{"organizationId":"o","userId":"u","searchTerm":"x","page":2,"pageSize":50}""",
            """{"organizationId":"o","userId":"u","searchTerm":"x","page":3,"pageSize":50}""");
    }

    [Fact]
    public async Task ListLibrary_uses_the_querys_page_size_and_start_page()
    {
        using var harness = Harness.Json("""[{"simulationId":"s1"}]""");

        var all = new List<LibrarySimulation>();
        await foreach (var simulation in harness.Client.Access.ListLibraryAsync(new LibraryQuery { OrganizationId = "o", UserId = "u", Page = 4, PageSize = 5 }))
        {
            all.Add(simulation);
        }

        all.Should().ContainSingle();
        harness.Single.Body.Should().Be("""{"organizationId":"o","userId":"u","page":4,"pageSize":5}""");
    }

    [Fact]
    public async Task ListLibrary_turns_a_server_that_ignores_paging_into_an_exception()
    {
        var items = string.Join(",", Enumerable.Range(0, 50).Select(i => $$"""{"simulationId":"s{{i}}"}"""));
        using var harness = Harness.Json($$"""{"simulations":[{{items}}]}""");

        var act = async () =>
        {
            await foreach (var _ in harness.Client.Access.ListLibraryAsync(new LibraryQuery { OrganizationId = "o", UserId = "u" }))
            {
            }
        };

        (await act.Should().ThrowAsync<ApiException>()).Which.Message.Should().Contain("ignore paging");
        harness.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task ListLibrary_refuses_an_answer_for_another_page()
    {
        using var harness = Harness.Json("""{"page":1,"pageSize":1,"simulations":[{"simulationId":"s1"}]}""");

        var act = async () =>
        {
            await foreach (var _ in harness.Client.Access.ListLibraryAsync(new LibraryQuery { OrganizationId = "o", UserId = "u", PageSize = 1 }))
            {
            }
        };

        (await act.Should().ThrowAsync<ApiException>()).Which.Message.Should().Contain("answered page 1");
    }

    [Fact]
    public async Task ListLibrary_stops_at_the_page_limit()
    {
        using var harness = new Harness(
            (_, n) => FakeHttpHandler.JsonResponse($$"""{"page":{{n + 1}},"simulations":[{"simulationId":"s{{n}}"}]}"""),
            o => o.MaxPages = 3);

        var act = async () =>
        {
            await foreach (var _ in harness.Client.Access.ListLibraryAsync(new LibraryQuery { OrganizationId = "o", UserId = "u", PageSize = 1 }))
            {
            }
        };

        await act.Should().ThrowAsync<ApiException>().WithMessage("*3 pages*");
        harness.Requests.Should().HaveCount(3);
    }

    [Fact]
    public void ListLibrary_checks_the_query_when_called()
    {
        using var harness = Harness.Json("[]");

        var act = () => harness.Client.Access.ListLibraryAsync(new LibraryQuery { OrganizationId = "o", UserId = "", Page = 0, PageSize = -1 });

        var error = act.Should().Throw<ArgumentException>().Which;
        error.ParamName.Should().Be("query");
        error.Message.Should().Contain("query.UserId").And.Contain("query.Page").And.Contain("query.PageSize");
        harness.Handler.Count.Should().Be(0);
    }

    [Fact]
    public async Task AssignSimulation_posts_assign_true_and_reads_the_simulation()
    {
        using var harness = Harness.Json("""{"simulationId":"sim-1","name":"Refunds","deepLink":"https://app.test/s/sim-1","assigned":true,"dueDate":"2024-06-01"}""");

        var assignment = await harness.Client.Access.AssignSimulationAsync("org-1", "jane", "sim-1");

        Harness.ShouldBeJsonPost(harness.Single, Assignment);
        harness.Single.Body.Should().Be("""{"organizationId":"org-1","userId":"jane","simulationId":"sim-1","assign":true}""");
        assignment.SimulationId.Should().Be("sim-1");
        assignment.Name.Should().Be("Refunds");
        assignment.DeepLink.Should().Be(new Uri("https://app.test/s/sim-1"));
        assignment.Assigned.Should().BeTrue();
        assignment.AdditionalProperties!["dueDate"].GetString().Should().Be("2024-06-01");
    }

    [Fact]
    public async Task AssignSimulation_reads_a_nested_simulation_and_link_aliases()
    {
        using var harness = Harness.Json("""{"success":true,"simulation":{"simulationId":"sim-1","simulationName":"Refunds","url":"https://app.test/x"}}""");

        var assignment = await harness.Client.Access.AssignSimulationAsync("org-1", "jane", "sim-1");

        assignment.Name.Should().Be("Refunds");
        assignment.DeepLink.Should().Be(new Uri("https://app.test/x"));
    }

    [Theory]
    [InlineData("""{"success":true}""")]
    [InlineData("")]
    [InlineData("""{"status":"ok"}""")]
    public async Task UnassignSimulation_posts_assign_false_and_accepts_a_success(string json)
    {
        using var harness = new Harness((_, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json) });

        await harness.Client.Access.UnassignSimulationAsync("org-1", "jane", "sim-1");

        Harness.ShouldBeJsonPost(harness.Single, Assignment);
        harness.Single.Body.Should().Be("""{"organizationId":"org-1","userId":"jane","simulationId":"sim-1","assign":false}""");
    }

    [Fact]
    public async Task UnassignSimulation_turns_success_false_into_a_validation_error()
    {
        using var harness = Harness.Json("""{"success":false,"message":"Simulation is not assigned"}""");

        var act = () => harness.Client.Access.UnassignSimulationAsync("org-1", "jane", "sim-1");

        (await act.Should().ThrowAsync<ApiValidationException>()).Which.Message.Should().Contain("Simulation is not assigned");
    }

    [Fact]
    public async Task UnassignSimulation_refused_with_a_huge_message_gives_a_bounded_error()
    {
        // Fails on main: the whole 3 MB message was in the exception's message, its error and its body.
        using var harness = Harness.Json($$"""{"success":false,"message":"{{new string('x', 3_000_000)}}"}""");

        var act = () => harness.Client.Access.UnassignSimulationAsync("org-1", "jane", "sim-1");

        var error = (await act.Should().ThrowAsync<ApiValidationException>()).Which;
        error.Message.Length.Should().BeLessThan(1_000);
        error.Errors.Should().ContainSingle().Which.Message.Length.Should().BeLessThan(1_000);
        error.ResponseBody!.Length.Should().BeLessThan(4_200, "bodies are kept to 4,096 characters");
    }

    [Fact]
    public async Task UnassignSimulation_maps_error_statuses()
    {
        using var harness = Harness.Json("""{"message":"no such simulation"}""", status: HttpStatusCode.NotFound);

        var act = () => harness.Client.Access.UnassignSimulationAsync("org-1", "jane", "sim-1");

        await act.Should().ThrowAsync<ApiNotFoundException>().WithMessage("*no such simulation*");
    }

    public static TheoryData<string, string?, string> BadIds => new()
    {
        { "organizationId", null, nameof(ArgumentNullException) },
        { "organizationId", "", nameof(ArgumentException) },
        { "userId", "  ", nameof(ArgumentException) },
        { "userId", "jane\r\nX-Injected: 1", nameof(ArgumentException) },
        { "simulationId", "sim\u0000", nameof(ArgumentException) },
    };

    [Theory]
    [MemberData(nameof(BadIds))]
    public async Task Every_identifier_is_checked_before_sending_and_named(string parameter, string? value, string exceptionType)
    {
        using var harness = Harness.Json("{}");
        var access = harness.Client.Access;
        string Arg(string name) => name == parameter ? value! : "ok";
        var calls = new Func<Task>[]
        {
            () => access.CreateDeepLinkAsync(Arg("organizationId"), Arg("userId"), Arg("simulationId")),
            () => access.GetCompletionDataAsync(Arg("organizationId"), Arg("userId"), Arg("simulationId")),
            () => access.AssignSimulationAsync(Arg("organizationId"), Arg("userId"), Arg("simulationId")),
            () => access.UnassignSimulationAsync(Arg("organizationId"), Arg("userId"), Arg("simulationId")),
        };

        foreach (var call in calls)
        {
            var error = (await call.Should().ThrowAsync<ArgumentException>()).Which;
            error.GetType().Name.Should().Be(exceptionType);
            error.ParamName.Should().Be(parameter);
        }

        harness.Handler.Count.Should().Be(0);
    }

    [Fact]
    public void Deep_links_built_by_hand_serialize_with_their_fields()
    {
        var link = new SimulationDeepLink { SimulationId = "s", DeepLink = new Uri("https://a.test/s") };

        JsonSerializer.Serialize(link, SymtrainJsonContext.Default.SimulationDeepLink).Should().Contain("\"deepLink\":\"https://a.test/s\"");
    }
}
