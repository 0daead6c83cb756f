using Symtrain.Client;
using TrainingApis.Core;
using TrainingApis.Sandbox.Tests.EndToEnd;

namespace TrainingApis.Sandbox.Tests;

/// <summary>Dates and pages at the edges of their types are a 400 naming the field, never a 500 (which a client retries).</summary>
public sealed class ReportBoundsTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    [Theory]
    [InlineData("9999-10-03", "9999-12-31", "endDate")]
    [InlineData("9999-12-31", "9999-12-31", "startDate")]
    [InlineData("0001-01-01", "0001-03-01", "startDate")]
    [InlineData("0001-01-01", "0001-01-01", "startDate")]
    [InlineData("3000-01-01", "3000-01-31", "startDate")]
    [InlineData("1899-12-01", "1900-01-15", "startDate")]
    public async Task A_range_at_the_edge_of_the_calendar_is_a_400_naming_the_date(string start, string end, string field)
    {
        foreach (var report in new[] { "syms-result", "users", "teams-result" })
        {
            var result = await fixture.SymtrainAsync($"v2/report/{report}", $$"""{"startDate":"{{start}}","endDate":"{{end}}"}""");

            result.Status.Should().Be(HttpStatusCode.BadRequest, result.Text);
            result.ErrorFields.Should().Contain(field);
            result.Message.Should().Contain("1900-01-01 to 2999-12-31");
        }
    }

    [Fact]
    public async Task The_last_and_first_accepted_days_answer_without_overflow()
    {
        var last = await fixture.SymtrainAsync("v2/report/syms-result", """{"startDate":"2999-10-03","endDate":"2999-12-31","page":3}""");
        var first = await fixture.SymtrainAsync("v2/report/syms-result", """{"startDate":"1900-01-01","endDate":"1900-03-01","page":2147483647,"pageSize":5000}""");

        last.Status.Should().Be(HttpStatusCode.OK, last.Text);
        first.Status.Should().Be(HttpStatusCode.OK, first.Text);
        first.Json.GetProperty("results").GetArrayLength().Should().Be(0);
    }

    [Theory]
    [InlineData("v2/report/syms-result", """{"startDate":"2024-03-01","endDate":"2024-03-31","page":2147483648}""")]
    [InlineData("v2/report/syms-result", """{"startDate":"2024-03-01","endDate":"2024-03-31","page":99999999999999999999}""")]
    [InlineData("v2/access-api/simulation/library", """{"organizationId":"sandbox-org","userId":"x","page":2147483648}""")]
    public async Task A_page_number_beyond_an_int_is_a_400_naming_the_page(string path, string body)
    {
        var result = await fixture.SymtrainAsync(path, body);

        result.Status.Should().Be(HttpStatusCode.BadRequest, result.Text);
        result.ErrorFields.Should().Contain("page");
        result.Message.Should().MatchRegex("page must be (between 1 and 2147483647|an integer)");
    }

    [Fact]
    public async Task The_library_answers_the_largest_page_number_with_an_empty_page()
    {
        var body = $$"""{"organizationId":"{{fixture.Org}}","userId":"{{fixture.Trainee}}","page":2147483647,"pageSize":500}""";

        var result = await fixture.SymtrainAsync("v2/access-api/simulation/library", body);

        result.Status.Should().Be(HttpStatusCode.OK, result.Text);
    }

    [Fact]
    public async Task The_client_gets_one_400_for_a_range_ending_9999_12_31_and_does_not_retry()
    {
        var counter = new StatusCounter();
        await using var sandbox = await E2ESetup.StartSandboxAsync();
        using var client = E2ESetup.Symtrain(sandbox, counter);

        var act = () => client.Reports.GetSymsResultAsync(new DateRange(new DateOnly(9999, 10, 3), DateOnly.MaxValue));

        (await act.Should().ThrowAsync<ApiValidationException>()).Which.IsTransient.Should().BeFalse();
        counter.Total.Should().Be(1);
        counter[HttpStatusCode.InternalServerError].Should().Be(0);
    }
}
