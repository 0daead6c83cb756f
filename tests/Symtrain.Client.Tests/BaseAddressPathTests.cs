using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Symtrain.Client.Access;
using Symtrain.Client.Users;
using TrainingApis.Core;

namespace Symtrain.Client.Tests;

/// <summary>A base address with a path (a gateway's prefix): every operation sends its route below that path.</summary>
public sealed class BaseAddressPathTests
{
    private static readonly DateRange Week = DateRange.FromDays(new DateOnly(2024, 1, 1), 7);

    /// <summary>Each operation and the vendor route it posts to.</summary>
    private static readonly Dictionary<string, (string Route, Func<ISymtrainClient, Task> Call)> Operations = new()
    {
        ["Reports.GetSymsResult"] = ("/v2/report/syms-result", c => c.Reports.GetSymsResultAsync(Week)),
        ["Reports.GetUserResults"] = ("/v2/report/user-results", c => c.Reports.GetUserResultsAsync(Week)),
        ["Reports.GetTrainingPlanResult"] = ("/v2/report/training-plan-result", c => c.Reports.GetTrainingPlanResultAsync(Week)),
        ["Reports.GetModulesResults"] = ("/v2/report/modules-results", c => c.Reports.GetModulesResultsAsync(Week)),
        ["Reports.GetSyms"] = ("/v2/report/syms", c => c.Reports.GetSymsAsync(Week)),
        ["Reports.GetUsers"] = ("/v2/report/users", c => c.Reports.GetUsersAsync(Week)),
        ["Reports.GetTeamsResult"] = ("/v2/report/teams-result", c => c.Reports.GetTeamsResultAsync(Week)),
        ["Reports.GetReport<T>"] = ("/v2/report/teams-result", c => c.Reports.GetReportAsync(SymtrainReport.TeamsResult, Week, SymtrainJsonContext.Default.ReportRow)),
        ["Reports.StreamReport"] = ("/v2/report/syms", async c => await c.Reports.StreamReportAsync(SymtrainReport.Syms, Week).ToListAsync()),
        ["Access.CreateDeepLink"] = ("/v2/access-api/simulation/deep-links", c => c.Access.CreateDeepLinkAsync("org-1", "jane", "sim-1")),
        ["Access.CreateDeepLinks"] = ("/v2/access-api/simulation/deep-links", c => c.Access.CreateDeepLinksAsync(new DeepLinkRequest { OrganizationId = "org-1", UserId = "jane", Tags = ["billing"] })),
        ["Access.GetCompletionData"] = ("/v2/access-api/simulation/completion-data", c => c.Access.GetCompletionDataAsync("org-1", "jane", "sim-1")),
        ["Access.GetLibraryPage"] = ("/v2/access-api/simulation/library", c => c.Access.GetLibraryPageAsync(new LibraryQuery { OrganizationId = "org-1", UserId = "jane" })),
        ["Access.ListLibrary"] = ("/v2/access-api/simulation/library", async c => await c.Access.ListLibraryAsync(new LibraryQuery { OrganizationId = "org-1", UserId = "jane" }).ToListAsync()),
        ["Access.AssignSimulation"] = ("/v2/access-api/simulation/assignment", c => c.Access.AssignSimulationAsync("org-1", "jane", "sim-1")),
        ["Access.UnassignSimulation"] = ("/v2/access-api/simulation/assignment", c => c.Access.UnassignSimulationAsync("org-1", "jane", "sim-1")),
        ["Users.CreateAccessToken"] = ("/v2/access-api/user/token", c => c.Users.CreateAccessTokenAsync("org-1", "jane")),
        ["Users.CreateUser"] = ("/v2/access-api/user/create", c => c.Users.CreateUserAsync(new CreateUserRequest { OrganizationId = "org-1", Email = "jane@example.com" })),
        ["Users.BulkImport"] = ("/v2/access-api/user/bulk-import", c => c.Users.BulkImportAsync("org-1", [new BulkImportRow { FirstName = "Jane", LastName = "Doe", Email = "jane@example.com" }])),
        ["Users.BulkImportCsv"] = ("/v2/access-api/user/bulk-import", c => c.Users.BulkImportCsvAsync("org-1", new MemoryStream(Encoding.UTF8.GetBytes("firstName,lastName,username,email,role,teamName,status,action\r\nJane,Doe,jane@example.com,jane@example.com,trainee,,ACTIVE,Add\r\n")))),
        ["Users.GetBulkImportStatus"] = ("/v2/access-api/user/bulk-import/status", c => c.Users.GetBulkImportStatusAsync("org-1", "task-1")),
        ["Users.WaitForBulkImport"] = ("/v2/access-api/user/bulk-import/status", c => c.Users.WaitForBulkImportAsync("org-1", "task-1")),
    };

