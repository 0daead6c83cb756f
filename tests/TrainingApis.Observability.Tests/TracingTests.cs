using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Symtrain.Client;
using Symtrain.Client.Access;
using Symtrain.Client.Users;
using TrainingApis.Core;
using TrainingApis.Observability.Tests.TestSupport;
using TrainingApis.Testing;

namespace TrainingApis.Observability.Tests;

public sealed class TracingTests
{
    private readonly FakeTimeProvider _time = FakeTime.Create();

    [Fact]
    public async Task A_single_request_operation_is_one_client_span_under_the_callers_span_with_the_http_attributes()
    {
        using var telemetry = new Telemetry();
        using var client = Clients.Symtrain(Fakes.Symtrain(_time), _time);
        Activity caller;
        using (caller = Telemetry.StartCallerSpan())
        {
            await client.Users.CreateAccessTokenAsync("org-1", "ana@example.com");
        }

        var span = telemetry.Spans.Should().ContainSingle().Subject;
        span.Source.Name.Should().Be("Symtrain.Client");
        span.DisplayName.Should().Be("Users.CreateAccessToken");
        span.Kind.Should().Be(ActivityKind.Client);
        span.TraceId.Should().Be(caller.TraceId);
        span.ParentSpanId.Should().Be(caller.SpanId);
        span.Status.Should().Be(ActivityStatusCode.Unset);
        span.GetTagItem("trainingapis.operation").Should().Be("Users.CreateAccessToken");
        span.GetTagItem("http.request.method").Should().Be("POST");
        span.GetTagItem("url.path").Should().Be("/v2/access-api/user/token");
        span.GetTagItem("url.full").Should().Be("https://api.symtrain.com/v2/access-api/user/token");
        span.GetTagItem("server.address").Should().Be("api.symtrain.com");
        span.GetTagItem("server.port").Should().Be(443);
        span.GetTagItem("http.response.status_code").Should().Be(200);
        span.GetTagItem("error.type").Should().BeNull();
    }

    [Fact]
    public async Task StreamReportAsync_is_one_operation_span_with_a_child_span_per_page_and_window()
    {
        using var telemetry = new Telemetry();
        var handler = new FakeHttpHandler((request, _) =>
        {
            var body = JsonNode.Parse(request.Body)!;
            return (string?)body["startDate"] == "2024-01-01"
                ? body["page"] is null
                    ? Fakes.Ok("""{"page":1,"pageSize":2,"total":3,"results":[{"id":1},{"id":2}]}""")
                    : Fakes.Ok("""{"page":2,"pageSize":2,"total":3,"results":[{"id":3}]}""")
                : Fakes.Ok("""[{"id":4}]""");
        });
        using var client = Clients.Symtrain(handler, _time);
        var range = new DateRange(new DateOnly(2024, 1, 1), new DateOnly(2024, 7, 18)); // 200 days: two windows.
        var rows = 0;
        Activity caller;
        using (caller = Telemetry.StartCallerSpan())
        {
            await foreach (var row in client.Reports.StreamReportAsync(SymtrainReport.Users, range))
            {
                rows++;
            }
        }

        rows.Should().Be(4);
        var operation = telemetry.Named("Reports.StreamReport").Should().ContainSingle().Subject;
        operation.Kind.Should().Be(ActivityKind.Internal);
        operation.ParentSpanId.Should().Be(caller.SpanId);
        operation.GetTagItem("trainingapis.operation").Should().Be("Reports.StreamReport");
        var pages = telemetry.ChildrenOf(operation);
        pages.Should().HaveCount(3).And.OnlyContain(p =>
            p.DisplayName == "POST /v2/report/users"
            && p.Kind == ActivityKind.Client
            && (string?)p.GetTagItem("trainingapis.operation") == "Reports.StreamReport"
            && (int?)p.GetTagItem("http.response.status_code") == 200
            && (string?)p.GetTagItem("url.path") == "/v2/report/users");
        telemetry.Spans.Should().HaveCount(4, "the operation and its three requests, nothing else");
        telemetry.Unstopped.Should().BeEmpty();
    }

