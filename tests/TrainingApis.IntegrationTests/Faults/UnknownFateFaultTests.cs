using Senar.Client;
using Senar.Client.Webhooks;
using Symtrain.Client;
using Symtrain.Client.Users;
using TrainingApis.Core;
using TrainingApis.IntegrationTests.Infrastructure;

namespace TrainingApis.IntegrationTests.Faults;

/// <summary>
/// Calls that are not idempotent (a bulk-import upload, a webhook registration): when the request was sent and the
/// answer was lost, the server may have acted on it, so the SDK must not send it twice.
/// </summary>
[Collection(WireMockCollection.Name)]
public sealed class UnknownFateFaultTests(WireMockFixture fixture) : WireMockTest(fixture)
{
    private const string BulkImport = "/v2/access-api/user/bulk-import";
    private const string WebhookRegister = "/integration/data/webhook_register";

    [Theory]
    [MemberData(nameof(Stub.TransportFaults), MemberType = typeof(Stub))]
    public async Task A_bulk_import_whose_answer_is_lost_is_sent_exactly_once(TransportFault fault)
    {
        Server.Add(Stub.For(RequestPattern.Post(BulkImport)).Faults(fault));
        using var client = new SymtrainClient(TestClients.SymtrainOptions(Server));

        var act = () => client.Users.BulkImportAsync("org-1", [new BulkImportRow { FirstName = "Jane", LastName = "Doe", Email = "jane@example.com" }]);

        var thrown = await act.Should().ThrowExactlyAsync<ApiException>();
        thrown.Which.StatusCode.Should().BeNull();
        Server.Count(RequestPattern.Post(BulkImport)).Should().Be(1);
        Server.FaultsOn(BulkImport).Should().Be(1, "the one upload was read whole, then the connection broke");
    }

    [Theory]
    [MemberData(nameof(Stub.TransportFaults), MemberType = typeof(Stub))]
    public async Task A_webhook_registration_whose_answer_is_lost_is_sent_exactly_once(TransportFault fault)
    {
        Server.Add(Stub.For(RequestPattern.Post(WebhookRegister)).Faults(fault));
        using var client = new SenarClient(TestClients.SenarOptions(Server));

        // The login went first on the same pooled connection, so the registration travels on a reused connection.
        var act = () => client.Webhooks.RegisterAsync(new Uri("https://hooks.zapier.com/hooks/catch/1/a/"), SenarWebhookEvent.Activity);

        var thrown = await act.Should().ThrowExactlyAsync<ApiException>();
        thrown.Which.StatusCode.Should().BeNull();
        Server.Count(RequestPattern.Post(WebhookRegister)).Should().Be(1);
        Server.FaultsOn(WebhookRegister).Should().Be(1);
        Server.Count(RequestPattern.Post("/api/auth/login")).Should().Be(1);
    }
}
