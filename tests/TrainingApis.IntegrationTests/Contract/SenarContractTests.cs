using Senar.Client;
using Senar.Client.Users;
using Senar.Client.Webhooks;
using TrainingApis.IntegrationTests.Infrastructure;

namespace TrainingApis.IntegrationTests.Contract;

[Collection(WireMockCollection.Name)]
public sealed class SenarContractTests(WireMockFixture fixture) : WireMockTest(fixture)
{
    private const string VendorToken = "eedx...";

    [Fact]
    public async Task Login_posts_username_and_password_without_a_token_and_reads_the_capital_t_token()
    {
        var options = TestClients.SenarOptions(Server);
        using var client = new SenarClient(options);

        var token = await client.Auth.LoginAsync();

        Server.Count(RequestPattern.Post("/api/auth/login")
            .WithoutHeader("Authorization")
            .WithJsonContentType()
            .WithJsonBody($$"""{"username": "{{options.Username}}", "password": "{{TestClients.SenarPassword}}"}""")).Should().Be(1);
        token.Value.Should().Be(VendorToken);
        token.ToString().Should().NotContain(VendorToken);
        ShouldHaveNoUnmatchedRequests();
    }

    [Fact]
    public async Task User_assign_logs_in_once_then_posts_the_assignment_with_the_token()
    {
        var options = TestClients.SenarOptions(Server);
        using var client = new SenarClient(options);

        var result = await client.Users.AssignCollectionAsync(new UserAssignment
        {
            Email = "new.user@neworg.example",
            FirstName = "New",
            LastName = "User",
            Password = "Password8",
            Organization = "NewOrg Inc.",
            CollectionId = 42,
        });

        Server.Count(RequestPattern.Post("/api/auth/login")).Should().Be(1);
        Server.Count(RequestPattern.Post("/integration/data/user_assign")
            .WithBearer(VendorToken)
            .WithJsonContentType()
            .WithJsonBody("""
                {"email": "new.user@neworg.example", "firstName": "New", "lastName": "User", "password": "Password8",
                 "organization": "NewOrg Inc.", "collectionId": 42}
                """)).Should().Be(1);
        result.Succeed.Should().BeTrue();
        result.Email.Should().Be("[email protected]");
        result.CollectionId.Should().Be(42);
        result.IsNewUser.Should().BeTrue();
        ShouldHaveNoUnmatchedRequests();
    }

    [Fact]
    public async Task Users_list_gets_with_the_token_and_reads_every_documented_field()
    {
        var options = TestClients.SenarOptions(Server);
        using var client = new SenarClient(options);

        var users = await client.Users.ListAsync();

        Server.Count(RequestPattern.Get("/integration/data/users").WithBearer(VendorToken).WithEmptyBody()).Should().Be(1);
        var user = users.Should().ContainSingle().Subject;
        user.Id.Should().Be("765fc7cf-312b-469d-8508-0e943a6447c7");
        user.FirstName.Should().Be("Jon");
        user.LastName.Should().Be("Doe");
        user.Email.Should().Be("[email protected]");
        user.Language.Should().Be("en");
        user.AccountName.Should().Be("ACME");
        user.CountryName.Should().Be("USA");
        user.CreationDate.Should().Be(new DateTime(2022, 9, 7, 6, 25, 23, DateTimeKind.Unspecified).AddTicks(9014976));
        user.CreationDate!.Value.Kind.Should().Be(DateTimeKind.Unspecified);
        user.Profile.Should().Be(SenarUserProfile.Instructor);
        user.AdditionalProperties.Should().BeNullOrEmpty();
        ShouldHaveNoUnmatchedRequests();
    }

    [Fact]
    public async Task Users_stream_reads_the_same_list()
    {
        using var client = new SenarClient(TestClients.SenarOptions(Server));

        var users = new List<SenarUser>();
        await foreach (var user in client.Users.StreamAsync())
        {
            users.Add(user);
        }

        users.Should().ContainSingle().Which.Email.Should().Be("[email protected]");
        Server.Count(RequestPattern.Get("/integration/data/users").WithBearer(VendorToken)).Should().Be(1);
    }

