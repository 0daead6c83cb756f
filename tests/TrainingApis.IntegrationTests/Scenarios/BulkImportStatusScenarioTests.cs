using System.Text.Json.Nodes;
using Symtrain.Client;
using Symtrain.Client.Users;
using TrainingApis.IntegrationTests.Infrastructure;

namespace TrainingApis.IntegrationTests.Scenarios;

/// <summary>A bulk-import task moving through its states (a WireMock scenario), followed by WaitForBulkImportAsync.</summary>
[Collection(WireMockCollection.Name)]
public sealed class BulkImportStatusScenarioTests(WireMockFixture fixture) : WireMockTest(fixture)
{
    private const string StatusPath = "/v2/access-api/user/bulk-import/status";
    private const string Scenario = "bulk-import-task";

    [Fact]
    public async Task Upload_then_wait_follows_scheduled_started_completed()
    {
        StubStatuses(
            ("SCHEDULED", new JsonObject()),
            ("STARTED", new JsonObject { ["processedCount"] = 1 }),
            ("COMPLETED", new JsonObject { ["processedCount"] = 2, ["updatedAt"] = "2024-03-01T10:05:00Z" }));
        using var client = new SymtrainClient(FastPolling(TestClients.SymtrainOptions(Server)));

        var upload = await client.Users.BulkImportAsync("org-1",
        [
            new BulkImportRow { FirstName = "Jane", LastName = "Doe", Email = "jane@example.com" },
            new BulkImportRow { FirstName = "Joe", LastName = "Roe", Email = "joe@example.com" },
        ]);
        var finished = await client.Users.WaitForBulkImportAsync("org-1", upload.TaskId!);

        finished.Status.Should().Be(BulkImportState.Completed);
        finished.ProcessedCount.Should().Be(2);
        finished.UpdatedAt.Should().Be(new DateTime(2024, 3, 1, 10, 5, 0, DateTimeKind.Utc));
        var polls = Server.ReceivedRequests(StatusPath);
        polls.Should().HaveCount(3, "one poll per state: SCHEDULED, STARTED, COMPLETED");
        Server.Count(RequestPattern.Post(StatusPath).WithJsonBody("""{"organizationId": "org-1", "taskId": "task-123"}"""))
            .Should().Be(3);
        Server.ScenarioState(Scenario).Should().Be("COMPLETED");
        ShouldHaveNoUnmatchedRequests();
    }

    [Fact]
    public async Task A_failed_task_is_returned_not_thrown_with_its_error_message()
    {
        StubStatuses(
            ("SCHEDULED", new JsonObject()),
            ("STARTED", new JsonObject()),
            ("FAILED", new JsonObject { ["errorMessage"] = "The file could not be parsed" }));
        using var client = new SymtrainClient(FastPolling(TestClients.SymtrainOptions(Server)));

        var finished = await client.Users.WaitForBulkImportAsync("org-1", "task-123");

        finished.Status.Should().Be(BulkImportState.Failed);
        finished.IsFinished.Should().BeTrue();
        finished.ErrorMessage.Should().Be("The file could not be parsed");
        Server.Count(RequestPattern.Post(StatusPath)).Should().Be(3);
    }

    [Fact]
    public async Task An_unknown_status_keeps_the_wait_polling_and_is_readable_raw()
    {
        StubStatuses(
            ("QUEUED_FOR_REVIEW", new JsonObject()),
            ("COMPLETED", new JsonObject()));
        using var client = new SymtrainClient(FastPolling(TestClients.SymtrainOptions(Server)));

        var first = await client.Users.GetBulkImportStatusAsync("org-1", "task-123");
        var finished = await client.Users.WaitForBulkImportAsync("org-1", "task-123");

        first.Status.Should().Be(BulkImportState.Unknown);
        first.RawStatus.Should().Be("QUEUED_FOR_REVIEW");
        first.IsFinished.Should().BeFalse();
        finished.Status.Should().Be(BulkImportState.Completed);
        Server.Count(RequestPattern.Post(StatusPath)).Should().Be(2);
    }

    [Fact]
    public async Task A_task_that_never_finishes_ends_the_wait_with_a_timeout_exception()
    {
        StubStatuses(("STARTED", new JsonObject()));
        var options = FastPolling(TestClients.SymtrainOptions(Server));
        options.BulkImportWaitTimeout = TimeSpan.FromMilliseconds(500); // Several 5–20 ms polls, even on a loaded machine.
        using var client = new SymtrainClient(options);

        var act = () => client.Users.WaitForBulkImportAsync("org-1", "task-123");

        (await act.Should().ThrowExactlyAsync<TimeoutException>()).Which.Message.Should().Contain("STARTED");
        Server.Count(RequestPattern.Post(StatusPath)).Should().BeGreaterThan(1);
    }

    private static SymtrainClientOptions FastPolling(SymtrainClientOptions options)
    {
        options.BulkImportPollInterval = TimeSpan.FromMilliseconds(5);
        options.BulkImportMaxPollInterval = TimeSpan.FromMilliseconds(20);
        return options;
    }

    // The scenario state is the status last answered. Each status answers once, then the next one is due; the last
    // status keeps answering.
    private void StubStatuses(params (string Status, JsonObject Extra)[] statuses)
    {
        for (var i = 0; i < statuses.Length; i++)
        {
            var (status, extra) = statuses[i];
            var body = new JsonObject { ["taskId"] = "task-123", ["status"] = status };
            foreach (var (name, value) in extra)
            {
                body[name] = value?.DeepClone();
            }

            var required = i == 0 ? "Started" : statuses[i - 1].Status;
            Server.Add(Stub.For(RequestPattern.Post(StatusPath)).InScenario(Scenario, required, status).Returns(200, body));
            if (i == statuses.Length - 1)
            {
                Server.Add(Stub.For(RequestPattern.Post(StatusPath)).InScenario(Scenario, status).Returns(200, body));
            }
        }
    }
}
