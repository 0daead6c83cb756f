using System.Net;
using System.Text.Json.Nodes;
using Senar.Client;
using Senar.Client.Webhooks;
using Symtrain.Client;
using Symtrain.Client.Users;
using TrainingApis.Core;
using TrainingApis.IntegrationTests.Infrastructure;

namespace TrainingApis.IntegrationTests.Faults;

/// <summary>5xx answers and error pages that are not JSON.</summary>
[Collection(WireMockCollection.Name)]
public sealed class ServerErrorFaultTests(WireMockFixture fixture) : WireMockTest(fixture)
{
    private const string CompletionData = "/v2/access-api/simulation/completion-data";

    [Fact]
    public async Task A_503_then_200_is_retried_and_returns_the_answer()
    {
        Server.Add(Stub.For(RequestPattern.Post(CompletionData))
            .InScenario("flaky", "Started", "recovered")
            .Returns(503, new JsonObject { ["message"] = "Service unavailable" }));
        using var client = new SymtrainClient(TestClients.SymtrainOptions(Server));

        var executions = await client.Access.GetCompletionDataAsync("org-1", "jane@example.com", "sim-001");

        executions.Select(e => e.ExecutionId).Should().Equal("ex-1", "ex-2");
        Server.Count(RequestPattern.Post(CompletionData)).Should().Be(2);
        Server.ScenarioState("flaky").Should().Be("recovered");
    }

    [Fact]
    public async Task A_503_then_200_on_a_token_request_is_retried_with_the_same_body()
    {
        // The example of docs/testing.md.
        Server.Add(Stub.For(RequestPattern.Post("/v2/access-api/user/token"))
            .InScenario("flaky", "Started", "recovered")
            .Returns(503));
        var options = TestClients.SymtrainOptions(Server);
        using var client = new SymtrainClient(options);

        var token = await client.Users.CreateAccessTokenAsync("org-1", "jane@example.com");

        token.Token.Should().Be("user-token-abc123");
        Server.Count(RequestPattern.Post("/v2/access-api/user/token")
            .WithBearer(options.ApiKey!)
            .WithJsonBody("""{"organizationId": "org-1", "userId": "jane@example.com"}""")).Should().Be(2);
    }

    [Fact]
    public async Task A_500_until_the_retries_run_out_is_an_api_exception_with_status_and_body()
    {
        const string body = """{"message": "Internal error", "code": "E42"}""";
        Server.Add(Stub.For(RequestPattern.Post(CompletionData)).ReturnsBody(500, body, "application/json", ("X-Request-Id", "req-500")));
        using var client = new SymtrainClient(TestClients.SymtrainOptions(Server));

        var act = () => client.Access.GetCompletionDataAsync("org-1", "jane@example.com", "sim-001");

        var thrown = await act.Should().ThrowExactlyAsync<ApiException>();
        thrown.Which.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        thrown.Which.ResponseBody.Should().Be(body);
        thrown.Which.ErrorCode.Should().Be("E42");
        thrown.Which.RequestId.Should().Be("req-500");
        thrown.Which.IsTransient.Should().BeTrue();
        thrown.Which.Method.Should().Be("POST");
        thrown.Which.RequestUri!.AbsolutePath.Should().Be(CompletionData);
        thrown.Which.Message.Should().Contain("Internal error");
        Server.Count(RequestPattern.Post(CompletionData)).Should().Be(1 + TestClients.MaxRetries);
    }

    [Fact]
    public async Task A_500_on_a_senar_list_is_retried_like_any_idempotent_call()
    {
        Server.Add(Stub.For(RequestPattern.Get("/integration/data/activities")).Returns(500, new JsonObject { ["message"] = "boom" }));
        using var client = new SenarClient(TestClients.SenarOptions(Server));

        var act = () => client.Activities.ListAsync();

        (await act.Should().ThrowExactlyAsync<ApiException>()).Which.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        Server.Count(RequestPattern.Get("/integration/data/activities")).Should().Be(1 + TestClients.MaxRetries);
        Server.Count(RequestPattern.Post("/api/auth/login")).Should().Be(1, "the token is still good");
    }

    [Fact]
    public async Task A_500_on_a_bulk_import_is_not_sent_again()
    {
        const string path = "/v2/access-api/user/bulk-import";
        Server.Add(Stub.For(RequestPattern.Post(path)).Returns(500, new JsonObject { ["message"] = "Internal error" }));
        using var client = new SymtrainClient(TestClients.SymtrainOptions(Server));

        var act = () => client.Users.BulkImportAsync("org-1", [new BulkImportRow { FirstName = "Jane", LastName = "Doe", Email = "jane@example.com" }]);

        (await act.Should().ThrowExactlyAsync<ApiException>()).Which.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        Server.Count(RequestPattern.Post(path)).Should().Be(1, "the server may have imported the file before failing");
    }

    [Fact]
    public async Task A_503_on_a_webhook_registration_is_not_sent_again()
    {
        const string path = "/integration/data/webhook_register";
        Server.Add(Stub.For(RequestPattern.Post(path)).Returns(503));
        using var client = new SenarClient(TestClients.SenarOptions(Server));

        var act = () => client.Webhooks.RegisterAsync(new Uri("https://hooks.zapier.com/hooks/catch/1/a/"), SenarWebhookEvent.Activity);

        (await act.Should().ThrowExactlyAsync<ApiException>()).Which.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        Server.Count(RequestPattern.Post(path)).Should().Be(1);
    }

    [Theory]
    [InlineData(502, typeof(ApiException), 1 + TestClients.MaxRetries)]
    [InlineData(404, typeof(ApiNotFoundException), 1)]
    [InlineData(403, typeof(ApiAuthenticationException), 1)]
    public async Task An_html_error_page_maps_to_the_exception_of_its_status_and_keeps_the_page(int status, Type expected, int requests)
    {
        const string page = "<html><head><title>Gateway error</title></head><body><h1>Something went wrong</h1></body></html>";
        Server.Add(Stub.For(RequestPattern.Post(CompletionData)).ReturnsBody(status, page, "text/html; charset=utf-8"));
        using var client = new SymtrainClient(TestClients.SymtrainOptions(Server));

        var act = () => client.Access.GetCompletionDataAsync("org-1", "jane@example.com", "sim-001");

        var thrown = await act.Should().ThrowAsync<ApiException>();
        thrown.Which.Should().BeOfType(expected);
        thrown.Which.StatusCode.Should().Be((HttpStatusCode)status);
        thrown.Which.ResponseBody.Should().Be(page);
        Server.Count(RequestPattern.Post(CompletionData)).Should().Be(requests);
    }
}
