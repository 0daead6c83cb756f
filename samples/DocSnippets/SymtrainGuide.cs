using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Symtrain.Client;
using Symtrain.Client.Access;
using Symtrain.Client.Reports;
using Symtrain.Client.Users;
using TrainingApis.Core;

namespace DocSnippets;

/// <summary>The code of docs/symtrain.md, compiled.</summary>
internal static class SymtrainGuide
{
    public static void SetUp(IServiceCollection services, IConfiguration configuration)
    {
        #region symtrain-setup-di
        services.AddSymtrainClient(options =>
        {
            options.ApiKey = configuration["Symtrain:ApiKey"];
        });

        // or bound to a configuration section: ApiKey, BaseAddress, MaxReportRange, RateLimit:PermitLimit, Retry:MaxRetries …
        services.AddSymtrainClient(configuration.GetSection("Symtrain"));
        #endregion
    }

    public static async Task WithoutDependencyInjectionAsync()
    {
        #region symtrain-setup-without-di
        using var client = new SymtrainClient(new SymtrainClientOptions { ApiKey = "sk_live_…" });
        var users = await client.Reports.GetUsersAsync(new DateRange(new DateOnly(2024, 1, 1), new DateOnly(2024, 3, 31)));
        #endregion
    }

    public static async Task ReportsAsync(ISymtrainClient symtrain, CancellationToken cancellationToken)
    {
        #region symtrain-reports
        var range = new DateRange(new DateOnly(2024, 1, 1), new DateOnly(2024, 3, 31));

        IReadOnlyList<ReportRow> symsResult = await symtrain.Reports.GetSymsResultAsync(range);          // /v2/report/syms-result
        IReadOnlyList<ReportRow> userResults = await symtrain.Reports.GetUserResultsAsync(range);        // /v2/report/user-results
        IReadOnlyList<ReportRow> plans = await symtrain.Reports.GetTrainingPlanResultAsync(range);       // /v2/report/training-plan-result
        IReadOnlyList<ReportRow> modules = await symtrain.Reports.GetModulesResultsAsync(range);         // /v2/report/modules-results
        IReadOnlyList<ReportRow> syms = await symtrain.Reports.GetSymsAsync(range);                      // /v2/report/syms
        IReadOnlyList<ReportRow> users = await symtrain.Reports.GetUsersAsync(range);                    // /v2/report/users
        IReadOnlyList<ReportRow> teams = await symtrain.Reports.GetTeamsResultAsync(range);              // /v2/report/teams-result
        IReadOnlyList<ReportRow> same = await symtrain.Reports.GetReportAsync(SymtrainReport.Users, range);
        #endregion

        #region symtrain-report-rows
        foreach (var row in userResults)
        {
            string? username = row.GetString("username");
            double? score = row.GetDouble("score");
            long? attempts = row.GetInt64("attempts");
            DateTime? completedAt = row.GetDateTime("completedAt");   // no offset → DateTimeKind.Unspecified
            bool? passed = row.GetBoolean("passed");
            if (row.TryGetDecimal("bonus", out var bonus))
            {
                Console.WriteLine(bonus);
            }

            Console.WriteLine($"{username}: {score} ({string.Join(",", row.FieldNames)}) {row.RawJson}");
        }
        #endregion

        #region symtrain-typed-report
        IReadOnlyList<UserResult> typed = await symtrain.Reports.GetReportAsync(
            SymtrainReport.UserResults, range, MyJsonContext.Default.UserResult);
        #endregion

        #region symtrain-stream-report
        var twoYears = new DateRange(new DateOnly(2023, 1, 1), new DateOnly(2024, 12, 31));
        await foreach (var row in symtrain.Reports.StreamReportAsync(SymtrainReport.SymsResult, twoYears, cancellationToken))
        {
            Console.WriteLine(row.GetString("userId"));
        }

        // Splitting by hand, one request (or page series) per window:
        foreach (var window in twoYears.Split(180))
        {
            var windowRows = await symtrain.Reports.GetSymsResultAsync(window, cancellationToken);
        }
        #endregion
    }