    public static TheoryData<string, string, bool> Cases()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var operation in Operations.Keys)
        {
            foreach (var baseAddress in new[] { "https://gateway.example/api", "https://gateway.example/api/" })
            {
                data.Add(operation, baseAddress, false);
                data.Add(operation, baseAddress, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_operation_keeps_the_path_of_the_base_address(string operation, string baseAddress, bool dependencyInjection)
    {
        var (route, call) = Operations[operation];
        var handler = new FakeHttpHandler((request, _) => FakeHttpHandler.JsonResponse(Answer(request.Path)));
        var time = FakeTime.Create();
        void Configure(SymtrainClientOptions options)
        {
            options.ApiKey = Harness.ApiKey;
            options.BaseAddress = new Uri(baseAddress);
            options.Retry.MaxRetries = 0;
        }

        if (dependencyInjection)
        {
            var services = new ServiceCollection();
            services.AddSingleton<TimeProvider>(time);
            services.AddSymtrainClient("gateway", Configure).ConfigurePrimaryHttpMessageHandler(() => handler);
            await using var provider = services.BuildServiceProvider();
            await time.RunAsync(call(provider.GetRequiredKeyedService<ISymtrainClient>("gateway")));
        }
        else
        {
            var options = new SymtrainClientOptions();
            Configure(options);
            using var client = new SymtrainClient(options, handler, time);
            await time.RunAsync(call(client));
        }

        handler.Requests.Should().NotBeEmpty().And.OnlyContain(r => r.Method == HttpMethod.Post)
            .And.OnlyContain(r => r.Uri!.GetLeftPart(UriPartial.Path) == "https://gateway.example/api" + route, $"{operation} posts to {route} below /api");
    }

    [Fact]
    public void The_options_keep_the_base_address_as_given()
    {
        var options = new SymtrainClientOptions { ApiKey = Harness.ApiKey, BaseAddress = new Uri("https://gateway.example/api") };

        using var client = new SymtrainClient(options, FakeHttpHandler.Json("[]"));

        options.BaseAddress.AbsoluteUri.Should().Be("https://gateway.example/api", "the client adds the trailing slash to its own HttpClient only");
    }

    /// <summary>A minimal valid answer of each route.</summary>
    private static string Answer(string path) => path switch
    {
        _ when path.Contains("/v2/report/", StringComparison.Ordinal) => "[]",
        _ when path.EndsWith("/deep-links", StringComparison.Ordinal) => """{"simulations":[{"simulationId":"sim-1","deepLink":"https://app.test/s/sim-1"}]}""",
        _ when path.EndsWith("/completion-data", StringComparison.Ordinal) => """{"executions":[]}""",
        _ when path.EndsWith("/library", StringComparison.Ordinal) => """{"simulations":[]}""",
        _ when path.EndsWith("/assignment", StringComparison.Ordinal) => """{"success":true,"simulation":{"simulationId":"sim-1"}}""",
        _ when path.EndsWith("/user/token", StringComparison.Ordinal) => """{"token":"tok-1"}""",
        _ when path.EndsWith("/user/create", StringComparison.Ordinal) => """{"userId":"u-1","created":true}""",
        _ when path.EndsWith("/bulk-import/status", StringComparison.Ordinal) => """{"taskId":"task-1","status":"COMPLETED"}""",
        _ when path.EndsWith("/bulk-import", StringComparison.Ordinal) => """{"taskId":"task-1","validUsersCount":1,"invalidUsersCount":0,"errors":[]}""",
        _ => """{"message":"unknown route"}""",
    };
}