    [Fact]
    public async Task Activities_list_gets_with_the_token_and_reads_all_26_fields()
    {
        using var client = new SenarClient(TestClients.SenarOptions(Server));

        var activities = await client.Activities.ListAsync();

        Server.Count(RequestPattern.Get("/integration/data/activities").WithBearer(VendorToken).WithEmptyBody()).Should().Be(1);
        var activity = activities.Should().ContainSingle().Subject;
        activity.Should().BeEquivalentTo(new
        {
            Id = 80119,
            CollectionId = 41,
            UserId = "b68bfbd8-8f26-427b-a3c9-2d4cec36648b",
            TraineeId = "b5e3bbbc-0c22-417a-8087-6554afe26400",
            FirstName = "Natalia",
            LastName = "Brown",
            Company = "Daria",
            ScenarioId = "S01",
            ScenarioName = "Scenario 1",
            TotalPoints = 2900,
            TotalSec = 622,
            TotalTries = 1,
            SimulatorId = 18,
            Tilts = 0,
            TotalMaxPoints = 3400,
            Abandons = 1,
            CollectionTitle = "Rigging",
            SimulatorTitle = "Lifting Hardware and Sling Inspection",
            UserFirstName = "Jon",
            UserLastName = "Doe",
            UserEmail = "[email protected]",
            UserCostCenter = "East",
            UserAccountName = "ACME",
            TraineeEmail = "[email protected]",
        });
        activity.TrainingDate.Should().Be(new DateTime(2021, 3, 9, 17, 37, 11, DateTimeKind.Unspecified).AddTicks(1868360));
        activity.TraineeProfile.Should().Be(SenarUserProfile.Guest);
        activity.AdditionalProperties.Should().BeNullOrEmpty("the stub holds exactly the 26 documented fields");
        ShouldHaveNoUnmatchedRequests();
    }

    [Fact]
    public async Task Activities_stream_reads_the_same_list()
    {
        using var client = new SenarClient(TestClients.SenarOptions(Server));

        var ids = new List<int>();
        await foreach (var activity in client.Activities.StreamAsync())
        {
            ids.Add(activity.Id);
        }

        ids.Should().Equal(80119);
        Server.Count(RequestPattern.Get("/integration/data/activities").WithBearer(VendorToken)).Should().Be(1);
    }

    [Fact]
    public async Task Webhook_registration_posts_hook_url_event_and_provider_and_reads_the_id()
    {
        using var client = new SenarClient(TestClients.SenarOptions(Server));

        var registration = await client.Webhooks.RegisterAsync(new Uri("https://hooks.zapier.com/hooks/catch/123/abc/"), SenarWebhookEvent.Activity);

        Server.Count(RequestPattern.Post("/integration/data/webhook_register")
            .WithBearer(VendorToken)
            .WithJsonContentType()
            .WithJsonBody("""{"hookUrl": "https://hooks.zapier.com/hooks/catch/123/abc/", "method": "activity", "provider": "zapier"}""")).Should().Be(1);
        registration.Id.Should().Be("<webhook_id>");
        ShouldHaveNoUnmatchedRequests();
    }

    [Fact]
    public async Task Webhook_registration_for_users_sends_method_user()
    {
        using var client = new SenarClient(TestClients.SenarOptions(Server));

        await client.Webhooks.RegisterAsync(new Uri("https://hooks.zapier.com/hooks/catch/123/def/"), SenarWebhookEvent.User);

        Server.Count(RequestPattern.Post("/integration/data/webhook_register")
            .WithJsonBody("""{"hookUrl": "https://hooks.zapier.com/hooks/catch/123/def/", "method": "user", "provider": "zapier"}""")).Should().Be(1);
    }

    [Fact]
    public async Task Several_calls_of_one_client_share_a_single_login()
    {
        using var client = new SenarClient(TestClients.SenarOptions(Server));

        await Task.WhenAll(client.Users.ListAsync(), client.Activities.ListAsync(), client.Users.ListAsync());

        Server.Count(RequestPattern.Post("/api/auth/login")).Should().Be(1);
        Server.Count(RequestPattern.Get("/integration/data/users").WithBearer(VendorToken)).Should().Be(2);
    }
}