    public static async Task AccessAndUsersAsync(ISymtrainClient symtrain, CancellationToken cancellationToken)
    {
        #region symtrain-access
        // Deep link, simulationId form (/v2/access-api/simulation/deep-links)
        SimulationDeepLink link = await symtrain.Access.CreateDeepLinkAsync("org-1", "jane@example.com", "sim-42");
        Uri? url = link.DeepLink;

        // Deep links, tags form
        IReadOnlyList<SimulationDeepLink> links = await symtrain.Access.CreateDeepLinksAsync(new DeepLinkRequest
        {
            OrganizationId = "org-1",
            UserId = "jane@example.com",
            Tags = ["billing", "refunds"],
            MustIncludeAllTags = true,   // omitted from the body when null
        });

        // Every attempt: started, interrupted, completed (/completion-data)
        IReadOnlyList<SimulationExecution> executions = await symtrain.Access.GetCompletionDataAsync("org-1", "jane@example.com", "sim-42");
        foreach (var execution in executions.Where(e => e.IsCompleted))   // CompletedAt and CompletionTime both set
        {
            Console.WriteLine($"{execution.CompletedAt}: {execution.SymScore} in {execution.CompletionDuration}");
        }

        // Library: one page, or every page (/library)
        LibraryPage page = await symtrain.Access.GetLibraryPageAsync(new LibraryQuery
        {
            OrganizationId = "org-1",
            UserId = "jane@example.com",
            SearchTerm = "refund",
            Page = 1,
            PageSize = 20,
        });

        await foreach (LibrarySimulation simulation in symtrain.Access.ListLibraryAsync(
            new LibraryQuery { OrganizationId = "org-1", UserId = "jane@example.com", Tags = ["billing"] }))
        {
            Console.WriteLine($"{simulation.SimulationId} {simulation.Name}");
        }

        // Assign / unassign (/assignment with assign: true | false)
        SimulationAssignment assignment = await symtrain.Access.AssignSimulationAsync("org-1", "jane@example.com", "sim-42");
        await symtrain.Access.UnassignSimulationAsync("org-1", "jane@example.com", "sim-42");
        #endregion

        #region symtrain-access-token
        // Short-lived access token (valid one hour) added to a deep link (/v2/access-api/user/token)
        UserAccessToken token = await symtrain.Users.CreateAccessTokenAsync("org-1", "jane@example.com");
        Uri signedIn = symtrain.Users.WithAccessToken(link.DeepLink!, token);   // …?lang=en&token=<encoded>
        Console.WriteLine(token);   // UserAccessToken { Token = ***, ExpiresAt = … }
        #endregion

        #region symtrain-create-user
        // Create a trainee, or get the existing one (/v2/access-api/user/create)
        SymtrainUser user = await symtrain.Users.CreateUserAsync(new CreateUserRequest
        {
            OrganizationId = "org-1",
            Email = "jane@example.com",          // Username defaults to the email
            FirstName = "Jane",
            LastName = "Doe",
            AdditionalFields = new JsonObject { ["department"] = "Sales" },   // sent beside the documented fields
        });
        Console.WriteLine($"{user.UserId} created: {user.Created}");
        #endregion

        #region symtrain-bulk-import
        var rows = new List<BulkImportRow>
        {
            new() { FirstName = "Jane", LastName = "Doe", Email = "jane@example.com", TeamName = "Sales" },
            new() { FirstName = "Joe", LastName = "Roe", Email = "joe@example.com", Status = BulkImportRow.InactiveStatus, Action = BulkImportRow.UpdateAction },
        };

        // One file of at most 750 rows (/v2/access-api/user/bulk-import, multipart: organizationId + file users.csv)
        BulkImportResult result = await symtrain.Users.BulkImportAsync("org-1", rows);

        // Any number of rows: consecutive files of 750, one result per file, validated in full before the first upload
        await foreach (BulkImportResult fileResult in symtrain.Users.BulkImportInBatchesAsync("org-1", rows))
        {
            Console.WriteLine($"{fileResult.TaskId}: {fileResult.ValidUsersCount} valid, {fileResult.InvalidUsersCount} refused");
        }

        // Your own CSV file, validated (header included) and uploaded in canonical form
        await using (var file = File.OpenRead("users.csv"))
        {
            result = await symtrain.Users.BulkImportCsvAsync("org-1", file);
        }

        // Dry run and manual splitting
        IReadOnlyList<BulkImportRowError> problems = BulkImportCsv.Validate(rows);
        foreach (IReadOnlyList<BulkImportRow> chunk in BulkImportCsv.Chunk(rows))
        {
            await symtrain.Users.BulkImportAsync("org-1", chunk);
        }
        #endregion

        #region symtrain-bulk-import-errors
        try
        {
            await symtrain.Users.BulkImportAsync("org-1", rows);
        }
        catch (BulkImportValidationException ex)
        {
            foreach (var error in ex.Errors)
            {
                Console.WriteLine(error);   // "row 3, username: must equal email exactly (case included)."
            }
        }
        #endregion

        #region symtrain-bulk-import-status
        // Status (/v2/access-api/user/bulk-import/status) and waiting
        BulkImportStatus status = await symtrain.Users.GetBulkImportStatusAsync("org-1", result.TaskId!);
        if (status.Status == BulkImportState.Unknown)
        {
            Console.WriteLine($"New status: {status.RawStatus}");
        }

        BulkImportStatus finished = await symtrain.Users.WaitForBulkImportAsync("org-1", result.TaskId!, cancellationToken);
        Console.WriteLine(finished.Status == BulkImportState.Completed ? "imported" : $"failed: {finished.ErrorMessage}");
        #endregion
    }
}
