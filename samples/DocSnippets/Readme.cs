using Senar.Client;
using Symtrain.Client;
using TrainingApis.Core;

namespace DocSnippets;

/// <summary>The code of README.md, compiled.</summary>
internal static class Readme
{
    public static async Task TourAsync()
    {
        #region readme-tour
        using var symtrain = new SymtrainClient(new SymtrainClientOptions { ApiKey = Environment.GetEnvironmentVariable("SYMTRAIN_API_KEY") });
        using var senar = new SenarClient(new SenarClientOptions
        {
            Username = Environment.GetEnvironmentVariable("SENAR_USERNAME"),
            Password = Environment.GetEnvironmentVariable("SENAR_PASSWORD"),
        });

        // Any date range: split into the API's 180-day windows, paged, streamed row by row, kept under the quota.
        var twoYears = new DateRange(new DateOnly(2024, 1, 1), new DateOnly(2025, 12, 31));
        await foreach (var row in symtrain.Reports.StreamReportAsync(SymtrainReport.SymsResult, twoYears))
        {
            Console.WriteLine($"{row.GetString("username")} {row.GetString("simulationName")} {row.GetDouble("score")}");
        }

        // A deep link signed in with a one-hour user token.
        var link = await symtrain.Access.CreateDeepLinkAsync("org-1", "jane@example.com", "sim-42");
        var signedIn = symtrain.Users.WithAccessToken(link.DeepLink!, await symtrain.Users.CreateAccessTokenAsync("org-1", "jane@example.com"));

        // Senar logs in for you, once per credential, and again on a 401.
        await foreach (var activity in senar.Activities.StreamAsync())
        {
            Console.WriteLine($"{activity.TraineeEmail}: {activity.ScenarioName} {activity.TotalPoints}/{activity.TotalMaxPoints}");
        }
        #endregion
    }
}
