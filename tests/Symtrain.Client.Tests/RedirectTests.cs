using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Symtrain.Client.Access;
using Symtrain.Client.Users;
using TrainingApis.Core;
using TrainingApis.Testing;

namespace Symtrain.Client.Tests;

/// <summary>
/// Issue 14, "Redirects": <c>POST /v2/access-api/user/token</c> answered 307 to <c>…/token/</c> and the redirected POST went
/// out without <c>Authorization</c>. Every endpoint follows a same-origin 307/308 with its method, body and key, and
/// refuses every other redirect with an <see cref="ApiException"/> naming it.
/// </summary>
public sealed class RedirectTests
{
    private static readonly DateRange Range = DateRange.FromDays(new DateOnly(2024, 1, 1), 7);

    private static readonly (string Name, Func<SymtrainClient, Task> Call)[] Calls =
    [
        ("Users.CreateAccessToken", c => c.Users.CreateAccessTokenAsync("org-1", "ana@example.com")),
        ("Users.CreateUser", c => c.Users.CreateUserAsync(new CreateUserRequest { OrganizationId = "org-1", Email = "new@example.com", FirstName = "New" })),
        ("Users.BulkImport", c => c.Users.BulkImportAsync("org-1", [new BulkImportRow { FirstName = "Ana", LastName = "Diaz", Email = "ana@example.com" }])),
        ("Users.GetBulkImportStatus", c => c.Users.GetBulkImportStatusAsync("org-1", "task-1")),
        ("Access.CreateDeepLink", c => c.Access.CreateDeepLinkAsync("org-1", "ana@example.com", "sim-1")),
        ("Access.GetCompletionData", c => c.Access.GetCompletionDataAsync("org-1", "ana@example.com", "sim-1")),
        ("Access.GetLibraryPage", c => c.Access.GetLibraryPageAsync(new LibraryQuery { OrganizationId = "org-1", UserId = "ana@example.com" })),
        ("Access.AssignSimulation", c => c.Access.AssignSimulationAsync("org-1", "ana@example.com", "sim-1")),
        ("Access.UnassignSimulation", c => c.Access.UnassignSimulationAsync("org-1", "ana@example.com", "sim-1")),
        ("Reports.GetSymsResult", c => c.Reports.GetSymsResultAsync(Range)),
        ("Reports.StreamReport", async c =>
        {
            await foreach (var _ in c.Reports.StreamReportAsync(SymtrainReport.Users, Range))
            {
            }
        }),
    ];

    public static TheoryData<string> CallNames()
    {
        var names = new TheoryData<string>();
        foreach (var (name, _) in Calls)
        {
            names.Add(name);
        }

        return names;
    }

    [Theory]
    [MemberData(nameof(CallNames))]
    public async Task A_same_origin_307_is_followed_with_the_method_the_body_and_the_key(string name)
    {
        using var harness = new Harness((request, _) => request.Path.EndsWith('/') ? FakeHttpHandler.JsonResponse(Ok(request.Path.TrimEnd('/'), request.Body)) : Redirect(307, request.Path + "/"));

        await harness.Time.RunAsync(Call(name)(harness.Client));

        var requests = harness.Requests;
        requests.Should().HaveCountGreaterThanOrEqualTo(2);
        for (var i = 0; i < requests.Count; i += 2)
        {
            var (asked, redirected) = (requests[i], requests[i + 1]);
            redirected.Path.Should().Be(asked.Path + "/");
            redirected.Method.Should().Be(asked.Method);
            redirected.Body.Should().Be(asked.Body);
            redirected.ContentType.Should().Be(asked.ContentType);
            redirected.Authorization.Should().Be("Bearer " + Harness.ApiKey, "the key goes with a same-origin redirect");
        }
    }

