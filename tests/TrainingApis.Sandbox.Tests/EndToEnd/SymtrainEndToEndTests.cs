using Symtrain.Client;
using Symtrain.Client.Access;
using Symtrain.Client.Reports;
using Symtrain.Client.Users;
using TrainingApis.Core;

namespace TrainingApis.Sandbox.Tests.EndToEnd;

/// <summary>Every Symtrain v2 endpoint through the real <see cref="SymtrainClient"/> against a real sandbox over loopback.</summary>
public sealed class SymtrainEndToEndTests : IAsyncLifetime
{
    private static readonly DateRange Quarter = new(new DateOnly(2024, 1, 1), new DateOnly(2024, 3, 31));

    private readonly StatusCounter _counter = new();
    private TrainingSandbox _sandbox = null!;
    private SymtrainClient _client = null!;
    private HttpClient _control = null!;

    private string Org => _sandbox.OrganizationId;

    private string Trainee => _sandbox.TraineeUsername;

    public async Task InitializeAsync()
    {
        _sandbox = await E2ESetup.StartSandboxAsync();
        _client = E2ESetup.Symtrain(_sandbox, _counter);
        _control = ApiCall.ClientFor(_sandbox);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        _counter.Dispose();
        _control.Dispose();
        await _sandbox.DisposeAsync();
    }

