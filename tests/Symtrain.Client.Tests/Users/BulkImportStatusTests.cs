using System.Net;
using Symtrain.Client.Users;
using TrainingApis.Core;
using TrainingApis.Testing;

namespace Symtrain.Client.Tests.Users;

public class BulkImportStatusTests
{
    private const string StatusPath = "/v2/access-api/user/bulk-import/status";

    private static HttpResponseMessage Status(string status) =>
        FakeHttpHandler.JsonResponse($$"""{"taskId":"task-1","status":"{{status}}"}""");

    [Fact]
    public async Task GetBulkImportStatus_posts_the_ids_and_reads_the_status()
    {
        using var harness = Harness.Json("""{"taskId":"task-1","status":"STARTED","createdAt":"2024-05-01T10:00:00.1234567","updatedAt":"2024-05-01T10:01:00Z","processedCount":120,"errorMessage":null,"progress":0.5}""");

        var status = await harness.Client.Users.GetBulkImportStatusAsync("org-1", "task-1");

        Harness.ShouldBeJsonPost(harness.Single, StatusPath);
        harness.Single.Body.Should().Be("""{"organizationId":"org-1","taskId":"task-1"}""");
        status.Status.Should().Be(BulkImportState.Started);
        status.RawStatus.Should().Be("STARTED");
        status.IsFinished.Should().BeFalse();
        status.TaskId.Should().Be("task-1");
        status.CreatedAt.Should().Be(new DateTime(2024, 5, 1, 10, 0, 0).AddTicks(1234567));
        status.UpdatedAt.Should().Be(new DateTime(2024, 5, 1, 10, 1, 0, DateTimeKind.Utc));
        status.ProcessedCount.Should().Be(120);
        status.AdditionalProperties!["progress"].GetDouble().Should().Be(0.5);
    }

    [Theory]
    [InlineData("SCHEDULED", BulkImportState.Scheduled, false)]
    [InlineData("STARTED", BulkImportState.Started, false)]
    [InlineData("COMPLETED", BulkImportState.Completed, true)]
    [InlineData("FAILED", BulkImportState.Failed, true)]
    [InlineData("completed", BulkImportState.Completed, true)]
    [InlineData("PAUSED", BulkImportState.Unknown, false)]
    public async Task Every_status_is_mapped_and_unknown_ones_are_kept(string raw, BulkImportState state, bool finished)
    {
        using var harness = new Harness((_, _) => Status(raw));

        var status = await harness.Client.Users.GetBulkImportStatusAsync("org-1", "task-1");

        status.Status.Should().Be(state);
        status.RawStatus.Should().Be(raw);
        status.IsFinished.Should().Be(finished);
    }

    [Fact]
    public async Task WaitForBulkImport_polls_with_growing_waits_until_completed()
    {
        var statuses = new[] { "SCHEDULED", "STARTED", "STARTED", "COMPLETED" };
        using var harness = new Harness((_, n) => Status(statuses[n]));
        var started = harness.Time.GetUtcNow();

        var status = await harness.Time.RunAsync(harness.Client.Users.WaitForBulkImportAsync("org-1", "task-1"));

        status.Status.Should().Be(BulkImportState.Completed);
        harness.Requests.Should().HaveCount(4);
        harness.Requests.Should().OnlyContain(r => r.Uri!.AbsolutePath == StatusPath);
        (harness.Time.GetUtcNow() - started).Should().Be(TimeSpan.FromSeconds(5 + 10 + 20));
    }

    [Fact]
    public async Task WaitForBulkImport_returns_a_failed_task()
    {
        using var harness = new Harness((_, n) => Status(n == 0 ? "STARTED" : "FAILED"));

        var status = await harness.Time.RunAsync(harness.Client.Users.WaitForBulkImportAsync("org-1", "task-1"));

        status.Status.Should().Be(BulkImportState.Failed);
    }

    [Fact]
    public async Task WaitForBulkImport_gives_up_after_its_time_limit()
    {
        using var harness = new Harness((_, _) => Status("STARTED"), o => o.BulkImportWaitTimeout = TimeSpan.FromMinutes(1));
        var started = harness.Time.GetUtcNow();

        var act = () => harness.Time.RunAsync(harness.Client.Users.WaitForBulkImportAsync("org-1", "task-1"));

        (await act.Should().ThrowAsync<TimeoutException>()).Which.Message.Should().Contain("BulkImportWaitTimeout").And.Contain("STARTED");
        (harness.Time.GetUtcNow() - started).Should().Be(TimeSpan.FromMinutes(1));
        harness.Requests.Should().HaveCount(5);
    }

    [Fact]
    public async Task WaitForBulkImport_stops_when_cancelled()
    {
        using var cancellation = new CancellationTokenSource();
        using var harness = new Harness((_, n) =>
        {
            if (n == 1)
            {
                cancellation.Cancel();
            }

            return Status("STARTED");
        });

        var act = () => harness.Time.RunAsync(harness.Client.Users.WaitForBulkImportAsync("org-1", "task-1", cancellation.Token));

        await act.Should().ThrowAsync<OperationCanceledException>();
        harness.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task WaitForBulkImport_polls_inside_the_quota()
    {
        using var harness = new Harness(
            (_, _) => Status("STARTED"),
            o =>
            {
                o.RateLimit = new RateLimitOptions { PermitLimit = 2, Window = TimeSpan.FromHours(1), QueueLimit = 0 };
                o.BulkImportWaitTimeout = Timeout.InfiniteTimeSpan;
            });

        var act = () => harness.Time.RunAsync(harness.Client.Users.WaitForBulkImportAsync("org-1", "task-1"));

        (await act.Should().ThrowAsync<ApiRateLimitException>()).Which.IsLocal.Should().BeTrue();
        harness.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task Status_calls_check_their_identifiers()
    {
        using var harness = Harness.Json("{}");

        (await ((Func<Task>)(() => harness.Client.Users.GetBulkImportStatusAsync("org", " "))).Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("taskId");
        (await ((Func<Task>)(() => harness.Client.Users.WaitForBulkImportAsync(null!, "t"))).Should().ThrowAsync<ArgumentNullException>()).Which.ParamName.Should().Be("organizationId");
        (await ((Func<Task>)(() => harness.Client.Users.CreateAccessTokenAsync("org", "u\t1"))).Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("userId");
        harness.Handler.Count.Should().Be(0);
    }

    [Fact]
    public async Task A_404_for_an_unknown_task_is_ApiNotFoundException()
    {
        using var harness = Harness.Json("""{"message":"Task not found"}""", status: HttpStatusCode.NotFound);

        var act = () => harness.Client.Users.GetBulkImportStatusAsync("org-1", "nope");

        await act.Should().ThrowAsync<ApiNotFoundException>();
    }
}