    [Theory]
    [MemberData(nameof(CallNames))]
    public async Task A_same_origin_308_is_followed_too(string name)
    {
        using var harness = new Harness((request, _) => request.Path.EndsWith('/') ? FakeHttpHandler.JsonResponse(Ok(request.Path.TrimEnd('/'), request.Body)) : Redirect(308, "https://api.symtrain.com" + request.Path + "/"));

        await harness.Time.RunAsync(Call(name)(harness.Client));

        harness.Requests.Where(r => r.Path.EndsWith('/')).Should().NotBeEmpty().And.OnlyContain(r => r.Authorization == "Bearer " + Harness.ApiKey);
    }

    [Theory]
    [InlineData(301, false)]
    [InlineData(302, false)]
    [InlineData(303, false)]
    [InlineData(307, true)]
    [InlineData(308, true)]
    [InlineData(301, true)]
    [InlineData(302, true)]
    public async Task Every_other_redirect_is_refused_by_every_endpoint(int status, bool crossOrigin)
    {
        foreach (var (name, call) in Calls)
        {
            using var harness = new Harness((request, _) => Redirect(status, (crossOrigin ? "https://evil.example" : string.Empty) + request.Path + "/"), o => o.Retry = new RetryOptions { MaxRetries = 2 });

            var error = (await FluentActions.Awaiting(() => harness.Time.RunAsync(call(harness.Client))).Should().ThrowAsync<ApiException>(name)).Which;

            error.StatusCode.Should().Be((HttpStatusCode)status, name);
            error.Message.Should().Contain($"redirected ({status} ", name).And.NotContain(Harness.ApiKey);
            harness.Requests.Should().ContainSingle(name).Which.Uri!.Host.Should().Be("api.symtrain.com");
        }
    }

    private static Func<SymtrainClient, Task> Call(string name) => Calls.Single(c => c.Name == name).Call;

    private static HttpResponseMessage Redirect(int status, string location)
    {
        var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(string.Empty, Encoding.UTF8, "text/html") };
        response.Headers.Location = new Uri(location, UriKind.RelativeOrAbsolute);
        return response;
    }

    /// <summary>A valid answer of each endpoint (the shapes of docs/wire-format.md).</summary>
    private static string Ok(string path, string body)
    {
        if (path.StartsWith("/v2/report/", StringComparison.Ordinal))
        {
            return """[{"userId":"u-1","username":"ana@example.com","score":90}]""";
        }

        return path switch
        {
            "/v2/access-api/simulation/deep-links" =>
                """{"simulations":[{"simulationId":"sim-1","simulationName":"Billing","deepLink":"https://app.symtrain.example/sim/1","tags":["billing"]}]}""",
            "/v2/access-api/simulation/completion-data" =>
                """{"executions":[{"executionId":"e-1","simulationId":"sim-1","completedAt":"2024-01-02T03:04:05Z","symScore":90}]}""",
            "/v2/access-api/simulation/library" =>
                """{"page":1,"pageSize":50,"total":1,"simulations":[{"simulationId":"sim-1","name":"Billing","tags":["billing"]}]}""",
            "/v2/access-api/simulation/assignment" => JsonNode.Parse(body)?["assign"]?.GetValue<bool>() == true
                ? """{"simulationId":"sim-1","name":"Billing","deepLink":"https://app.symtrain.example/sim/1","assigned":true}"""
                : """{"success":true}""",
            "/v2/access-api/user/token" => """{"token":"uat-1","expiresIn":3600}""",
            "/v2/access-api/user/create" =>
                """{"userId":"u-9","username":"new@example.com","email":"new@example.com","role":"trainee","status":"ACTIVE","created":true}""",
            "/v2/access-api/user/bulk-import" => """{"taskId":"task-1","validUsersCount":1,"invalidUsersCount":0,"errors":[]}""",
            "/v2/access-api/user/bulk-import/status" => """{"taskId":"task-1","status":"COMPLETED"}""",
            _ => throw new InvalidOperationException($"No scripted answer for {path}."),
        };
    }
}
