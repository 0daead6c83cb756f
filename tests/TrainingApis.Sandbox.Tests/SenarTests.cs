using TrainingApis.Testing;

namespace TrainingApis.Sandbox.Tests;

public sealed class SenarTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task Login_answers_the_token_with_a_capital_T()
    {
        var result = await ApiCall.PostAsync(
            fixture.Client, "api/auth/login", $$"""{"username":"{{fixture.Sandbox.SenarUsername}}","password":"{{fixture.Sandbox.SenarPassword}}"}""");

        result.Status.Should().Be(HttpStatusCode.OK);
        ApiCall.PropertyNames(result.Json).Should().Equal("Token");
        result.Json.GetProperty("Token").GetString().Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task Bad_credentials_are_a_401_and_missing_ones_a_400()
    {
        var wrong = await ApiCall.PostAsync(fixture.Client, "api/auth/login", $$"""{"username":"{{fixture.Sandbox.SenarUsername}}","password":"Wrong123"}""");
        var missing = await ApiCall.PostAsync(fixture.Client, "api/auth/login", """{"username":""}""");

        wrong.Status.Should().Be(HttpStatusCode.Unauthorized);
        wrong.Message.Should().Be("Invalid username or password");
        missing.Status.Should().Be(HttpStatusCode.BadRequest);
        missing.Message.Should().Contain("username is required").And.Contain("password is required");
    }

    [Theory]
    [InlineData("integration/data/users", "GET")]
    [InlineData("integration/data/activities", "GET")]
    [InlineData("integration/data/user_assign", "POST")]
    [InlineData("integration/data/webhook_register", "POST")]
    public async Task Data_endpoints_need_a_valid_token(string path, string method)
    {
        var none = await ApiCall.SendAsync(fixture.Client, new HttpMethod(method), path, null, null);
        var bad = await ApiCall.SendAsync(fixture.Client, new HttpMethod(method), path, null, "made-up-token");

        none.Status.Should().Be(HttpStatusCode.Unauthorized);
        none.Message.Should().Contain("Authorization required");
        bad.Status.Should().Be(HttpStatusCode.Unauthorized);
        bad.Message.Should().Contain("invalid or has expired");
    }

    [Fact]
    public async Task A_token_expires_after_its_lifetime_in_fake_time()
    {
        var time = FakeTime.Create();
        await using var sandbox = await TrainingSandbox.StartAsync(new TrainingSandboxOptions
        {
            TimeProvider = time,
            SenarTokenLifetime = TimeSpan.FromMinutes(10),
        });
        using var client = ApiCall.ClientFor(sandbox);
        var token = await ApiCall.SenarLoginAsync(client, sandbox);

        time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        var before = await ApiCall.GetAsync(client, "integration/data/users", token);
        time.Advance(TimeSpan.FromSeconds(1));
        var after = await ApiCall.GetAsync(client, "integration/data/users", token);
        var renewed = await ApiCall.GetAsync(client, "integration/data/users", await ApiCall.SenarLoginAsync(client, sandbox));

        before.Status.Should().Be(HttpStatusCode.OK);
        after.Status.Should().Be(HttpStatusCode.Unauthorized);
        after.Message.Should().Contain("expired");
        renewed.Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Users_are_a_bare_array_of_the_documented_fields()
    {
        var token = await ApiCall.SenarLoginAsync(fixture.Client, fixture.Sandbox);

        var result = await ApiCall.GetAsync(fixture.Client, "integration/data/users", token);

        result.Status.Should().Be(HttpStatusCode.OK);
        result.Json.ValueKind.Should().Be(JsonValueKind.Array);
        var users = result.Json.EnumerateArray().ToArray();
        users.Length.Should().BeGreaterThanOrEqualTo(50);
        foreach (var user in users.Take(50))
        {
            ApiCall.PropertyNames(user).Should().Equal("id", "firstName", "lastName", "email", "language", "accountName", "countryName", "creationDate", "profile");
            Guid.TryParse(user.GetProperty("id").GetString(), out _).Should().BeTrue();
            user.GetProperty("creationDate").GetString().Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}$", "Senar writes no offset and 7 fraction digits");
        }

        users[0].GetProperty("email").GetString().Should().Be(fixture.Sandbox.SenarUsername);
        users.Select(u => u.GetProperty("profile").GetString()).Should().Contain(["Instructor", "Trainee", "Guest"]);
    }

    [Fact]
    public async Task Activities_are_a_bare_array_of_the_26_documented_fields()
    {
        var token = await ApiCall.SenarLoginAsync(fixture.Client, fixture.Sandbox);

        var result = await ApiCall.GetAsync(fixture.Client, "integration/data/activities", token);

        result.Status.Should().Be(HttpStatusCode.OK);
        var activities = result.Json.EnumerateArray().ToArray();
        activities.Length.Should().BeGreaterThanOrEqualTo(1000);
        var first = activities[0];
        ApiCall.PropertyNames(first).Should().Equal(
            "id", "collectionId", "userId", "traineeId", "firstName", "lastName", "company", "trainingDate", "scenarioId", "scenarioName",
            "totalPoints", "totalSec", "totalTries", "simulatorId", "tilts", "totalMaxPoints", "abandons", "collectionTitle", "simulatorTitle",
            "userFirstName", "userLastName", "userEmail", "userCostCenter", "userAccountName", "traineeEmail", "traineeProfile");
        first.GetProperty("id").GetInt64().Should().Be(80001);
        first.GetProperty("scenarioId").GetString().Should().MatchRegex("^S\\d\\d$");
        first.GetProperty("trainingDate").GetString().Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$");
        activities.Select(a => a.GetProperty("id").GetInt64()).Should().OnlyHaveUniqueItems().And.BeInAscendingOrder();
        activities.Should().Contain(a => a.GetProperty("traineeEmail").GetString() == string.Empty, "the vendor notes traineeEmail may be empty");
    }

    [Fact]
    public async Task A_large_activity_list_is_streamed_in_full_with_flat_memory()
    {
        const int Count = 100_000;
        await using var sandbox = await TrainingSandbox.StartAsync(new TrainingSandboxOptions { SenarActivityCount = Count });
        using var client = ApiCall.ClientFor(sandbox);
        var token = await ApiCall.SenarLoginAsync(client, sandbox);
        using var request = new HttpRequestMessage(HttpMethod.Get, "integration/data/activities");
        request.Headers.Authorization = new("Bearer", token);

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        long count = 0, lastId = 0, bytes = 0, retained = 0;
        await foreach (var activity in JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(stream))
        {
            count++;
            lastId = activity.GetProperty("id").GetInt64();
            bytes += activity.GetRawText().Length;
            if (count == Count / 2)
            {
                retained = GC.GetTotalMemory(forceFullCollection: true);
            }
        }

        response.Content.Headers.ContentLength.Should().BeNull("the list is written as it is generated");
        count.Should().Be(Count);
        lastId.Should().Be(80_000 + Count);
        bytes.Should().BeGreaterThan(60_000_000);
        retained.Should().BeLessThan(40_000_000, "halfway through a ~65 MB response the server holds only what is in flight");
    }

    [Fact]
    public async Task User_assign_creates_a_new_user_then_assigns_an_existing_one()
    {
        var token = await ApiCall.SenarLoginAsync(fixture.Client, fixture.Sandbox);
        var email = $"assign.{Guid.NewGuid():N}@example.com";
        string Body(int collection) =>
            $$"""{"email":"{{email}}","firstName":"New","lastName":"User","password":"Password8","organization":"NewOrg Inc.","collectionId":{{collection}}}""";

        var first = await ApiCall.PostAsync(fixture.Client, "integration/data/user_assign", Body(fixture.Sandbox.SenarCollectionId), token);
        var second = await ApiCall.PostAsync(fixture.Client, "integration/data/user_assign", Body(fixture.Sandbox.SenarCollectionId + 1), token);
        var users = await ApiCall.GetAsync(fixture.Client, "integration/data/users", token);

        first.Status.Should().Be(HttpStatusCode.OK, first.Text);
        first.Text.Should().Be($$"""{"succeed":true,"email":"{{email}}","collectionId":{{fixture.Sandbox.SenarCollectionId}},"isNewUser":true}""");
        second.Json.GetProperty("isNewUser").GetBoolean().Should().BeFalse();
        second.Json.GetProperty("succeed").GetBoolean().Should().BeTrue();
        users.Json.EnumerateArray().Should().ContainSingle(u => u.GetProperty("email").GetString() == email)
            .Which.GetProperty("accountName").GetString().Should().Be("NewOrg Inc.");
    }

    [Fact]
    public async Task User_assign_to_a_collection_the_account_does_not_own_does_not_succeed()
    {
        var token = await ApiCall.SenarLoginAsync(fixture.Client, fixture.Sandbox);

        var result = await ApiCall.PostAsync(
            fixture.Client,
            "integration/data/user_assign",
            """{"email":"x@example.com","firstName":"X","lastName":"Y","password":"Password8","organization":"Org","collectionId":4242}""",
            token);

        result.Status.Should().Be(HttpStatusCode.OK);
        result.Json.GetProperty("succeed").GetBoolean().Should().BeFalse();
        result.Message.Should().Contain("Collection 4242 does not exist");
    }

    [Theory]
    [InlineData("abc12", "password must be at least 6 characters")]
    [InlineData("abcdefg", "at least one number")]
    [InlineData("1234567", "contain letters")]
    public async Task User_assign_refuses_a_weak_password(string password, string message)
    {
        var token = await ApiCall.SenarLoginAsync(fixture.Client, fixture.Sandbox);

        var result = await ApiCall.PostAsync(
            fixture.Client,
            "integration/data/user_assign",
            $$"""{"email":"x@example.com","firstName":"X","lastName":"Y","password":"{{password}}","organization":"Org","collectionId":41}""",
            token);

        result.Status.Should().Be(HttpStatusCode.BadRequest);
        result.Message.Should().Contain(message);
    }

    [Fact]
    public async Task User_assign_names_every_missing_field()
    {
        var token = await ApiCall.SenarLoginAsync(fixture.Client, fixture.Sandbox);

        var result = await ApiCall.PostAsync(fixture.Client, "integration/data/user_assign", """{"email":"not-an-email"}""", token);

        result.Status.Should().Be(HttpStatusCode.BadRequest);
        result.Message.Should().ContainAll(
            "firstName is required", "lastName is required", "organization is required", "collectionId is required", "password is required",
            "email 'not-an-email' is not a valid email address");
    }

    [Fact]
    public async Task Webhook_register_returns_an_id()
    {
        var token = await ApiCall.SenarLoginAsync(fixture.Client, fixture.Sandbox);

        var result = await ApiCall.PostAsync(
            fixture.Client, "integration/data/webhook_register", """{"hookUrl":"https://hooks.example.com/a","method":"user","provider":"zapier"}""", token);
        var hooks = await ApiCall.GetAsync(fixture.Client, "_sandbox/senar/webhooks");

        result.Status.Should().Be(HttpStatusCode.OK);
        ApiCall.PropertyNames(result.Json).Should().Equal("id");
        var id = result.Json.GetProperty("id").GetString();
        hooks.Json.EnumerateArray().Should().Contain(h => h.GetProperty("id").GetString() == id && h.GetProperty("method").GetString() == "user");
    }

    [Theory]
    [InlineData("""{"hookUrl":"https://hooks.example.com/a","method":"lesson","provider":"zapier"}""", "method must be \"activity\" or \"user\"")]
    [InlineData("""{"hookUrl":"ftp://hooks.example.com/a","method":"user"}""", "hookUrl must be an absolute http or https URL")]
    [InlineData("""{"provider":"zapier"}""", "hookUrl is required. method is required.")]
    public async Task Webhook_register_refuses_a_bad_method_or_address(string body, string message)
    {
        var token = await ApiCall.SenarLoginAsync(fixture.Client, fixture.Sandbox);

        var result = await ApiCall.PostAsync(fixture.Client, "integration/data/webhook_register", body, token);

        result.Status.Should().Be(HttpStatusCode.BadRequest);
        result.Message.Should().Contain(message);
    }
}