    [Fact]
    public async Task A_paged_report_read_whole_is_one_operation_span_with_a_child_per_page()
    {
        using var telemetry = new Telemetry();
        var handler = new FakeHttpHandler((request, n) => n == 0
            ? Fakes.Ok("""{"page":1,"pageSize":1,"total":2,"results":[{"id":1}]}""")
            : Fakes.Ok("""{"page":2,"pageSize":1,"total":2,"results":[{"id":2}]}"""));
        using var client = Clients.Symtrain(handler, _time);

        var rows = await client.Reports.GetUsersAsync(DateRange.FromDays(new DateOnly(2024, 1, 1), 30));

        rows.Should().HaveCount(2);
        var operation = telemetry.Named("Reports.GetUsers").Should().ContainSingle().Subject;
        operation.Kind.Should().Be(ActivityKind.Internal);
        telemetry.ChildrenOf(operation).Should().HaveCount(2).And.OnlyContain(p => p.DisplayName == "POST /v2/report/users");
    }

    [Fact]
    public async Task ListLibraryAsync_is_one_operation_span_with_a_child_per_page()
    {
        using var telemetry = new Telemetry();
        var handler = new FakeHttpHandler((_, n) => n == 0
            ? Fakes.Ok("""{"page":1,"pageSize":2,"total":3,"simulations":[{"simulationId":"a"},{"simulationId":"b"}]}""")
            : Fakes.Ok("""{"page":2,"pageSize":2,"total":3,"simulations":[{"simulationId":"c"}]}"""));
        using var client = Clients.Symtrain(handler, _time);
        Activity caller;
        var names = new List<string?>();
        using (caller = Telemetry.StartCallerSpan())
        {
            await foreach (var simulation in client.Access.ListLibraryAsync(new LibraryQuery { OrganizationId = "org-1", UserId = "ana@example.com", PageSize = 2 }))
            {
                names.Add(simulation.SimulationId);
            }
        }

        names.Should().Equal("a", "b", "c");
        var operation = telemetry.Named("Access.ListLibrary").Should().ContainSingle().Subject;
        operation.ParentSpanId.Should().Be(caller.SpanId);
        telemetry.ChildrenOf(operation).Should().HaveCount(2).And.OnlyContain(p =>
            p.DisplayName == "POST /v2/access-api/simulation/library" && p.Kind == ActivityKind.Client);
    }

    [Fact]
    public async Task WaitForBulkImportAsync_is_one_operation_span_with_a_child_per_poll()
    {
        using var telemetry = new Telemetry();
        var statuses = new[] { "SCHEDULED", "STARTED", "COMPLETED" };
        var handler = new FakeHttpHandler((_, n) => Fakes.Ok($$"""{"taskId":"task-1","status":"{{statuses[Math.Min(n, 2)]}}"}"""));
        using var client = Clients.Symtrain(handler, _time, configure: o => o.BulkImportPollInterval = TimeSpan.FromSeconds(1));

        var status = await _time.RunAsync(client.Users.WaitForBulkImportAsync("org-1", "task-1"));

        status.Status.Should().Be(BulkImportState.Completed);
        var operation = telemetry.Named("Users.WaitForBulkImport").Should().ContainSingle().Subject;
        operation.Kind.Should().Be(ActivityKind.Internal);
        telemetry.ChildrenOf(operation).Should().HaveCount(3).And.OnlyContain(p =>
            p.DisplayName == "POST /v2/access-api/user/bulk-import/status");
        operation.Duration.Should().BeGreaterThanOrEqualTo(TimeSpan.Zero);
    }

