namespace TrainingApis.Sandbox.Tests;

public sealed class WebhookTests : IAsyncLifetime
{
    private TrainingSandbox _sandbox = null!;
    private HttpClient _client = null!;
    private HookReceiver _receiver = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await TrainingSandbox.StartAsync();
        _client = ApiCall.ClientFor(_sandbox);
        _receiver = await HookReceiver.StartAsync();
        _token = await ApiCall.SenarLoginAsync(_client, _sandbox);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _sandbox.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task An_activity_added_through_the_control_endpoint_is_posted_to_the_registered_hook()
    {
        var registration = await RegisterAsync("activities", "activity");

        var added = await ApiCall.PostAsync(_client, "_sandbox/senar/activities", """{"scenarioName":"Night shift lift","totalPoints":3100}""");
        var hook = await _receiver.NextAsync();
        var activities = await ApiCall.GetAsync(_client, "integration/data/activities", _token);

        added.Status.Should().Be(HttpStatusCode.Created, added.Text);
        var activity = added.Json.GetProperty("activity");
        activity.GetProperty("scenarioName").GetString().Should().Be("Night shift lift");
        activity.GetProperty("totalPoints").GetInt32().Should().Be(3100);
        var delivery = added.Json.GetProperty("deliveries").EnumerateArray().Should().ContainSingle().Subject;
        delivery.GetProperty("webhookId").GetString().Should().Be(registration);
        delivery.GetProperty("succeeded").GetBoolean().Should().BeTrue();
        delivery.GetProperty("statusCode").GetInt32().Should().Be(200);

        hook.Name.Should().Be("activities");
        hook.ContentType.Should().StartWith("application/json");
        hook.Json.ValueKind.Should().Be(JsonValueKind.Object, "one object per delivery");
        hook.Json.GetProperty("id").GetInt64().Should().Be(activity.GetProperty("id").GetInt64());
        hook.Json.GetProperty("scenarioName").GetString().Should().Be("Night shift lift");
        ApiCall.PropertyNames(hook.Json).Should().HaveCount(26);
        activities.Json.EnumerateArray().Last().GetProperty("id").GetInt64().Should().Be(activity.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task An_empty_body_adds_a_generated_activity_with_the_next_id()
    {
        await RegisterAsync("activities", "activity");

        var first = await ApiCall.PostAsync(_client, "_sandbox/senar/activities", "{}");
        var second = await ApiCall.PostAsync(_client, "_sandbox/senar/activities", "{}");
        var hooks = new[] { await _receiver.NextAsync(), await _receiver.NextAsync() };

        first.Json.GetProperty("activity").GetProperty("id").GetInt64().Should().Be(81001);
        second.Json.GetProperty("activity").GetProperty("id").GetInt64().Should().Be(81002);
        hooks.Select(h => h.Json.GetProperty("id").GetInt64()).Should().BeEquivalentTo([81001L, 81002L]);
    }

    [Fact]
    public async Task A_user_added_through_the_control_endpoint_goes_to_user_hooks_only()
    {
        await RegisterAsync("users", "user");
        await RegisterAsync("activities", "activity");

        var added = await ApiCall.PostAsync(_client, "_sandbox/senar/users", """{"firstName":"Zoe","email":"zoe@example.com"}""");
        var hook = await _receiver.NextAsync();
        var duplicate = await ApiCall.PostAsync(_client, "_sandbox/senar/users", """{"email":"zoe@example.com"}""");
        var users = await ApiCall.GetAsync(_client, "integration/data/users", _token);

        added.Status.Should().Be(HttpStatusCode.Created, added.Text);
        hook.Name.Should().Be("users");
        hook.Json.GetProperty("email").GetString().Should().Be("zoe@example.com");
        hook.Json.GetProperty("firstName").GetString().Should().Be("Zoe");
        ApiCall.PropertyNames(hook.Json).Should().Equal("id", "firstName", "lastName", "email", "language", "accountName", "countryName", "creationDate", "profile");
        _receiver.Pending.Should().Be(0, "the activity hook gets no user");
        duplicate.Status.Should().Be(HttpStatusCode.Conflict);
        users.Json.EnumerateArray().Should().Contain(u => u.GetProperty("email").GetString() == "zoe@example.com");
    }

    [Fact]
    public async Task A_new_user_from_user_assign_is_posted_to_user_hooks()
    {
        await RegisterAsync("users", "user");

        await ApiCall.PostAsync(
            _client,
            "integration/data/user_assign",
            $$"""{"email":"assigned@example.com","firstName":"As","lastName":"Signed","password":"Password8","organization":"Org","collectionId":{{_sandbox.SenarCollectionId}}}""",
            _token);
        var hook = await _receiver.NextAsync();

        hook.Json.GetProperty("email").GetString().Should().Be("assigned@example.com");
    }

    [Fact]
    public async Task A_failing_receiver_is_reported_not_fatal()
    {
        await RegisterAsync("broken", "activity");
        var dead = await ApiCall.PostAsync(
            _client, "integration/data/webhook_register", """{"hookUrl":"http://127.0.0.1:9/closed","method":"activity","provider":"zapier"}""", _token);
        dead.Status.Should().Be(HttpStatusCode.OK);

        var added = await ApiCall.PostAsync(_client, "_sandbox/senar/activities", "{}");
        await _receiver.NextAsync();
        var log = await ApiCall.GetAsync(_client, "_sandbox/senar/deliveries");

        added.Status.Should().Be(HttpStatusCode.Created);
        var deliveries = added.Json.GetProperty("deliveries").EnumerateArray().ToArray();
        deliveries.Should().HaveCount(2).And.OnlyContain(d => !d.GetProperty("succeeded").GetBoolean());
        deliveries.Should().Contain(d => d.GetProperty("statusCode").ValueKind == JsonValueKind.Number && d.GetProperty("statusCode").GetInt32() == 500);
        deliveries.Should().Contain(d => d.GetProperty("statusCode").ValueKind == JsonValueKind.Null && d.GetProperty("error").GetString()!.Length > 0);
        log.Json.GetArrayLength().Should().Be(2);
    }

    [Fact]
    public async Task A_body_that_is_not_an_object_is_refused()
    {
        var result = await ApiCall.PostAsync(_client, "_sandbox/senar/activities", "[1]");

        result.Status.Should().Be(HttpStatusCode.BadRequest);
        result.Message.Should().Contain("must be a JSON object");
    }

    private async Task<string> RegisterAsync(string name, string method)
    {
        var result = await ApiCall.PostAsync(
            _client,
            "integration/data/webhook_register",
            $$"""{"hookUrl":"{{_receiver.Url(name)}}","method":"{{method}}","provider":"zapier"}""",
            _token);
        result.Status.Should().Be(HttpStatusCode.OK, result.Text);
        return result.Json.GetProperty("id").GetString()!;
    }
}
