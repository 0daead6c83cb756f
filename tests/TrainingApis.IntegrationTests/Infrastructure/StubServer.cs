using TrainingApis.WireMock;
using WireMock.Admin.Mappings;
using WireMock.Settings;

namespace TrainingApis.IntegrationTests.Infrastructure;

/// <summary>
/// The suite's server: the package's <see cref="TrainingApisStubServer"/> (WireMock.Net in process, every endpoint
/// stubbed from the package's mapping files), with <see cref="TransportFaultMiddleware"/> in front of WireMock.Net.
/// </summary>
public sealed class StubServer : IDisposable
{
    private readonly TransportFaultMiddleware _faults;

    private StubServer(TrainingApisStubServer stubs, TransportFaultMiddleware faults)
    {
        Stubs = stubs;
        _faults = faults;
    }

    public TrainingApisStubServer Stubs { get; }

    public Uri BaseAddress => Stubs.SymtrainBaseAddress;

    /// <summary>The stub mappings the server holds now (file stubs and per-test stubs).</summary>
    public IReadOnlyList<MappingModel> Mappings => [.. Stubs.Server.MappingModels];

    public static StubServer Start()
    {
        var faults = new TransportFaultMiddleware();
        var server = new StubServer(TrainingApisStubServer.Start(new WireMockServerSettings { PreWireMockMiddlewareInit = faults.Register }), faults);
        server.WarmUp();
        return server;
    }

    /// <summary>File stubs back, per-test stubs gone, scenarios at their start, request log and fault counts empty.</summary>
    public void Reset()
    {
        Stubs.Reset();
        _faults.Reset();
    }

    /// <summary>Adds a per-test stub (priority 1 unless set otherwise, so it wins over the file stubs at priority 5).</summary>
    public void Add(Stub stub)
    {
        ArgumentNullException.ThrowIfNull(stub);
        stub.AddTo(Stubs.Server);
    }

    /// <summary>The number of received requests matching <paramref name="pattern"/>, those answered with a transport fault included.</summary>
    public int Count(RequestPattern pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        _faults.WaitUntilLogged();
        return pattern.CountIn(Stubs.Server);
    }

    /// <summary>The number of transport faults produced on <paramref name="path"/>.</summary>
    public int FaultsOn(string path) => _faults.FaultsOn(path);

    /// <summary>The requests received, oldest first (all, or those to <paramref name="path"/>).</summary>
    public IReadOnlyList<ReceivedStubRequest> ReceivedRequests(string? path = null)
    {
        _faults.WaitUntilLogged();
        return Stubs.ReceivedRequests(path);
    }

    /// <summary>The current state of a scenario: "Started" until a stub moves it (as in WireMock's own naming).</summary>
    public string ScenarioState(string scenario) =>
        Stubs.Server.Scenarios.Where(s => s.Name == scenario).Select(s => s.NextState).FirstOrDefault() ?? Stub.StartedState;

    /// <summary>Moves a scenario to <paramref name="state"/>: the test plays the server's side of an event (a token expiring).</summary>
    public void SetScenarioState(string scenario, string state) => Stubs.Server.SetScenarioState(scenario, state);

    /// <summary>Requests that matched no stub: a contract drift shows here first.</summary>
    public IReadOnlyList<string> Unmatched() =>
        [.. Stubs.Server.FindUnmatchedLogEntries().Select(e => $"{e.RequestMessage?.Method} {e.RequestMessage?.Url} {e.RequestMessage?.Body}")];

    public void Dispose() => Stubs.Dispose();

    // The first request through WireMock.Net compiles its matchers and JSON paths (hundreds of milliseconds on a busy
    // machine); the tests with 300 ms attempt timeouts must not pay for it.
    private void WarmUp()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        using var report = new StringContent("""{"startDate": "2024-01-01", "endDate": "2024-01-31"}""", System.Text.Encoding.UTF8, "application/json");
        report.Headers.ContentType!.CharSet = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/report/users") { Content = report };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "warm-up");
        using var response = http.Send(request);
        response.EnsureSuccessStatusCode();
        Reset();
    }
}