    [Fact]
    public async Task BulkImportInBatchesAsync_is_one_operation_span_with_a_child_per_upload()
    {
        using var telemetry = new Telemetry();
        using var client = Clients.Symtrain(Fakes.Symtrain(_time), _time);
        var rows = Enumerable.Range(1, BulkImportCsv.MaxRowsPerFile + 1)
            .Select(i => new BulkImportRow { FirstName = "Ana", LastName = "Diaz", Email = $"ana{i}@example.com" })
            .ToList();

        var results = new List<BulkImportResult>();
        await foreach (var result in client.Users.BulkImportInBatchesAsync("org-1", rows))
        {
            results.Add(result);
        }

        results.Should().HaveCount(2);
        var operation = telemetry.Named("Users.BulkImportInBatches").Should().ContainSingle().Subject;
        telemetry.ChildrenOf(operation).Should().HaveCount(2).And.OnlyContain(p =>
            p.DisplayName == "POST /v2/access-api/user/bulk-import");
    }

    [Fact]
    public async Task A_failed_call_marks_its_span_with_the_error_type_and_status()
    {
        using var telemetry = new Telemetry();
        var handler = FakeHttpHandler.Json("""{"message":"no such simulation"}""", HttpStatusCode.NotFound);
        using var client = Clients.Symtrain(handler, _time);

        var act = () => client.Access.CreateDeepLinkAsync("org-1", "ana@example.com", "sim-404");

        await act.Should().ThrowAsync<ApiNotFoundException>();
        var span = telemetry.Named("Access.CreateDeepLink").Should().ContainSingle().Subject;
        span.Status.Should().Be(ActivityStatusCode.Error);
        span.GetTagItem("error.type").Should().Be(typeof(ApiNotFoundException).FullName);
        span.GetTagItem("http.response.status_code").Should().Be(404);
    }

    [Fact]
    public async Task A_failed_page_fails_its_own_span_and_the_operation_span()
    {
        using var telemetry = new Telemetry();
        var handler = new FakeHttpHandler((_, n) => n == 0
            ? Fakes.Ok("""{"page":1,"pageSize":1,"total":2,"results":[{"id":1}]}""")
            : Fakes.Status(HttpStatusCode.InternalServerError, """{"message":"boom"}"""));
        using var client = Clients.Symtrain(handler, _time);

        var act = async () =>
        {
            await foreach (var row in client.Reports.StreamReportAsync(SymtrainReport.Syms, DateRange.FromDays(new DateOnly(2024, 1, 1), 10)))
            {
                row.Should().NotBeNull();
            }
        };

        await act.Should().ThrowAsync<ApiException>();
        var operation = telemetry.Named("Reports.StreamReport").Should().ContainSingle().Subject;
        operation.Status.Should().Be(ActivityStatusCode.Error);
        operation.GetTagItem("error.type").Should().Be(typeof(ApiException).FullName);
        var pages = telemetry.ChildrenOf(operation);
        pages.Select(p => p.GetTagItem("http.response.status_code")).Should().Equal(200, 500);
        pages[1].Status.Should().Be(ActivityStatusCode.Error);
    }

    [Fact]
    public async Task A_retried_call_counts_its_resends_and_records_a_retry_event()
    {
        using var telemetry = new Telemetry();
        var handler = new FakeHttpHandler((_, n) => n == 0
            ? Fakes.Status(HttpStatusCode.ServiceUnavailable, """{"message":"busy"}""")
            : Fakes.Ok("""{"executions":[]}"""));
        using var client = Clients.Symtrain(handler, _time, configure: o => o.Retry = new RetryOptions { MaxRetries = 2 });

        await _time.RunAsync(client.Access.GetCompletionDataAsync("org-1", "ana@example.com", "sim-1"));

        var span = telemetry.Named("Access.GetCompletionData").Should().ContainSingle().Subject;
        span.GetTagItem("http.request.resend_count").Should().Be(1);
        span.GetTagItem("http.response.status_code").Should().Be(200);
        var retry = span.Events.Should().ContainSingle(e => e.Name == "trainingapis.retry").Subject;
        retry.Tags.Should().Contain(new KeyValuePair<string, object?>("trainingapis.retry.reason", "503"));
        retry.Tags.Should().Contain(new KeyValuePair<string, object?>("trainingapis.retry.number", 1));
    }

