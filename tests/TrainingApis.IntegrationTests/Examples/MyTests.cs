using Symtrain.Client;
using TrainingApis.Core;
using TrainingApis.WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace TrainingApis.IntegrationTests.Examples;

// The example of docs/testing.md ("Writing a test"), run as a real test so the docs cannot drift.
#region testing-writing-a-test
public sealed class MyTests : IDisposable
{
    private readonly TrainingApisStubServer _stubs = TrainingApisStubServer.Start();

    public void Dispose() => _stubs.Dispose();

    [Fact]
    public async Task A_503_then_200_is_retried()
    {
        // A stub of your own: WireMock.Net's default priority 0 wins over the file stubs (priority 5).
        _stubs.Server
            .Given(Request.Create().WithPath("/v2/access-api/user/token").UsingPost())
            .InScenario("flaky")
            .WillSetStateTo("recovered")
            .RespondWith(Response.Create().WithStatusCode(503));
        using var client = new SymtrainClient(new SymtrainClientOptions
        {
            BaseAddress = _stubs.SymtrainBaseAddress,
            ApiKey = "test-key",
            Retry = new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) },
        });

        var token = await client.Users.CreateAccessTokenAsync("org-1", "jane@example.com");

        token.Token.Should().Be("user-token-abc123");
        _stubs.ReceivedRequests("/v2/access-api/user/token").Select(r => r.StatusCode).Should().Equal(503, 200);
    }
}
#endregion
