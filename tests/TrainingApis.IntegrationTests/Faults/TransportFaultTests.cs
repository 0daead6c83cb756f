using Senar.Client;
using Symtrain.Client;
using Symtrain.Client.Reports;
using TrainingApis.Core;
using TrainingApis.IntegrationTests.Infrastructure;

namespace TrainingApis.IntegrationTests.Faults;

/// <summary>Broken connections and garbage on the wire (injected by TransportFaultMiddleware), on calls that are safe to repeat.</summary>
[Collection(WireMockCollection.Name)]
public sealed class TransportFaultTests(WireMockFixture fixture) : WireMockTest(fixture)
{
    private const string CompletionData = "/v2/access-api/simulation/completion-data";

    // What SocketsHttpHandler reports for each fault: a reset socket, a connection closed before or inside the answer,
    // bytes that are no HTTP status line.
    private static readonly Dictionary<TransportFault, string> ClientErrors = new()
    {
        [TransportFault.ConnectionReset] = "SocketError.ConnectionReset",
        [TransportFault.EmptyResponse] = "HttpRequestError.ResponseEnded",
        [TransportFault.MalformedResponseChunk] = "HttpRequestError.ResponseEnded",
        [TransportFault.RandomDataThenClose] = "HttpRequestError.InvalidResponse",
    };

    [Theory]
    [MemberData(nameof(Stub.TransportFaults), MemberType = typeof(Stub))]
    public async Task A_fault_on_every_attempt_is_retried_then_surfaces_as_an_api_exception_without_status(TransportFault fault)
    {
        Server.Add(Stub.For(RequestPattern.Post(CompletionData)).Faults(fault));
        using var client = new SymtrainClient(TestClients.SymtrainOptions(Server));

        var act = () => client.Access.GetCompletionDataAsync("org-1", "jane@example.com", "sim-001");

        var thrown = await act.Should().ThrowExactlyAsync<ApiException>();
        thrown.Which.StatusCode.Should().BeNull("no usable response arrived");
        thrown.Which.IsTransient.Should().BeTrue();
        thrown.Which.InnerException.Should().Match<Exception>(e => e is HttpRequestException || e is IOException);
        thrown.Which.Message.Should().Contain(CompletionData);
        ErrorsOf(thrown.Which).Should().Contain(ClientErrors[fault], "the client met the fault the stub asked for");
        Server.Count(RequestPattern.Post(CompletionData)).Should().Be(1 + TestClients.MaxRetries);
        Server.FaultsOn(CompletionData).Should().Be(1 + TestClients.MaxRetries, "every attempt met the fault");
    }

    [Theory]
    [MemberData(nameof(Stub.TransportFaults), MemberType = typeof(Stub))]
    public async Task A_single_fault_is_retried_and_the_call_succeeds(TransportFault fault)
    {
        Server.Add(Stub.For(RequestPattern.Post(CompletionData)).InScenario("one-fault", "Started", "healed").Faults(fault));
        using var client = new SymtrainClient(TestClients.SymtrainOptions(Server));

        var executions = await client.Access.GetCompletionDataAsync("org-1", "jane@example.com", "sim-001");

        executions.Should().HaveCount(2);
        Server.Count(RequestPattern.Post(CompletionData)).Should().Be(2);
        Server.FaultsOn(CompletionData).Should().Be(1);
    }

    [Theory]
    [MemberData(nameof(Stub.TransportFaults), MemberType = typeof(Stub))]
    public async Task A_single_fault_on_a_senar_list_is_retried_with_the_same_token(TransportFault fault)
    {
        const string path = "/integration/data/users";
        Server.Add(Stub.For(RequestPattern.Get(path)).InScenario("one-fault", "Started", "healed").Faults(fault));
        using var client = new SenarClient(TestClients.SenarOptions(Server));

        var users = await client.Users.ListAsync();

        users.Should().ContainSingle();
        Server.Count(RequestPattern.Get(path).WithBearer("eedx...")).Should().Be(2);
        Server.FaultsOn(path).Should().Be(1);
        Server.Count(RequestPattern.Post("/api/auth/login")).Should().Be(1, "a broken connection is not an expired token");
    }

    [Fact]
    public async Task A_streamed_report_broken_after_its_headers_is_not_replayed()
    {
        // The 200 and its headers arrived, so rows may already be with the caller: replaying would duplicate them.
        const string path = "/v2/report/users";
        Server.Add(Stub.For(RequestPattern.Post(path)).Faults(TransportFault.MalformedResponseChunk));
        using var client = new SymtrainClient(TestClients.SymtrainOptions(Server));
        var range = new DateRange(new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 31));

        var act = async () =>
        {
            await foreach (var row in client.Reports.StreamReportAsync(SymtrainReport.Users, range))
            {
                row.Should().NotBeNull();
            }
        };

        var thrown = await act.Should().ThrowExactlyAsync<ApiException>();
        thrown.Which.InnerException.Should().Match<Exception>(e => e is HttpRequestException || e is IOException);
        Server.Count(RequestPattern.Post(path)).Should().Be(1);
        Server.FaultsOn(path).Should().Be(1);
    }

    private static List<string> ErrorsOf(Exception exception)
    {
        var errors = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case HttpRequestException request:
                    errors.Add($"HttpRequestError.{request.HttpRequestError}");
                    break;
                case HttpIOException io:
                    errors.Add($"HttpRequestError.{io.HttpRequestError}");
                    break;
                case System.Net.Sockets.SocketException socket:
                    errors.Add($"SocketError.{socket.SocketErrorCode}");
                    break;
            }
        }

        return errors;
    }
}
