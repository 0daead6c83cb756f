using Senar.Client;
using Symtrain.Client;
using TrainingApis.WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace TrainingApis.IntegrationTests.Examples;

/// <summary>The code of src/TrainingApis.WireMock/README.md and docs/testing.md ("Reusing the stubs"), run as real tests.</summary>
public sealed class PackageReadmeTests
{
    [Fact]
    public async Task Start_point_call_and_read_what_the_stub_received()
    {
        #region wiremock-readme-quickstart
        using var stubs = TrainingApisStubServer.Start();
        using var symtrain = new SymtrainClient(new SymtrainClientOptions { BaseAddress = stubs.SymtrainBaseAddress, ApiKey = "test-key" });

        var token = await symtrain.Users.CreateAccessTokenAsync("org-1", "jane@example.com");

        var request = stubs.ReceivedRequests("/v2/access-api/user/token").Single();
        Console.WriteLine(request.Json().GetProperty("userId")); // jane@example.com
        #endregion

        token.Token.Should().Be("user-token-abc123");
        request.Header("Authorization").Should().Be("Bearer test-key");
        request.Json().GetProperty("userId").GetString().Should().Be("jane@example.com");
        request.StatusCode.Should().Be(200);
    }

    [Fact]
    public async Task Both_apis_on_one_server()
    {
        #region testing-reuse-stubs
        using var stubs = TrainingApisStubServer.Start();

        using var symtrain = new SymtrainClient(new SymtrainClientOptions
        {
            BaseAddress = stubs.SymtrainBaseAddress,
            ApiKey = "test-key",              // any value: the stubs only require a Bearer token
        });

        using var senar = new SenarClient(new SenarClientOptions
        {
            BaseAddress = stubs.SenarBaseAddress,
            Username = "integration@example.com",
            Password = "Password8",
        });
        #endregion

        var link = await symtrain.Access.CreateDeepLinkAsync("org-1", "jane@example.com", "sim-001");
        var users = await senar.Users.ListAsync();

        link.SimulationId.Should().Be("sim-001");
        users.Should().ContainSingle();
        stubs.ReceivedRequests().Select(r => $"{r.Method} {r.Path} {r.StatusCode}").Should().Equal(
            "POST /v2/access-api/simulation/deep-links 200",
            "POST /api/auth/login 200",
            "GET /integration/data/users 200");
    }

    [Fact]
    public async Task Reset_drops_your_stubs_and_the_log_and_keeps_the_file_stubs()
    {
        using var stubs = TrainingApisStubServer.Start();
        stubs.Server.Given(Request.Create().WithPath("/v2/access-api/user/token").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(500));
        using var symtrain = new SymtrainClient(new SymtrainClientOptions { BaseAddress = stubs.SymtrainBaseAddress, ApiKey = $"k-{Guid.NewGuid():N}", Retry = new() { MaxRetries = 0 } });
        await symtrain.Invoking(s => s.Users.CreateAccessTokenAsync("org-1", "jane@example.com")).Should().ThrowAsync<TrainingApis.Core.ApiException>();

        stubs.Reset();

        stubs.ReceivedRequests().Should().BeEmpty();
        (await symtrain.Users.CreateAccessTokenAsync("org-1", "jane@example.com")).Token.Should().Be("user-token-abc123");
        stubs.Server.MappingModels.Should().HaveCount(TrainingApisStubServer.MappingFiles.Count);
    }
}
