using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Senar.Client;
using Senar.Client.Users;
using Symtrain.Client;
using TrainingApis.Core;
using TrainingApis.Sandbox;

namespace DocSnippets;

/// <summary>The code of docs/getting-started.md, compiled.</summary>
internal static class GettingStarted
{
    public static async Task FirstSymtrainCallsAsync()
    {
        #region getting-started-symtrain
        using var symtrain = new SymtrainClient(new SymtrainClientOptions
        {
            ApiKey = Environment.GetEnvironmentVariable("SYMTRAIN_API_KEY"),
        });

        // A report over one quarter (at most 180 days per request)…
        var quarter = new DateRange(new DateOnly(2025, 1, 1), new DateOnly(2025, 3, 31));
        var results = await symtrain.Reports.GetSymsResultAsync(quarter);
        Console.WriteLine($"{results.Count} results; first by {results.FirstOrDefault()?.GetString("username")}");

        // …or any range, split into 180-day windows and streamed row by row.
        var twoYears = new DateRange(new DateOnly(2024, 1, 1), new DateOnly(2025, 12, 31));
        await foreach (var row in symtrain.Reports.StreamReportAsync(SymtrainReport.UserResults, twoYears))
        {
            Console.WriteLine($"{row.GetString("username")}: {row.GetDouble("averageScore")}");
        }

        // A deep link into a simulation, signed in with a one-hour user token.
        var link = await symtrain.Access.CreateDeepLinkAsync("org-1", "jane@example.com", "sim-42");
        var token = await symtrain.Users.CreateAccessTokenAsync("org-1", "jane@example.com");
        Uri signedIn = symtrain.Users.WithAccessToken(link.DeepLink!, token);
        #endregion
    }

    public static async Task FirstSenarCallsAsync()
    {
        #region getting-started-senar
        using var senar = new SenarClient(new SenarClientOptions
        {
            Username = Environment.GetEnvironmentVariable("SENAR_USERNAME"),
            Password = Environment.GetEnvironmentVariable("SENAR_PASSWORD"),
        });

        IReadOnlyList<SenarUser> users = await senar.Users.ListAsync();
        Console.WriteLine($"{users.Count} users");

        await foreach (var activity in senar.Activities.StreamAsync())   // flat memory, however many there are
        {
            Console.WriteLine($"{activity.TrainingDate:d} {activity.TraineeEmail}: {activity.ScenarioName} {activity.TotalPoints}/{activity.TotalMaxPoints}");
        }
        #endregion
    }

    public static void WithDependencyInjection(string[] args)
    {
        #region getting-started-di
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddSymtrainClient(builder.Configuration.GetSection("Symtrain"));
        builder.Services.AddSenarClient(builder.Configuration.GetSection("Senar"));
        using var host = builder.Build();

        using var scope = host.Services.CreateScope();
        var symtrain = scope.ServiceProvider.GetRequiredService<ISymtrainClient>();
        var senar = scope.ServiceProvider.GetRequiredService<ISenarClient>();
        #endregion
    }

    public static async Task SandboxAsync()
    {
        #region getting-started-sandbox
        await using var sandbox = await TrainingSandbox.StartAsync();

        using var symtrain = new SymtrainClient(new SymtrainClientOptions
        {
            BaseAddress = sandbox.BaseAddress,   // http is accepted for loopback addresses only
            ApiKey = sandbox.SymtrainApiKey,
        });

        var executions = await symtrain.Access.GetCompletionDataAsync(sandbox.OrganizationId, sandbox.TraineeUsername, sandbox.SimulationId);
        Console.WriteLine($"{executions.Count} attempts");
        #endregion
    }

    public static async Task ErrorsAsync(ISymtrainClient symtrain)
    {
        #region getting-started-errors
        try
        {
            await symtrain.Access.AssignSimulationAsync("org-1", "jane@example.com", "sim-42");
        }
        catch (ApiNotFoundException ex)
        {
            Console.WriteLine($"Unknown id: {ex.Message}");
        }
        catch (ApiException ex) when (ex.IsTransient)
        {
            Console.WriteLine($"Still failing after the retries ({ex.StatusCode}); try again later. Request id: {ex.RequestId}");
        }
        #endregion
    }
}
