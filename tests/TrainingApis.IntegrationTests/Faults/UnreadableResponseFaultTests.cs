using System.Net;
using System.Text.Json;
using Senar.Client;
using Symtrain.Client;
using Symtrain.Client.Reports;
using TrainingApis.Core;
using TrainingApis.IntegrationTests.Infrastructure;

namespace TrainingApis.IntegrationTests.Faults;

/// <summary>A 200 whose body is not the JSON promised: never retried (the server did answer), always an ApiException.</summary>
[Collection(WireMockCollection.Name)]
public sealed class UnreadableResponseFaultTests(WireMockFixture fixture) : WireMockTest(fixture)
{
    private const string CompletionData = "/v2/access-api/simulation/completion-data";

    [Fact]
    public async Task Truncated_json_in_a_200_is_an_api_exception_naming_the_request()
    {
        Server.Add(Stub.For(RequestPattern.Post(CompletionData))
            .ReturnsBody(200, """{"executions": [{"executionId": "ex-1", "simulationId": "sim""", "application/json"));
        using var client = new SymtrainClient(TestClients.SymtrainOptions(Server));

        var act = () => client.Access.GetCompletionDataAsync("org-1", "jane@example.com", "sim-001");

        var thrown = await act.Should().ThrowExactlyAsync<ApiException>();
        thrown.Which.StatusCode.Should().Be(HttpStatusCode.OK);
        thrown.Which.InnerException.Should().BeAssignableTo<JsonException>();
        thrown.Which.Message.Should().Contain(CompletionData);
        Server.Count(RequestPattern.Post(CompletionData)).Should().Be(1);
    }

    [Fact]
    public async Task An_html_page_in_a_200_is_an_api_exception()
    {
        Server.Add(Stub.For(RequestPattern.Post(CompletionData))
            .ReturnsBody(200, "<html><body>Please log in</body></html>", "text/html"));
        using var client = new SymtrainClient(TestClients.SymtrainOptions(Server));

        var act = () => client.Access.GetCompletionDataAsync("org-1", "jane@example.com", "sim-001");

        (await act.Should().ThrowExactlyAsync<ApiException>()).Which.InnerException.Should().BeAssignableTo<JsonException>();
        Server.Count(RequestPattern.Post(CompletionData)).Should().Be(1);
    }

    [Fact]
    public async Task Truncated_json_in_a_senar_list_is_an_api_exception()
    {
        Server.Add(Stub.For(RequestPattern.Get("/integration/data/users"))
            .ReturnsBody(200, """[{"id": "765fc7cf-312b-469d-8508-0e943a6447c7", "firstName": "Jo""", "application/json"));
        using var client = new SenarClient(TestClients.SenarOptions(Server));

        var act = () => client.Users.ListAsync();

        (await act.Should().ThrowExactlyAsync<ApiException>()).Which.StatusCode.Should().Be(HttpStatusCode.OK);
        Server.Count(RequestPattern.Get("/integration/data/users")).Should().Be(1);
    }

    [Fact]
    public async Task A_streamed_report_cut_mid_row_yields_the_whole_rows_then_an_api_exception()
    {
        const string path = "/v2/report/users";
        Server.Add(Stub.For(RequestPattern.Post(path))
            .ReturnsBody(200, """{"page": 1, "pageSize": 1000, "results": [{"userId": "u-1"}, {"userId": "u-2"}, {"userId": "u""", "application/json"));
        using var client = new SymtrainClient(TestClients.SymtrainOptions(Server));
        var rows = new List<string?>();

        var act = async () =>
        {
            await foreach (var row in client.Reports.StreamReportAsync(SymtrainReport.Users, new DateRange(new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 31))))
            {
                rows.Add(row.GetString("userId"));
            }
        };

        (await act.Should().ThrowExactlyAsync<ApiException>()).Which.InnerException.Should().BeAssignableTo<JsonException>();
        rows.Should().Equal("u-1", "u-2");
        Server.Count(RequestPattern.Post(path)).Should().Be(1);
    }
}
