using Senar.Client;
using Senar.Client.Activities;
using Senar.Client.Users;
using Senar.Client.Webhooks;
using TrainingApis.Core;

namespace TrainingApis.Sandbox.Tests.EndToEnd;

/// <summary>Every Senar endpoint through the real <see cref="SenarClient"/> against a real sandbox, webhooks included.</summary>
public sealed class SenarEndToEndTests : IAsyncLifetime
{
    private readonly StatusCounter _counter = new();
    private TrainingSandbox _sandbox = null!;
    private SenarClient _client = null!;
    private HttpClient _control = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await E2ESetup.StartSandboxAsync();
        _client = E2ESetup.Senar(_sandbox, _counter);
        _control = ApiCall.ClientFor(_sandbox);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        _counter.Dispose();
        _control.Dispose();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task LoginAsync_gets_a_token_that_later_calls_reuse()
    {
        var token = await _client.Auth.LoginAsync();
        var users = await _client.Users.ListAsync();
        var activities = await _client.Activities.ListAsync();

        token.Value.Should().NotBeNullOrWhiteSpace();
        token.ToString().Should().NotContain(token.Value);
        users.Should().NotBeEmpty();
        activities.Should().NotBeEmpty();
        _counter.Total.Should().Be(3, "one login, then the two lists with the same token");
    }

    [Fact]
    public async Task A_wrong_password_is_an_authentication_error_naming_the_user_only()
    {
        using var client = E2ESetup.Senar(_sandbox, _counter, password: "Wrong-password-1");

        var login = () => client.Auth.LoginAsync();

        var error = (await login.Should().ThrowAsync<ApiAuthenticationException>()).Which;
        error.Message.Should().Contain(_sandbox.SenarUsername).And.NotContain("Wrong-password-1");
    }

    [Fact]
    public async Task The_users_list_holds_the_seeded_account_listed_or_streamed()
    {
        var listed = await _client.Users.ListAsync();
        var streamed = new List<SenarUser>();
        await foreach (var user in _client.Users.StreamAsync())
        {
            streamed.Add(user);
        }

        listed.Should().HaveCount(_sandbox.Options.SenarUserCount);
        listed[0].Email.Should().Be(_sandbox.SenarUsername);
        listed[0].Profile.Should().Be(SenarUserProfile.Instructor);
        listed.Where(u => !Guid.TryParse(u.Id, out _) || u.CreationDate is null).Should().BeEmpty("ids are UUIDs and every user has a creation date");
        streamed.Select(u => u.Id).Should().Equal(listed.Select(u => u.Id));
    }

    [Fact]
    public async Task AssignCollectionAsync_creates_a_user_in_a_seeded_collection_and_refuses_a_foreign_one()
    {
        var assignment = new UserAssignment
        {
            Email = "new.operator@e2e.example",
            FirstName = "New",
            LastName = "Operator",
            Password = "Forklift42",
            Organization = "E2E Logistics",
            CollectionId = _sandbox.SenarCollectionId,
        };

        var result = await _client.Users.AssignCollectionAsync(assignment);
        var again = await _client.Users.AssignCollectionAsync(assignment with { CollectionId = _sandbox.SenarCollectionId + 1 });
        var users = await _client.Users.ListAsync();
        var foreign = () => _client.Users.AssignCollectionAsync(assignment with { CollectionId = 999 });

        result.Succeed.Should().BeTrue();
        result.IsNewUser.Should().BeTrue();
        result.CollectionId.Should().Be(_sandbox.SenarCollectionId);
        again.IsNewUser.Should().BeFalse();
        users.Should().ContainSingle(u => u.Email == "new.operator@e2e.example");
        await foreign.Should().ThrowAsync<ApiValidationException>();
    }

    [Fact]
    public async Task The_activities_list_streams_every_seeded_activity_in_order()
    {
        var streamed = new List<SenarActivity>();
        await foreach (var activity in _client.Activities.StreamAsync())
        {
            streamed.Add(activity);
        }

        var listed = await _client.Activities.ListAsync();

        streamed.Should().HaveCount(_sandbox.Options.SenarActivityCount);
        streamed.Select(a => a.Id).Should().Equal(Enumerable.Range(80001, _sandbox.Options.SenarActivityCount));
        streamed.Should().OnlyContain(a => a.TrainingDate != null && a.TrainingDate.Value.Kind == DateTimeKind.Unspecified);
        streamed.Should().Contain(a => a.CollectionId == _sandbox.SenarCollectionId);
        streamed.Should().Contain(a => a.TraineeEmail == string.Empty, "about one in ten has an empty trainee email");
        listed.Select(a => a.Id).Should().Equal(streamed.Select(a => a.Id));
    }

    [Fact]
    public async Task A_registered_receiver_gets_the_activity_added_through_the_control_endpoint()
    {
        await using var receiver = await HookReceiver.StartAsync();
        var registration = await _client.Webhooks.RegisterAsync(receiver.Url("activities"), SenarWebhookEvent.Activity);

        var added = await ApiCall.PostAsync(_control, "_sandbox/senar/activities", """{"scenarioName":"Night shift lift","totalPoints":3100}""");
        var hook = await receiver.NextAsync();
        var payload = SenarWebhookPayload.Parse(hook.Body);
        var activities = await _client.Activities.ListAsync();

        registration.Id.Should().NotBeNullOrWhiteSpace();
        added.Status.Should().Be(HttpStatusCode.Created, added.Text);
        payload.Kind.Should().Be(SenarWebhookPayloadKind.Activities);
        payload.IsArray.Should().BeFalse();
        var activity = payload.Activities.Should().ContainSingle().Subject;
        activity.Id.Should().Be(80001 + _sandbox.Options.SenarActivityCount);
        activity.ScenarioName.Should().Be("Night shift lift");
        activity.TotalPoints.Should().Be(3100);
        activities[^1].Should().BeEquivalentTo(activity, o => o.Excluding(a => a.AdditionalProperties));
    }

    [Fact]
    public async Task A_user_hook_gets_the_user_that_user_assign_creates()
    {
        await using var receiver = await HookReceiver.StartAsync();
        await _client.Webhooks.RegisterAsync(receiver.Url("users"), SenarWebhookEvent.User);

        await _client.Users.AssignCollectionAsync(new UserAssignment
        {
            Email = "hooked@e2e.example",
            FirstName = "Hoo",
            LastName = "Ked",
            Password = "Hooked2024",
            Organization = "E2E",
            CollectionId = _sandbox.SenarCollectionId,
        });
        var hook = await receiver.NextAsync();
        var payload = SenarWebhookPayload.Parse(hook.Body);

        payload.Kind.Should().Be(SenarWebhookPayloadKind.Users);
        payload.Users.Should().ContainSingle().Which.Email.Should().Be("hooked@e2e.example");
    }
}
