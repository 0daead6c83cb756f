using Symtrain.Client;
using TrainingApis.Core;
using TrainingApis.IntegrationTests.Infrastructure;

namespace TrainingApis.IntegrationTests.Contract;

[Collection(WireMockCollection.Name)]
public sealed class SymtrainReportsContractTests(WireMockFixture fixture) : WireMockTest(fixture)
{
    private static readonly DateRange FirstQuarter = new(new DateOnly(2024, 1, 1), new DateOnly(2024, 3, 31));

    [Theory]
    [InlineData(SymtrainReport.SymsResult, "/v2/report/syms-result", "averageScore", "81.5")]
    [InlineData(SymtrainReport.UserResults, "/v2/report/user-results", "score", "88.0")]
    [InlineData(SymtrainReport.TrainingPlanResult, "/v2/report/training-plan-result", "progress", "0.75")]
    [InlineData(SymtrainReport.ModulesResults, "/v2/report/modules-results", "score", "92.5")]
    [InlineData(SymtrainReport.Syms, "/v2/report/syms", "simulationName", "Handling an angry caller")]
    [InlineData(SymtrainReport.Users, "/v2/report/users", "teamName", "Sales Team")]
    [InlineData(SymtrainReport.TeamsResult, "/v2/report/teams-result", "averageScore", "79.1")]
    public async Task Each_report_posts_the_date_range_with_the_api_key_and_reads_the_rows(SymtrainReport report, string path, string field, string expected)
    {
        var options = TestClients.SymtrainOptions(Server);
        using var client = new SymtrainClient(options);

        var rows = await GetAsync(client.Reports, report);

        var pattern = RequestPattern.Post(path)
            .WithBearer(options.ApiKey!)
            .WithJsonContentType()
            .WithJsonBody("""{"startDate": "2024-01-01", "endDate": "2024-03-31"}""");
        Server.Count(pattern).Should().Be(1, "one request with exactly the documented body");
        Server.ReceivedRequests().Should().ContainSingle();
        rows.Should().HaveCount(2);
        rows[0].TryGetValue(field, out var value).Should().BeTrue();
        (value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString() : value.GetRawText()).Should().Be(expected);
        ShouldHaveNoUnmatchedRequests();
    }

    [Fact]
    public async Task Generic_report_call_reads_rows_through_the_callers_types()
    {
        var options = TestClients.SymtrainOptions(Server);
        using var client = new SymtrainClient(options);

        var rows = await client.Reports.GetReportAsync(SymtrainReport.UserResults, FirstQuarter, TestJsonContext.Default.UserResultRow);

        rows.Should().HaveCount(2);
        rows[0].Should().Be(new UserResultRow("u-100", "[email protected]", 88.0, new DateTime(2024, 3, 2, 10, 15, 0, DateTimeKind.Utc)));
        Server.Count(RequestPattern.Post("/v2/report/user-results").WithBearer(options.ApiKey!)).Should().Be(1);
        ShouldHaveNoUnmatchedRequests();
    }

    [Fact]
    public async Task Report_rows_keep_typed_field_access()
    {
        using var client = new SymtrainClient(TestClients.SymtrainOptions(Server));

        var rows = await client.Reports.GetUserResultsAsync(FirstQuarter);

        rows[0].GetString("username").Should().Be("[email protected]");
        rows[0].GetDouble("score").Should().Be(88.0);
        rows[0].GetDateTime("completedAt").Should().Be(new DateTime(2024, 3, 2, 10, 15, 0, DateTimeKind.Utc));
        rows[0].FieldNames.Should().Equal("userId", "username", "simulationId", "score", "completedAt");
    }

    private static Task<IReadOnlyList<Symtrain.Client.Reports.ReportRow>> GetAsync(Symtrain.Client.Reports.ISymtrainReportsClient reports, SymtrainReport report) => report switch
    {
        SymtrainReport.SymsResult => reports.GetSymsResultAsync(FirstQuarter),
        SymtrainReport.UserResults => reports.GetUserResultsAsync(FirstQuarter),
        SymtrainReport.TrainingPlanResult => reports.GetTrainingPlanResultAsync(FirstQuarter),
        SymtrainReport.ModulesResults => reports.GetModulesResultsAsync(FirstQuarter),
        SymtrainReport.Syms => reports.GetSymsAsync(FirstQuarter),
        SymtrainReport.Users => reports.GetUsersAsync(FirstQuarter),
        SymtrainReport.TeamsResult => reports.GetTeamsResultAsync(FirstQuarter),
        _ => throw new ArgumentOutOfRangeException(nameof(report)),
    };
}
