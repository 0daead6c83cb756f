using Senar.Client.Users;
using Senar.Client.Webhooks;
using Symtrain.Client;
using Symtrain.Client.Access;
using Symtrain.Client.Users;
using TrainingApis.Core;

namespace TrainingApis.Sandbox.Tests.EndToEnd;

/// <summary>
/// The 20 endpoints of both APIs, one call each, through the real clients against one sandbox: 20 requests reach it,
/// every one answered with success, each result typed and matching the seeded data.
/// </summary>
public sealed class AllEndpointsEndToEndTests
{
    [Fact]
    public async Task Twenty_calls_reach_twenty_endpoints_and_all_succeed()
    {
        await using var sandbox = await E2ESetup.StartSandboxAsync();
        using var counter = new StatusCounter();
        using var symtrain = E2ESetup.Symtrain(sandbox, counter);
        using var senar = E2ESetup.Senar(sandbox, counter);
        await using var receiver = await HookReceiver.StartAsync();
        var (org, trainee, simulation) = (sandbox.OrganizationId, sandbox.TraineeUsername, sandbox.SimulationId);
        var month = new DateRange(new DateOnly(2024, 5, 1), new DateOnly(2024, 5, 31));

        var reports = new[]
        {
            await symtrain.Reports.GetSymsResultAsync(month),
            await symtrain.Reports.GetUserResultsAsync(month),
            await symtrain.Reports.GetTrainingPlanResultAsync(month),
            await symtrain.Reports.GetModulesResultsAsync(month),
            await symtrain.Reports.GetSymsAsync(month),
            await symtrain.Reports.GetUsersAsync(month),
            await symtrain.Reports.GetTeamsResultAsync(month),
        };
        var link = await symtrain.Access.CreateDeepLinkAsync(org, trainee, simulation);
        var executions = await symtrain.Access.GetCompletionDataAsync(org, trainee, simulation);
        var library = await symtrain.Access.GetLibraryPageAsync(new LibraryQuery { OrganizationId = org, UserId = trainee });
        var assignment = await symtrain.Access.AssignSimulationAsync(org, trainee, simulation);
        var token = await symtrain.Users.CreateAccessTokenAsync(org, trainee);
        var user = await symtrain.Users.CreateUserAsync(new CreateUserRequest { OrganizationId = org, Email = "all@e2e.example" });
        var import = await symtrain.Users.BulkImportAsync(org, [new BulkImportRow { FirstName = "Al", LastName = "L", Email = "al@e2e.example" }]);
        var status = await symtrain.Users.GetBulkImportStatusAsync(org, import.TaskId!);
        var login = await senar.Auth.LoginAsync();
        var assigned = await senar.Users.AssignCollectionAsync(new UserAssignment
        {
            Email = "all@e2e.example", FirstName = "All", LastName = "Calls", Password = "Endpoints20", Organization = "E2E", CollectionId = sandbox.SenarCollectionId,
        });
        var users = await senar.Users.ListAsync();
        var activities = await senar.Activities.ListAsync();
        var hook = await senar.Webhooks.RegisterAsync(receiver.Url("hook"), SenarWebhookEvent.Activity);

        counter.Total.Should().Be(20);
        counter.Requests.Select(r => r[..r.LastIndexOf(' ')]).Should().OnlyHaveUniqueItems().And.HaveCount(20);
        counter.Requests.Should().OnlyContain(r => r.EndsWith(" 200") || r.EndsWith(" 201"), string.Join(", ", counter.Requests));
        reports.Should().OnlyContain(rows => rows.Count > 0);
        link.SimulationId.Should().Be(simulation);
        executions.Should().HaveCount(3);
        library.Total.Should().Be(sandbox.Options.SimulationCount);
        library.Simulations[0].SimulationId.Should().Be(simulation);
        assignment.Assigned.Should().BeTrue();
        token.Token.Should().NotBeNullOrEmpty();
        user.Created.Should().BeTrue();
        import.ValidUsersCount.Should().Be(1);
        status.TaskId.Should().Be(import.TaskId);
        login.Value.Should().NotBeNullOrEmpty();
        assigned.IsNewUser.Should().BeTrue();
        users.Should().Contain(u => u.Email == "all@e2e.example");
        activities.Should().HaveCount(sandbox.Options.SenarActivityCount);
        hook.Id.Should().NotBeNullOrEmpty();
    }
}
