using System.Text.Json.Nodes;
using Senar.Client;
using TrainingApis.Core;
using TrainingApis.IntegrationTests.Infrastructure;

namespace TrainingApis.IntegrationTests.Scenarios;

/// <summary>
/// A Senar token that expires on the server's side (a WireMock scenario): token A works, then is refused with 401;
/// the SDK logs in once more, gets token B and replays the refused call with it.
/// </summary>
[Collection(WireMockCollection.Name)]
public sealed class SenarTokenExpiryScenarioTests(WireMockFixture fixture) : WireMockTest(fixture)
{
    private const string Scenario = "senar-token";
    private const string Login = "/api/auth/login";
    private const string Users = "/integration/data/users";
    private const string TokenA = "token-A";
    private const string TokenB = "token-B";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();

        // Login: A first, B once A has expired.
        Server.Add(Stub.For(RequestPattern.Post(Login)).InScenario(Scenario, "Started", "A-valid").Returns(200, new JsonObject { ["Token"] = TokenA }));
        Server.Add(Stub.For(RequestPattern.Post(Login)).InScenario(Scenario, "A-expired", "B-valid").Returns(200, new JsonObject { ["Token"] = TokenB }));
    }

    [Fact]
    public async Task An_expired_token_causes_exactly_one_new_login_and_the_call_is_replayed_with_the_new_token()
    {
        using var client = new SenarClient(TestClients.SenarOptions(Server));

        (await client.Users.ListAsync()).Should().ContainSingle();
        (await client.Users.ListAsync()).Should().ContainSingle();
        ExpireTokenA();
        var afterExpiry = await client.Users.ListAsync();
        var later = await client.Users.ListAsync();

        afterExpiry.Should().ContainSingle().Which.Email.Should().Be("[email protected]");
        later.Should().ContainSingle();
        Server.Count(RequestPattern.Post(Login)).Should().Be(2, "the first login and exactly one after the 401");
        Server.Count(RequestPattern.Get(Users).WithBearer(TokenA)).Should().Be(3, "two good calls and the refused one");
        Server.Count(RequestPattern.Get(Users).WithBearer(TokenB)).Should().Be(2, "the replay and the next call");
        var users = Server.ReceivedRequests(Users);
        users.Select(r => $"{r.Header("Authorization")} {r.StatusCode}").Should().Equal(
            $"Bearer {TokenA} 200", $"Bearer {TokenA} 200", $"Bearer {TokenA} 401", $"Bearer {TokenB} 200", $"Bearer {TokenB} 200");
        Server.ScenarioState(Scenario).Should().Be("B-valid");
    }

    [Fact]
    public async Task Concurrent_calls_refused_together_share_one_new_login()
    {
        using var client = new SenarClient(TestClients.SenarOptions(Server));
        await client.Users.ListAsync();
        ExpireTokenA();

        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => client.Users.ListAsync()));

        results.Should().AllSatisfy(list => list.Should().ContainSingle());
        Server.Count(RequestPattern.Post(Login)).Should().Be(2);
        Server.Count(RequestPattern.Get(Users).WithBearer(TokenA)).Should().BeInRange(2, 6, "the first call, then any call that left before B arrived");
        Server.Count(RequestPattern.Get(Users).WithBearer(TokenB)).Should().Be(5, "every call ends with token B, replayed or not");
    }

    [Fact]
    public async Task Every_client_of_the_same_credential_moves_to_the_new_token()
    {
        var options = TestClients.SenarOptions(Server);
        using var first = new SenarClient(options);
        using var second = new SenarClient(options);
        await first.Users.ListAsync();
        await second.Users.ListAsync();
        ExpireTokenA();

        await first.Users.ListAsync();
        await second.Users.ListAsync();

        Server.Count(RequestPattern.Post(Login)).Should().Be(2, "one token per credential per process");
        Server.Count(RequestPattern.Get(Users).WithBearer(TokenA)).Should().Be(3);
        Server.Count(RequestPattern.Get(Users).WithBearer(TokenB)).Should().Be(2);
    }

    [Fact]
    public async Task A_new_token_refused_again_is_an_authentication_exception_after_one_replay()
    {
        Server.Add(Stub.For(RequestPattern.Get(Users).WithBearer(TokenB)).Returns(401, new JsonObject { ["message"] = "Account disabled" }));
        using var client = new SenarClient(TestClients.SenarOptions(Server));
        await client.Users.ListAsync();
        ExpireTokenA();

        var act = () => client.Users.ListAsync();

        var thrown = await act.Should().ThrowExactlyAsync<ApiAuthenticationException>();
        thrown.Which.Message.Should().Contain("Account disabled").And.NotContain(TokenB).And.NotContain(TestClients.SenarPassword);
        Server.Count(RequestPattern.Post(Login)).Should().Be(2, "no login loop");
        Server.Count(RequestPattern.Get(Users).WithBearer(TokenB)).Should().Be(1, "one replay only");
    }

    [Fact]
    public async Task A_refused_login_is_an_authentication_exception_naming_the_user_but_not_the_password()
    {
        Server.Add(Stub.For(RequestPattern.Post(Login)).WithPriority(0).Returns(401, new JsonObject { ["message"] = "Invalid username or password" }));
        var options = TestClients.SenarOptions(Server);
        using var client = new SenarClient(options);

        var act = () => client.Users.ListAsync();

        var thrown = await act.Should().ThrowExactlyAsync<ApiAuthenticationException>();
        thrown.Which.Message.Should().Contain(options.Username).And.Contain("Invalid username or password").And.NotContain(TestClients.SenarPassword);
        Server.Count(RequestPattern.Post(Login)).Should().Be(1, "a refused login is not retried");
        Server.Count(RequestPattern.Get(Users)).Should().Be(0);
    }

    // The server decides token A has expired: from now on A is refused, and the next login issues B. (The refusal is a
    // plain stub, not a scenario state: WireMock matches scenario stubs one by one, so a request racing the login's
    // state change could slip past two state-bound stubs.) The file stub answers every other call that has a token.
    private void ExpireTokenA()
    {
        Server.Add(Stub.For(RequestPattern.Get(Users).WithBearer(TokenA)).Returns(401, new JsonObject { ["message"] = "Token expired" }));
        Server.SetScenarioState(Scenario, "A-expired");
    }
}
