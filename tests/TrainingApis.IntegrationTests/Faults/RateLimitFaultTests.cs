using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Senar.Client;
using Senar.Client.Webhooks;
using Symtrain.Client;
using Symtrain.Client.Users;
using TrainingApis.Core;
using TrainingApis.IntegrationTests.Infrastructure;

namespace TrainingApis.IntegrationTests.Faults;

/// <summary>Server 429s: Retry-After in seconds, as an HTTP date, or absent. Retry-After is capped at 50 ms by the test options.</summary>
[Collection(WireMockCollection.Name)]
public sealed class RateLimitFaultTests(WireMockFixture fixture) : WireMockTest(fixture)
{
    private const string CompletionData = "/v2/access-api/simulation/completion-data";
    private static readonly JsonObject TooMany = new() { ["message"] = "Too many requests" };

    [Fact]
    public async Task Retry_after_in_seconds_is_waited_capped_on_every_retry_then_surfaces_as_a_rate_limit_exception()
    {
        Server.Add(Stub.For(RequestPattern.Post(CompletionData)).Returns(429, TooMany, ("Retry-After", "1")));
        using var client = new SymtrainClient(TestClients.SymtrainOptions(Server));

        var watch = Stopwatch.StartNew();
        var act = () => client.Access.GetCompletionDataAsync("org-1", "jane@example.com", "sim-001");

        var thrown = await act.Should().ThrowExactlyAsync<ApiRateLimitException>();
        watch.Stop();
        thrown.Which.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        thrown.Which.RetryAfter.Should().Be(TimeSpan.FromSeconds(1), "the server's own value is reported to the caller");
        thrown.Which.IsLocal.Should().BeFalse();
        thrown.Which.ResponseBody.Should().Contain("Too many requests");
        Server.Count(RequestPattern.Post(CompletionData)).Should().Be(1 + TestClients.MaxRetries);
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2.5), "three waits of Retry-After 1 s capped to MaxRetryAfter (50 ms), not three seconds");
    }

    [Fact]
    public async Task Retry_after_in_seconds_then_success_returns_the_answer_after_two_requests()
    {
        Server.Add(Stub.For(RequestPattern.Post(CompletionData))
            .InScenario("throttled", "Started", "served")
            .Returns(429, TooMany, ("Retry-After", "1")));
        using var client = new SymtrainClient(TestClients.SymtrainOptions(Server));

        var executions = await client.Access.GetCompletionDataAsync("org-1", "jane@example.com", "sim-001");

        executions.Should().HaveCount(2, "the file stub answers once the 429 is spent");
        Server.Count(RequestPattern.Post(CompletionData)).Should().Be(2);
    }

    [Fact]
    public async Task Retry_after_as_an_http_date_is_read_as_the_time_until_then()
    {
        var date = DateTimeOffset.UtcNow.AddHours(1).ToString("R", CultureInfo.InvariantCulture);
        Server.Add(Stub.For(RequestPattern.Post(CompletionData)).Returns(429, TooMany, ("Retry-After", date)));
        using var client = new SymtrainClient(TestClients.SymtrainOptions(Server));

        var act = () => client.Access.GetCompletionDataAsync("org-1", "jane@example.com", "sim-001");

        var thrown = await act.Should().ThrowExactlyAsync<ApiRateLimitException>();
        thrown.Which.RetryAfter.Should().BeCloseTo(TimeSpan.FromHours(1), TimeSpan.FromMinutes(1));
        Server.Count(RequestPattern.Post(CompletionData)).Should().Be(1 + TestClients.MaxRetries, "an hour capped to MaxRetryAfter still fits the 30 s budget");
    }

    [Fact]
    public async Task Retry_after_as_an_http_date_then_success_returns_the_answer_after_two_requests()
    {
        var date = DateTimeOffset.UtcNow.AddSeconds(2).ToString("R", CultureInfo.InvariantCulture);
        Server.Add(Stub.For(RequestPattern.Post(CompletionData))
            .InScenario("throttled", "Started", "served")
            .Returns(429, TooMany, ("Retry-After", date)));
        using var client = new SymtrainClient(TestClients.SymtrainOptions(Server));

        var executions = await client.Access.GetCompletionDataAsync("org-1", "jane@example.com", "sim-001");

        executions.Should().HaveCount(2);
        Server.Count(RequestPattern.Post(CompletionData)).Should().Be(2);
    }

    [Fact]
    public async Task A_429_without_retry_after_backs_off_and_retries_until_the_retries_run_out()
    {
        Server.Add(Stub.For(RequestPattern.Post(CompletionData)).Returns(429, TooMany));
        using var client = new SymtrainClient(TestClients.SymtrainOptions(Server));

        var act = () => client.Access.GetCompletionDataAsync("org-1", "jane@example.com", "sim-001");

        var thrown = await act.Should().ThrowExactlyAsync<ApiRateLimitException>();
        thrown.Which.RetryAfter.Should().BeNull();
        thrown.Which.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        Server.Count(RequestPattern.Post(CompletionData)).Should().Be(1 + TestClients.MaxRetries);
    }

    [Fact]
    public async Task A_throttled_bulk_import_is_sent_again_because_a_429_was_not_processed()
    {
        const string path = "/v2/access-api/user/bulk-import";
        Server.Add(Stub.For(RequestPattern.Post(path))
            .InScenario("throttled-upload", "Started", "served")
            .Returns(429, TooMany, ("Retry-After", "1")));
        using var client = new SymtrainClient(TestClients.SymtrainOptions(Server));

        var result = await client.Users.BulkImportAsync("org-1", [new BulkImportRow { FirstName = "Jane", LastName = "Doe", Email = "jane@example.com" }]);

        result.TaskId.Should().Be("task-123");
        var uploads = Server.ReceivedRequests(path);
        uploads.Should().HaveCount(2);
        uploads[1].Body.Should().Contain("jane@example.com", "the replay carries the whole form again");
    }

    [Fact]
    public async Task A_throttled_webhook_registration_is_sent_again_because_a_429_was_not_processed()
    {
        const string path = "/integration/data/webhook_register";
        Server.Add(Stub.For(RequestPattern.Post(path))
            .InScenario("throttled-webhook", "Started", "served")
            .Returns(429, TooMany));
        using var client = new SenarClient(TestClients.SenarOptions(Server));

        var registration = await client.Webhooks.RegisterAsync(new Uri("https://hooks.zapier.com/hooks/catch/1/a/"), SenarWebhookEvent.User);

        registration.Id.Should().Be("<webhook_id>");
        Server.Count(RequestPattern.Post(path).WithJsonBody("""{"hookUrl": "https://hooks.zapier.com/hooks/catch/1/a/", "method": "user", "provider": "zapier"}"""))
            .Should().Be(2);
        Server.Count(RequestPattern.Post("/api/auth/login")).Should().Be(1);
    }
}
