using Senar.Client;
using Symtrain.Client;
using TrainingApis.Core;
using TrainingApis.Sandbox;

namespace DocSnippets;

/// <summary>The code of the packages' README.md files (src/*/README.md, shown on NuGet), compiled.</summary>
internal static class PackageReadmes
{
    public static async Task SenarAsync()
    {
        #region package-readme-senar
        using var senar = new SenarClient(new SenarClientOptions
        {
            Username = "integration@acme.example",
            Password = Environment.GetEnvironmentVariable("SENAR_PASSWORD"),
        });

        await foreach (var activity in senar.Activities.StreamAsync())
        {
            Console.WriteLine($"{activity.TraineeEmail}: {activity.ScenarioName} {activity.TotalPoints}/{activity.TotalMaxPoints}");
        }
        #endregion
    }

    public static async Task SymtrainAsync()
    {
        #region package-readme-symtrain
        using var symtrain = new SymtrainClient(new SymtrainClientOptions
        {
            ApiKey = Environment.GetEnvironmentVariable("SYMTRAIN_API_KEY"),
        });

        var lastTwoYears = new DateRange(new DateOnly(2024, 1, 1), new DateOnly(2025, 12, 31));
        await foreach (var row in symtrain.Reports.StreamReportAsync(SymtrainReport.UserResults, lastTwoYears))
        {
            Console.WriteLine(row.GetString("username"));
        }
        #endregion
    }

    public static void Core()
    {
        #region package-readme-core
        var year = new DateRange(new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31));
        foreach (var window in year.Split(180))
        {
            Console.WriteLine(window); // 2024-01-01/2024-06-28, 2024-06-29/2024-12-25, 2024-12-26/2024-12-31
        }
        #endregion
    }

    public static async Task SandboxAsync()
    {
        #region package-readme-sandbox
        await using var sandbox = await TrainingSandbox.StartAsync();
        Console.WriteLine(sandbox); // address and seeded ids; secrets masked
        // Point the clients at sandbox.BaseAddress with sandbox.SymtrainApiKey, sandbox.SenarUsername, sandbox.SenarPassword.
        #endregion
    }
}
