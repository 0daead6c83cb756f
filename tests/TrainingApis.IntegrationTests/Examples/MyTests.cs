using Symtrain.Client;
using TrainingApis.IntegrationTests.Infrastructure;

namespace TrainingApis.IntegrationTests.Examples;

// The example of docs/testing.md ("Writing a test"), run as a real test so the docs cannot drift.
#region testing-writing-a-test
[Collection(WireMockCollection.Name)]
public sealed class MyTests(WireMockFixture fixture) : WireMockTest(fixture)
{
    [Fact]
    public async Task A_503_then_200_is_retried()
    {
        // A per-test stub: priority 1 wins over the file stubs (priority 5) until the scenario moves on.
        Server.Add(Stub.For(RequestPattern.Post("/v2/access-api/user/token"))
            .InScenario("flaky", "Started", "recovered")
            .Returns(503));
        var options = TestClients.SymtrainOptions(Server);
        using var client = new SymtrainClient(options);

        var token = await client.Users.CreateAccessTokenAsync("org-1", "jane@example.com");

        token.Token.Should().Be("user-token-abc123");
        Server.Count(RequestPattern.Post("/v2/access-api/user/token")
            .WithBearer(options.ApiKey!)
            .WithJsonBody("""{"organizationId": "org-1", "userId": "jane@example.com"}""")).Should().Be(2);
    }
}
#endregion