    [Fact]
    public async Task A_senar_call_that_logs_in_first_nests_the_login_span_under_its_own()
    {
        using var telemetry = new Telemetry();
        using var client = Clients.Senar(Fakes.Senar(_time), _time);
        Activity caller;
        using (caller = Telemetry.StartCallerSpan())
        {
            (await client.Users.ListAsync()).Should().ContainSingle();
        }

        var list = telemetry.Named("Users.List").Should().ContainSingle().Subject;
        list.Source.Name.Should().Be("Senar.Client");
        list.Kind.Should().Be(ActivityKind.Client);
        list.ParentSpanId.Should().Be(caller.SpanId);
        list.GetTagItem("http.request.method").Should().Be("GET");
        list.GetTagItem("url.path").Should().Be("/integration/data/users");
        list.GetTagItem("server.address").Should().Be("studio.senar.io");
        list.GetTagItem("http.response.status_code").Should().Be(200);
        list.Events.Should().Contain(e => e.Name == "trainingapis.token.acquired");
        var login = telemetry.Named("Auth.Login").Should().ContainSingle().Subject;
        login.ParentSpanId.Should().Be(list.SpanId);
        login.GetTagItem("url.path").Should().Be("/api/auth/login");
        login.GetTagItem("http.request.method").Should().Be("POST");
    }

    [Fact]
    public async Task A_senar_401_replays_once_and_says_so_on_the_span()
    {
        using var telemetry = new Telemetry();
        var logins = 0;
        var handler = new FakeHttpHandler((request, n) =>
        {
            if (request.Path == "/api/auth/login")
            {
                logins++;
                return Fakes.Ok($$"""{"Token":{{Json.Quote(logins == 1 ? Secrets.SenarToken : Secrets.SenarToken2)}}}""");
            }

            return request.Authorization == "Bearer " + Secrets.SenarToken
                ? Fakes.Status(HttpStatusCode.Unauthorized, """{"message":"expired"}""")
                : Fakes.Ok("[]");
        });
        using var client = Clients.Senar(handler, _time);

        (await client.Activities.ListAsync()).Should().BeEmpty();

        var span = telemetry.Named("Activities.List").Should().ContainSingle().Subject;
        span.Events.Select(e => e.Name).Should().Contain("trainingapis.auth.replay");
        span.GetTagItem("http.request.resend_count").Should().Be(1);
        span.GetTagItem("http.response.status_code").Should().Be(200);
        telemetry.Named("Auth.Login").Should().HaveCount(2).And.OnlyContain(l => l.ParentSpanId == span.SpanId);
    }

    [Fact]
    public async Task A_streamed_senar_list_ends_its_span_when_the_enumeration_ends()
    {
        using var telemetry = new Telemetry();
        using var client = Clients.Senar(Fakes.Senar(_time), _time);
        Activity caller;
        var count = 0;
        using (caller = Telemetry.StartCallerSpan())
        {
            await foreach (var activity in client.Activities.StreamAsync())
            {
                count++;
            }
        }

        count.Should().Be(1);
        var span = telemetry.Named("Activities.Stream").Should().ContainSingle().Subject;
        span.ParentSpanId.Should().Be(caller.SpanId);
        span.GetTagItem("http.response.status_code").Should().Be(200);
        telemetry.Unstopped.Should().BeEmpty();
    }

    [Fact]
    public async Task Without_a_listener_the_clients_create_no_spans_and_still_work()
    {
        using var client = Clients.Symtrain(Fakes.Symtrain(_time), _time);

        var token = await client.Users.CreateAccessTokenAsync("org-1", "ana@example.com");

        token.Token.Should().Be(Secrets.UserAccessToken);
        Activity.Current.Should().BeNull();
    }
}
