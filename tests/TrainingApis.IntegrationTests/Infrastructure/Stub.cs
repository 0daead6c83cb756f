using System.Text.Json.Nodes;
using Newtonsoft.Json.Linq;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;

namespace TrainingApis.IntegrationTests.Infrastructure;

/// <summary>
/// A per-test WireMock.Net stub. Priority 1 by default, so it wins over the file stubs of the TrainingApis.WireMock
/// package (priority 5).
/// </summary>
public sealed class Stub
{
    /// <summary>The state every scenario is in before a stub moves it.</summary>
    public const string StartedState = "Started";

    private readonly RequestPattern _request;
    private readonly Response _response = (Response)Response.Create().WithStatusCode(200);
    private int _priority = 1;
    private string? _scenario;
    private string? _requiredState;
    private string? _newState;

    private Stub(RequestPattern request) => _request = request;

    public static Stub For(RequestPattern request) => new(request);

    /// <summary>The transport faults, for theories over all of them.</summary>
    public static TheoryData<TransportFault> TransportFaults => new()
    {
        TransportFault.ConnectionReset,
        TransportFault.EmptyResponse,
        TransportFault.MalformedResponseChunk,
        TransportFault.RandomDataThenClose,
    };

    public Stub WithPriority(int priority)
    {
        _priority = priority;
        return this;
    }

    /// <summary>
    /// Matches only while the scenario is in <paramref name="requiredState"/> (<see cref="StartedState"/> at first), and
    /// moves it to <paramref name="newState"/> when it answers (or leaves it where it is).
    /// </summary>
    public Stub InScenario(string scenario, string requiredState, string? newState = null)
    {
        _scenario = scenario;
        _requiredState = requiredState;
        _newState = newState;
        return this;
    }

    /// <summary>Answers with a status and a JSON body.</summary>
    public Stub Returns(int status, JsonNode? json = null, params (string Name, string Value)[] headers)
    {
        _response.WithStatusCode(status);
        if (json is not null)
        {
            // WireMock.Net serializes with Newtonsoft.Json, and templates each string of a JSON body on its own.
            _response.WithBodyAsJson(JToken.Parse(json.ToJsonString())).WithHeader("Content-Type", "application/json");
        }

        foreach (var (name, value) in headers)
        {
            _response.WithHeader(name, value);
        }

        return this;
    }

    /// <summary>Answers with a raw body (anything: HTML, truncated JSON) and its content type.</summary>
    public Stub ReturnsBody(int status, string body, string contentType, params (string Name, string Value)[] headers)
    {
        _response.WithStatusCode(status).WithBody(body).WithHeader("Content-Type", contentType);
        foreach (var (name, value) in headers)
        {
            _response.WithHeader(name, value);
        }

        return this;
    }

    /// <summary>A transport fault instead of the answer, after the whole request was read (see <see cref="TransportFaultMiddleware"/>).</summary>
    public Stub Faults(TransportFault fault)
    {
        _response.WithHeader(TransportFaultMiddleware.Header, fault.ToString());
        return this;
    }

    /// <summary>
    /// Holds the response back for this long after the request arrived. The request is logged and the scenario moved at
    /// once: the hold happens in <see cref="TransportFaultMiddleware"/>, not in WireMock.Net, which logs a request only
    /// once its delay is over.
    /// </summary>
    public Stub Delayed(int milliseconds)
    {
        _response.WithHeader(TransportFaultMiddleware.DelayHeader, milliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return this;
    }

    /// <summary>Renders the body with WireMock.Net's Handlebars templating (e.g. <c>{{JsonPath.SelectToken request.body "$.startDate"}}</c>).</summary>
    public Stub Templated()
    {
        // Evaluate: a rendered string stays a string (the default would turn "2024-01-01" into a DateTime).
        _response.WithTransformer(TransformerType.Handlebars, false, ReplaceNodeOptions.Evaluate);
        return this;
    }

    internal void AddTo(WireMockServer server)
    {
        var mapping = server.Given(_request.ToRequestBuilder()).AtPriority(_priority);
        if (_scenario is not null)
        {
            mapping = mapping.InScenario(_scenario);
            if (_requiredState != StartedState)
            {
                mapping = mapping.WhenStateIs(_requiredState!);
            }

            // WireMock.Net clears the state of a scenario whose stub sets none; staying is setting the same state.
            var next = _newState ?? (_requiredState == StartedState ? null : _requiredState);
            if (next is not null)
            {
                mapping = mapping.WillSetStateTo(next);
            }
        }

        mapping.RespondWith(_response);
    }
}
