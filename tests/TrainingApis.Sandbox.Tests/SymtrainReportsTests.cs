using TrainingApis.Testing;

namespace TrainingApis.Sandbox.Tests;

public sealed class SymtrainReportsTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private const string Range = """{"startDate":"2024-01-01","endDate":"2024-06-28"}""";

    [Theory]
    [InlineData("syms-result", "resultId,userId,username,firstName,lastName,teamName,simulationId,simulationName,attempts,score,completedAt")]
    [InlineData("user-results", "userId,username,email,firstName,lastName,teamName,date,simulationsCompleted,averageScore")]
    [InlineData("training-plan-result", "trainingPlanId,trainingPlanName,userId,username,status,progressPercent,score,completedAt")]
    [InlineData("modules-results", "moduleId,moduleName,trainingPlanId,userId,username,simulationId,simulationName,attempts,score,completedAt")]
    [InlineData("syms", "simulationId,simulationName,tags,date,attempts,completions,averageScore")]
    [InlineData("users", "userId,username,email,firstName,lastName,teamName,role,status,createdAt,lastLoginAt")]
    [InlineData("teams-result", "teamId,teamName,date,activeUsers,simulationsCompleted,averageScore")]
    public async Task Every_report_answers_an_envelope_of_rows_with_its_fields(string report, string fields)
    {
        var result = await fixture.SymtrainAsync($"v2/report/{report}", Range);

        result.Status.Should().Be(HttpStatusCode.OK, result.Text);
        result.ContentType.Should().Be("application/json");
        ApiCall.PropertyNames(result.Json).Should().Equal("page", "pageSize", "total", "results");
        result.Json.GetProperty("page").GetInt32().Should().Be(1);
        result.Json.GetProperty("pageSize").GetInt32().Should().Be(1000);
        var rows = result.Json.GetProperty("results").EnumerateArray().ToArray();
        rows.Should().NotBeEmpty();
        result.Json.GetProperty("total").GetInt64().Should().BeGreaterThanOrEqualTo(rows.Length);
        foreach (var row in rows)
        {
            ApiCall.PropertyNames(row).Should().Contain(fields.Split(','));
        }
    }

    [Fact]
    public async Task Pages_are_one_based_and_continue_each_other_in_the_body()
    {
        var all = await fixture.SymtrainAsync("v2/report/syms-result", """{"startDate":"2024-03-01","endDate":"2024-03-31","pageSize":5000}""");
        var page1 = await fixture.SymtrainAsync("v2/report/syms-result", """{"startDate":"2024-03-01","endDate":"2024-03-31","page":1,"pageSize":50}""");
        var page2 = await fixture.SymtrainAsync("v2/report/syms-result", """{"startDate":"2024-03-01","endDate":"2024-03-31","page":2,"pageSize":50}""");

        var allIds = Ids(all.Json);
        var total = all.Json.GetProperty("total").GetInt32();
        allIds.Should().HaveCount(total).And.OnlyHaveUniqueItems();
        total.Should().BeGreaterThan(100);
        page1.Json.GetProperty("total").GetInt32().Should().Be(total);
        page2.Json.GetProperty("page").GetInt32().Should().Be(2);
        Ids(page1.Json).Concat(Ids(page2.Json)).Should().Equal(allIds.Take(100));
    }

    [Fact]
    public async Task A_page_past_the_end_is_empty_and_the_last_page_is_short()
    {
        var all = await fixture.SymtrainAsync("v2/report/teams-result", """{"startDate":"2024-03-04","endDate":"2024-03-08"}""");
        var total = all.Json.GetProperty("total").GetInt32();
        total.Should().Be(30, "six teams on each of five weekdays");

        var last = await fixture.SymtrainAsync("v2/report/teams-result", """{"startDate":"2024-03-04","endDate":"2024-03-08","page":2,"pageSize":20}""");
        var past = await fixture.SymtrainAsync("v2/report/teams-result", """{"startDate":"2024-03-04","endDate":"2024-03-08","page":9,"pageSize":20}""");

        last.Json.GetProperty("results").GetArrayLength().Should().Be(10);
        past.Json.GetProperty("results").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task Data_spans_more_than_two_years()
    {
        var early = await fixture.SymtrainAsync("v2/report/syms-result", """{"startDate":"2023-01-01","endDate":"2023-01-31"}""");
        var late = await fixture.SymtrainAsync("v2/report/syms-result", """{"startDate":"2025-06-01","endDate":"2025-06-30"}""");
        var before = await fixture.SymtrainAsync("v2/report/syms-result", """{"startDate":"2022-06-01","endDate":"2022-06-30"}""");

        early.Json.GetProperty("total").GetInt32().Should().BePositive();
        late.Json.GetProperty("total").GetInt32().Should().BePositive();
        before.Json.GetProperty("total").GetInt32().Should().Be(0);
    }

    [Fact]
    public async Task Future_days_have_no_rows_yet()
    {
        var time = FakeTime.Create(new DateTimeOffset(2025, 3, 10, 12, 0, 0, TimeSpan.Zero));
        await using var sandbox = await TrainingSandbox.StartAsync(new TrainingSandboxOptions { TimeProvider = time });
        using var client = ApiCall.ClientFor(sandbox);

        var future = await ApiCall.PostAsync(client, "v2/report/teams-result", """{"startDate":"2025-03-11","endDate":"2025-03-31"}""", sandbox.SymtrainApiKey);
        time.Advance(TimeSpan.FromDays(1));
        var tomorrow = await ApiCall.PostAsync(client, "v2/report/teams-result", """{"startDate":"2025-03-11","endDate":"2025-03-31"}""", sandbox.SymtrainApiKey);

        future.Json.GetProperty("total").GetInt32().Should().Be(0);
        tomorrow.Json.GetProperty("total").GetInt32().Should().Be(6);
    }

    [Fact]
    public async Task A_range_of_exactly_180_days_is_accepted()
    {
        var result = await fixture.SymtrainAsync("v2/report/users", """{"startDate":"2024-01-01","endDate":"2024-06-28"}""");

        result.Status.Should().Be(HttpStatusCode.OK, result.Text);
    }

    [Fact]
    public async Task A_range_over_180_days_is_a_400_naming_the_span()
    {
        var result = await fixture.SymtrainAsync("v2/report/users", """{"startDate":"2024-01-01","endDate":"2024-06-29"}""");

        result.Status.Should().Be(HttpStatusCode.BadRequest);
        result.Message.Should().Contain("181 days").And.Contain("at most 180 days");
        result.ErrorFields.Should().Equal("endDate");
    }

    [Fact]
    public async Task Missing_dates_are_a_400_naming_both()
    {
        var result = await fixture.SymtrainAsync("v2/report/syms", "{}");

        result.Status.Should().Be(HttpStatusCode.BadRequest);
        result.ErrorFields.Should().Equal("startDate", "endDate");
        result.Message.Should().Contain("startDate is required").And.Contain("endDate is required");
    }

    [Fact]
    public async Task Start_after_end_is_a_400()
    {
        var result = await fixture.SymtrainAsync("v2/report/syms", """{"startDate":"2024-02-01","endDate":"2024-01-01"}""");

        result.Status.Should().Be(HttpStatusCode.BadRequest);
        result.Message.Should().Contain("startDate (2024-02-01) must not be after endDate (2024-01-01)");
    }

    [Theory]
    [InlineData("""{"startDate":"01/02/2024","endDate":"2024-01-05"}""", "startDate must be a date in the format YYYY-MM-DD")]
    [InlineData("""{"startDate":"2024-01-01","endDate":"2024-01-05","pageSize":0}""", "pageSize must be between 1 and 5000")]
    [InlineData("""{"startDate":"2024-01-01","endDate":"2024-01-05","page":"two"}""", "page must be an integer")]
    [InlineData("""{"startDate":"2024-01-01",""", "not valid JSON")]
    [InlineData("""[1,2]""", "must be a JSON object")]
    public async Task Malformed_requests_are_a_400_with_the_reason(string body, string message)
    {
        var result = await fixture.SymtrainAsync("v2/report/syms-result", body);

        result.Status.Should().Be(HttpStatusCode.BadRequest);
        result.Message.Should().Contain(message);
    }

    [Fact]
    public async Task An_unknown_report_is_a_404_listing_the_reports()
    {
        var result = await fixture.SymtrainAsync("v2/report/nope", Range);

        result.Status.Should().Be(HttpStatusCode.NotFound);
        result.Message.Should().Contain("Report 'nope' does not exist").And.Contain("teams-result");
    }

    [Fact]
    public async Task A_report_is_streamed_without_a_content_length()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v2/report/syms-result")
        {
            Content = new StringContent(Range, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", fixture.Key);

        using var response = await fixture.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentLength.Should().BeNull();
        response.Headers.TransferEncodingChunked.Should().BeTrue();
    }

    private static string[] Ids(JsonElement page) =>
        page.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("resultId").GetString()!).ToArray();
}
