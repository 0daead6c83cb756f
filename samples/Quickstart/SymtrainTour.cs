using Symtrain.Client;
using Symtrain.Client.Access;
using Symtrain.Client.Reports;
using Symtrain.Client.Users;
using TrainingApis.Core;

namespace Quickstart;

/// <summary>Every call of <see cref="ISymtrainClient"/>: the reports, access and users sub-clients.</summary>
internal static class SymtrainTour
{
    private const string WritesSkipped = "changes data on the real service: run with --allow-writes";

    public static async Task RunAsync(SymtrainTarget target, Transcript transcript, CancellationToken cancellationToken)
    {
        await ReportsAsync(target.Client.Reports, (target.Probe ?? target.Client).Reports, transcript, cancellationToken);
        if (target is { OrganizationId: { } org, UserId: { } user, SimulationId: { } simulation })
        {
            var link = await AccessAsync(target, org, user, simulation, transcript, cancellationToken);
            await UsersAsync(target, org, user, link, transcript, cancellationToken);
        }
        else
        {
            transcript.Section("Symtrain · Access and Users");
            transcript.Skip("Access.*, Users.*", "set Quickstart:OrganizationId, UserId and SimulationId to try them on the real service");
        }
    }

    /// <param name="reports">The reports client.</param>
    /// <param name="first">The client of the first call: a short bound, so that a service that never answers stops the tour quickly.</param>
    /// <param name="transcript">Where the lines go.</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    private static async Task ReportsAsync(ISymtrainReportsClient reports, ISymtrainReportsClient first, Transcript transcript, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var month = new DateRange(today.AddDays(-29), today);
        transcript.Section($"Symtrain · Reports  ({month}, one request each)");
        (string Name, Func<DateRange, CancellationToken, Task<IReadOnlyList<ReportRow>>> Call)[] calls =
        [
            ("Reports.GetSymsResultAsync", first.GetSymsResultAsync),
            ("Reports.GetUserResultsAsync", reports.GetUserResultsAsync),
            ("Reports.GetTrainingPlanResultAsync", reports.GetTrainingPlanResultAsync),
            ("Reports.GetModulesResultsAsync", reports.GetModulesResultsAsync),
            ("Reports.GetSymsAsync", reports.GetSymsAsync),
            ("Reports.GetUsersAsync", reports.GetUsersAsync),
            ("Reports.GetTeamsResultAsync", reports.GetTeamsResultAsync),
        ];
        foreach (var (name, call) in calls)
        {
            await transcript.StepAsync(name, async () =>
            {
                var rows = await call(month, cancellationToken);
                return rows.Count == 0 ? "0 rows" : $"{Transcript.Count(rows.Count, "row")}; first: {Transcript.Summarize(rows[0])}";
            });
        }