    public static TheoryData<SymtrainReport, string> Reports => new()
    {
        { SymtrainReport.SymsResult, "resultId" },
        { SymtrainReport.UserResults, "simulationsCompleted" },
        { SymtrainReport.TrainingPlanResult, "trainingPlanId" },
        { SymtrainReport.ModulesResults, "moduleId" },
        { SymtrainReport.Syms, "uniqueUsers" },
        { SymtrainReport.Users, "lastLoginAt" },
        { SymtrainReport.TeamsResult, "activeUsers" },
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public async Task Each_report_method_reads_the_seeded_rows_of_its_report(SymtrainReport report, string field)
    {
        var byMethod = await GetByMethodAsync(report, Quarter);
        var byEnum = await _client.Reports.GetReportAsync(report, Quarter);

        byMethod.Should().NotBeEmpty();
        byMethod.Should().OnlyContain(row => row.Contains(field), $"every {report} row has {field}");
        byMethod.Select(r => r.RawJson).Should().Equal(byEnum.Select(r => r.RawJson), "the named method and GetReportAsync read the same endpoint");
        _counter[HttpStatusCode.OK].Should().Be(_counter.Total);
    }

    [Fact]
    public async Task Report_rows_carry_the_seeded_users_teams_and_simulations()
    {
        var rows = await _client.Reports.GetSymsResultAsync(Quarter);
        var users = await _client.Reports.GetUsersAsync(Quarter);

        rows.Should().OnlyContain(r => r.GetString("simulationId")!.StartsWith("sim-", StringComparison.Ordinal));
        rows.Select(r => r.GetString("teamName")).Distinct().Should().BeSubsetOf(
            ["Sales Team", "Support Tier 1", "Support Tier 2", "Retention", "Billing Desk", "Onboarding Squad"]);
        rows.Should().OnlyContain(r => r.GetDateTime("startedAt") >= new DateTime(2024, 1, 1) && r.GetDateTime("startedAt") < new DateTime(2024, 4, 1));
        users.Should().Contain(r => r.GetString("username") == Trainee);
    }

    [Fact]
    public async Task StreamReportAsync_reads_a_two_year_range_window_by_window_and_page_by_page()
    {
        var twoYears = new DateRange(new DateOnly(2023, 1, 1), new DateOnly(2024, 12, 31));
        var streamed = new List<ReportRow>();
        await foreach (var row in _client.Reports.StreamReportAsync(SymtrainReport.SymsResult, twoYears))
        {
            streamed.Add(row);
        }

        var byWindow = 0;
        foreach (var window in twoYears.Split(180))
        {
            byWindow += (await _client.Reports.GetSymsResultAsync(window)).Count;
        }

        twoYears.Split(180).Should().HaveCount(5);
        streamed.Should().HaveCount(byWindow).And.HaveCountGreaterThan(4000, "most windows hold more than one page");
        streamed.Select(r => r.GetString("resultId")).Should().OnlyHaveUniqueItems();
        _counter.Total.Should().BeGreaterThan(10, "each window was read in several pages, then once more by window");
    }

    [Fact]
    public async Task Deep_links_in_both_forms_lead_to_the_seeded_simulation()
    {
        var link = await _client.Access.CreateDeepLinkAsync(Org, Trainee, _sandbox.SimulationId);
        var tagged = await _client.Access.CreateDeepLinksAsync(new DeepLinkRequest { OrganizationId = Org, UserId = Trainee, Tags = [_sandbox.SimulationTag] });
        var launch = await ApiCall.GetAsync(_control, link.DeepLink!.PathAndQuery.TrimStart('/'));

        link.SimulationId.Should().Be(_sandbox.SimulationId);
        link.SimulationName.Should().StartWith("Billing:");
        link.DeepLink.AbsolutePath.Should().Be($"/_sandbox/launch/{_sandbox.SimulationId}");
        launch.Json.GetProperty("userId").GetString().Should().Be(Trainee);
        tagged.Should().HaveCountGreaterThan(1).And.Contain(l => l.SimulationId == _sandbox.SimulationId);
        tagged.Should().OnlyContain(l => l.Tags!.Contains(_sandbox.SimulationTag) && l.DeepLink != null);
    }

    [Fact]
    public async Task Completion_data_of_the_featured_pair_is_complete_incomplete_complete()
    {
        var executions = await _client.Access.GetCompletionDataAsync(Org, Trainee, _sandbox.SimulationId);

        executions.Select(e => e.IsCompleted).Should().Equal(true, false, true);
        executions[1].SymScore.Should().BeNull();
        executions[1].CompletionDuration.Should().BeNull();
        executions[0].SymScore.Should().NotBeNull();
        executions[0].CompletionDuration.Should().BePositive();
        executions.Should().OnlyContain(e => e.SimulationId == null || e.SimulationId == _sandbox.SimulationId);
    }

    [Fact]
    public async Task The_library_reads_one_page_or_every_page()
    {
        var page = await _client.Access.GetLibraryPageAsync(new LibraryQuery { OrganizationId = Org, UserId = Trainee, Page = 2, PageSize = 7 });
        var all = new List<LibrarySimulation>();
        await foreach (var simulation in _client.Access.ListLibraryAsync(new LibraryQuery { OrganizationId = Org, UserId = Trainee, PageSize = 25 }))
        {
            all.Add(simulation);
        }

        page.Page.Should().Be(2);
        page.Total.Should().Be(_sandbox.Options.SimulationCount);
        page.Simulations.Select(s => s.SimulationId).Should().Equal(Enumerable.Range(1008, 7).Select(i => $"sim-{i}"));
        all.Should().HaveCount(_sandbox.Options.SimulationCount);
        all.Select(s => s.SimulationId).Should().OnlyHaveUniqueItems().And.Contain(_sandbox.SimulationId);
    }

    [Fact]
    public async Task Assign_then_unassign_shows_in_the_sandbox_state()
    {
        var assignment = await _client.Access.AssignSimulationAsync(Org, Trainee, _sandbox.SimulationId);
        var afterAssign = await ApiCall.GetAsync(_control, "_sandbox/symtrain/assignments");
        await _client.Access.UnassignSimulationAsync(Org, Trainee, _sandbox.SimulationId);
        var afterUnassign = await ApiCall.GetAsync(_control, "_sandbox/symtrain/assignments");

        assignment.Assigned.Should().BeTrue();
        assignment.SimulationId.Should().Be(_sandbox.SimulationId);
        assignment.DeepLink.Should().NotBeNull();
        afterAssign.Json.EnumerateArray().Should().ContainSingle(a => a.GetProperty("userId").GetString() == Trainee);
        afterUnassign.Json.GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task A_user_access_token_signs_a_deep_link_the_sandbox_accepts()
    {
        var link = await _client.Access.CreateDeepLinkAsync(Org, Trainee, _sandbox.SimulationId);
        var token = await _client.Users.CreateAccessTokenAsync(Org, Trainee);
        var signed = _client.Users.WithAccessToken(link.DeepLink!, token);
        var launch = await ApiCall.GetAsync(_control, signed.PathAndQuery.TrimStart('/'));

        token.Token.Should().NotBeNullOrWhiteSpace();
        token.ExpiresAt.Should().BeCloseTo(DateTimeOffset.UtcNow.AddHours(1), TimeSpan.FromMinutes(1));
        token.ToString().Should().NotContain(token.Token);
        launch.Json.GetProperty("tokenPresent").GetBoolean().Should().BeTrue();
        launch.Json.GetProperty("tokenValid").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task CreateUserAsync_creates_then_returns_the_existing_user()
    {
        var request = new CreateUserRequest { OrganizationId = Org, Email = "new.trainee@e2e.example", FirstName = "New", LastName = "Trainee" };

        var created = await _client.Users.CreateUserAsync(request);
        var again = await _client.Users.CreateUserAsync(request);
        var token = await _client.Users.CreateAccessTokenAsync(Org, "new.trainee@e2e.example");

        created.Created.Should().BeTrue();
        created.UserId.Should().Be("new.trainee@e2e.example");
        created.Role.Should().Be("trainee");
        again.Created.Should().BeFalse();
        again.UserId.Should().Be(created.UserId);
        token.Token.Should().NotBeNullOrEmpty("the new user works with every endpoint");
    }

    [Fact]
    public async Task A_bulk_import_is_uploaded_followed_and_its_users_then_exist()
    {
        BulkImportRow[] rows =
        [
            new() { FirstName = "Ada", LastName = "Lovelace", Email = "ada@e2e.example", TeamName = "Sales Team" },
            new() { FirstName = "Alan", LastName = "Turing", Email = "alan@e2e.example" },
        ];

        var result = await _client.Users.BulkImportAsync(Org, rows);
        var first = await _client.Users.GetBulkImportStatusAsync(Org, result.TaskId!);
        var finished = await _client.Users.WaitForBulkImportAsync(Org, result.TaskId!);
        var token = await _client.Users.CreateAccessTokenAsync(Org, "alan@e2e.example");

        result.HasTask.Should().BeTrue();
        result.ValidUsersCount.Should().Be(2);
        result.InvalidUsersCount.Should().Be(0);
        first.TaskId.Should().Be(result.TaskId);
        first.Status.Should().BeOneOf(BulkImportState.Scheduled, BulkImportState.Started, BulkImportState.Completed);
        finished.Status.Should().Be(BulkImportState.Completed);
        finished.ProcessedCount.Should().Be(2);
        token.Token.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task A_bulk_import_that_fails_on_the_server_is_returned_failed_not_thrown()
    {
        await using var csv = new MemoryStream("firstName,lastName,username,email,role,teamName,status,action\r\nFay,Ling,fay@e2e.example,fay@e2e.example,trainee,FAIL,ACTIVE,Add\r\n"u8.ToArray());

        var result = await _client.Users.BulkImportCsvAsync(Org, csv);
        var finished = await _client.Users.WaitForBulkImportAsync(Org, result.TaskId!);

        finished.Status.Should().Be(BulkImportState.Failed);
        finished.ErrorMessage.Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task Server_errors_arrive_as_the_typed_exception_family()
    {
        var unknownUser = () => _client.Access.GetCompletionDataAsync(Org, "ghost@e2e.example", _sandbox.SimulationId);
        using var wrongKey = E2ESetup.Symtrain(_sandbox, _counter, o => o.ApiKey = "e2e-wrong-" + Guid.NewGuid().ToString("N"));
        var unauthorized = () => wrongKey.Users.CreateAccessTokenAsync(Org, Trainee);

        (await unknownUser.Should().ThrowAsync<ApiNotFoundException>()).Which.Message.Should().Contain("ghost@e2e.example");
        var auth = (await unauthorized.Should().ThrowAsync<ApiAuthenticationException>()).Which;
        auth.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        auth.IsTransient.Should().BeFalse();
    }

    private Task<IReadOnlyList<ReportRow>> GetByMethodAsync(SymtrainReport report, DateRange range) => report switch
    {
        SymtrainReport.SymsResult => _client.Reports.GetSymsResultAsync(range),
        SymtrainReport.UserResults => _client.Reports.GetUserResultsAsync(range),
        SymtrainReport.TrainingPlanResult => _client.Reports.GetTrainingPlanResultAsync(range),
        SymtrainReport.ModulesResults => _client.Reports.GetModulesResultsAsync(range),
        SymtrainReport.Syms => _client.Reports.GetSymsAsync(range),
        SymtrainReport.Users => _client.Reports.GetUsersAsync(range),
        _ => _client.Reports.GetTeamsResultAsync(range),
    };
}
