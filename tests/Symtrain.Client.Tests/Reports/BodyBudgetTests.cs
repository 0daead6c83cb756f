using TrainingApis.Core;
using TrainingApis.Testing;

namespace Symtrain.Client.Tests.Reports;

/// <summary>A stalled body ends every kind of call: buffered reports and pages, and each stream.</summary>
public sealed class BodyBudgetTests
{
    private static readonly DateRange Week = DateRange.FromDays(new DateOnly(2024, 1, 1), 7);

    [Fact]
    public async Task A_stalled_report_body_ends_with_TimeoutException_within_Timeout()
    {
        // The defect as measured: Timeout = 3 s, AttemptTimeout = 2 s, no retries, still running 20 s later.
        using var harness = Stalled("""[{"userId":"u-1"},""");
        var started = harness.Time.GetUtcNow();

        var act = () => harness.Time.RunAsync(harness.Client.Reports.GetUsersAsync(Week));

        (await act.Should().ThrowAsync<TimeoutException>()).Which.Message.Should().StartWith("Symtrain Reports.GetUsers (POST https://").And.Contain("/v2/report/users) timed out after ").And.Contain("SymtrainClientOptions.Timeout = 3 s");
        (harness.Time.GetUtcNow() - started).Should().BeLessThanOrEqualTo(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task A_stalled_report_stream_ends_with_TimeoutException_after_AttemptTimeout_without_bytes()
    {
        using var harness = Stalled("""[{"userId":"u-1"},""");
        var rows = 0;

        var act = () => harness.Time.RunAsync(Task.Run(async () =>
        {
            await foreach (var _ in harness.Client.Reports.StreamReportAsync(SymtrainReport.Users, Week))
            {
                rows++;
            }
        }));

        (await act.Should().ThrowAsync<TimeoutException>()).Which.Message.Should().Contain("no bytes of the response body arrived for AttemptTimeout (2 s)");
        rows.Should().Be(1);
    }

    [Fact]
    public async Task A_stalled_library_page_ends_with_TimeoutException()
    {
        using var harness = Stalled("""{"simulations":[{"simulationId":"s-1"},""");

        var act = () => harness.Time.RunAsync(Task.Run(async () =>
        {
            await foreach (var _ in harness.Client.Access.ListLibraryAsync(new Symtrain.Client.Access.LibraryQuery { OrganizationId = "org", UserId = "u" }))
            {
            }
        }));

        (await act.Should().ThrowAsync<TimeoutException>()).Which.Message.Should().StartWith("Symtrain Access.ListLibrary (POST https://").And.Contain("/v2/access-api/simulation/library) timed out after ");
    }

    [Fact]
    public async Task A_quota_wait_between_pages_is_not_idle_time()
    {
        // One request per 10 s: the second page waits 10 s for a permit, five times AttemptTimeout, within Timeout.
        using var harness = new Harness(
            (_, n) => FakeHttpHandler.JsonResponse(n == 0
                ? """{"page":1,"pageSize":1,"results":[{"n":1}]}"""
                : """{"page":2,"pageSize":1,"results":[]}"""),
            o =>
            {
                o.AttemptTimeout = TimeSpan.FromSeconds(2);
                o.Timeout = TimeSpan.FromMinutes(1);
                o.RateLimit = new RateLimitOptions { PermitLimit = 1, Window = TimeSpan.FromSeconds(10) };
            });
        var rows = 0;

        await harness.Time.RunAsync(Task.Run(async () =>
        {
            await foreach (var _ in harness.Client.Reports.StreamReportAsync(SymtrainReport.Users, Week))
            {
                rows++;
            }
        }));

        rows.Should().Be(1);
        harness.Requests.Should().HaveCount(2);
    }

    private static Harness Stalled(string prefix)
    {
        Harness? harness = null;
        harness = new Harness(
            (_, _) => TrickleStream.Stalled(prefix, harness!.Time),
            o =>
            {
                o.Timeout = TimeSpan.FromSeconds(3);
                o.AttemptTimeout = TimeSpan.FromSeconds(2);
            });
        return harness;
    }
}