        // Longer than the API's 180 days: split into windows, paged and streamed one row at a time.
        var twoYears = new DateRange(today.AddDays(-729), today);
        await transcript.StepAsync("Reports.StreamReportAsync", async () =>
        {
            long count = 0;
            var passed = 0;
            await foreach (var row in reports.StreamReportAsync(SymtrainReport.SymsResult, twoYears, cancellationToken))
            {
                count++;
                passed += row.TryGetBoolean("passed", out var ok) && ok ? 1 : 0;
            }

            return $"syms-result over {twoYears.Days} days ({twoYears.Split(180).Count()} windows): {Transcript.Count(count, "row")}, {passed:N0} passed";
        });
    }

    private static async Task<SimulationDeepLink?> AccessAsync(
        SymtrainTarget target, string org, string user, string simulation, Transcript transcript, CancellationToken cancellationToken)
    {
        var access = target.Client.Access;
        transcript.Section($"Symtrain · Access  (organization {org}, user {user})");
        SimulationDeepLink? link = null;
        await transcript.StepAsync("Access.CreateDeepLinkAsync", async () =>
        {
            link = await access.CreateDeepLinkAsync(org, user, simulation, cancellationToken);
            return $"{link.SimulationId} -> {Transcript.Link(link.DeepLink)}";
        });

        if (target.SimulationTag is { } tag)
        {
            await transcript.StepAsync("Access.CreateDeepLinksAsync (tags)", async () =>
            {
                var links = await access.CreateDeepLinksAsync(new DeepLinkRequest { OrganizationId = org, UserId = user, Tags = [tag] }, cancellationToken);
                var first = links.Count > 0 ? $"; first: {links[0].SimulationId} \"{Transcript.Clip(links[0].SimulationName, 40)}\"" : string.Empty;
                return $"tag \"{tag}\": {Transcript.Count(links.Count, "link")}{first}";
            });
        }
        else
        {
            transcript.Skip("Access.CreateDeepLinksAsync (tags)", "set Quickstart:SimulationTag");
        }

        await transcript.StepAsync("Access.GetCompletionDataAsync", async () =>
        {
            var executions = await access.GetCompletionDataAsync(org, user, simulation, cancellationToken);
            var completed = executions.Where(e => e.IsCompleted).ToList();
            var best = completed.Count > 0 ? $", best symScore {completed.Max(e => e.SymScore ?? 0):0.#}" : string.Empty;
            return $"{Transcript.Count(executions.Count, "execution")} on {simulation}, {completed.Count} complete{best}";
        });

        await transcript.StepAsync("Access.GetLibraryPageAsync", async () =>
        {
            var page = await access.GetLibraryPageAsync(new LibraryQuery { OrganizationId = org, UserId = user, Page = 1, PageSize = 10 }, cancellationToken);
            var first = page.Simulations.Count > 0 ? $"; first: {page.Simulations[0].SimulationId} \"{Transcript.Clip(page.Simulations[0].Name, 40)}\"" : string.Empty;
            return $"page {page.Page ?? 1}: {page.Simulations.Count} of {page.Total?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} simulations{first}";
        });

        await transcript.StepAsync("Access.ListLibraryAsync", async () =>
        {
            var query = new LibraryQuery { OrganizationId = org, UserId = user, PageSize = 25 };
            var count = 0;
            var minutes = 0.0;
            await foreach (var item in access.ListLibraryAsync(query, cancellationToken))
            {
                count++;
                minutes += item.DurationMinutes ?? 0;
            }

            return $"every page of 25: {Transcript.Count(count, "simulation")}, {minutes / 60:0.#} hours of training";
        });

        if (target.CanWrite)
        {
            await transcript.StepAsync("Access.AssignSimulationAsync", async () =>
            {
                var assignment = await access.AssignSimulationAsync(org, user, simulation, cancellationToken);
                return $"{assignment.SimulationId} assigned={assignment.Assigned}";
            });
            await transcript.StepAsync("Access.UnassignSimulationAsync", async () =>
            {
                await access.UnassignSimulationAsync(org, user, simulation, cancellationToken);
                return $"{simulation} unassigned";
            });
        }
        else
        {
            transcript.Skip("Access.AssignSimulationAsync", WritesSkipped);
            transcript.Skip("Access.UnassignSimulationAsync", WritesSkipped);
        }

        return link;
    }

    private static async Task UsersAsync(
        SymtrainTarget target, string org, string user, SimulationDeepLink? link, Transcript transcript, CancellationToken cancellationToken)
    {
        var users = target.Client.Users;
        transcript.Section("Symtrain · Users");
        UserAccessToken? token = null;
        await transcript.StepAsync("Users.CreateAccessTokenAsync", async () =>
        {
            token = await users.CreateAccessTokenAsync(org, user, cancellationToken);
            return $"token *** for {user}, expires {token.ExpiresAt:yyyy-MM-dd HH:mm} UTC";
        });

        if (token is not null && link?.DeepLink is { } deepLink)
        {
            await transcript.StepAsync("Users.WithAccessToken", () =>
                Task.FromResult(Transcript.Link(users.WithAccessToken(deepLink, token)) + "  (no request)"));
        }
        else
        {
            transcript.Skip("Users.WithAccessToken", "needs a deep link and a token");
        }

        if (!target.CanWrite || target.NewUserEmail is not { } email)
        {
            var reason = target.CanWrite ? "set Quickstart:NewUserEmail" : WritesSkipped;
            transcript.Skip("Users.CreateUserAsync", reason);
            transcript.Skip("Users.BulkImportAsync", reason);
            transcript.Skip("Users.WaitForBulkImportAsync", reason);
            return;
        }

        await transcript.StepAsync("Users.CreateUserAsync", async () =>
        {
            var created = await users.CreateUserAsync(new CreateUserRequest { OrganizationId = org, Email = email, FirstName = "Quinn", LastName = "Starter" }, cancellationToken);
            return $"{created.UserId} ({created.Status}), {(created.Created == true ? "created" : "already existed")}";
        });

        var rows = new[] { email }.Concat(target.MoreImportEmails).Select((address, i) => new BulkImportRow
        {
            FirstName = ImportNames[i % ImportNames.Length].First,
            LastName = ImportNames[i % ImportNames.Length].Last,
            Email = address,
            TeamName = "Onboarding Squad",
            Action = i == 0 ? BulkImportRow.UpdateAction : BulkImportRow.AddAction,
        }).ToList();
        BulkImportResult? result = null;
        await transcript.StepAsync("Users.BulkImportAsync", async () =>
        {
            result = await users.BulkImportAsync(org, rows, cancellationToken);
            return $"{Transcript.Count(rows.Count, "row")} uploaded as CSV: {result.ValidUsersCount} valid, {result.InvalidUsersCount} refused, task {result.TaskId ?? "(none)"}";
        });

        if (result is { TaskId: { } taskId })
        {
            await transcript.StepAsync("Users.WaitForBulkImportAsync", async () =>
            {
                var started = DateTime.UtcNow;
                var status = await users.WaitForBulkImportAsync(org, taskId, cancellationToken);
                if (status.Status == BulkImportState.Failed)
                {
                    throw new ApiException($"Bulk import {taskId} ended FAILED: {status.ErrorMessage}");
                }

                return $"{status.RawStatus}, {status.ProcessedCount ?? 0} processed, after {(DateTime.UtcNow - started).TotalSeconds:0.0} s of polling";
            });
        }
        else
        {
            transcript.Skip("Users.WaitForBulkImportAsync", "no task (every row was refused)");
        }
    }

    private static readonly (string First, string Last)[] ImportNames =
        [("Quinn", "Starter"), ("Ada", "Lovelace"), ("Grace", "Hopper"), ("Alan", "Turing")];
}
