using System.Text.Json.Nodes;

namespace TrainingApis.IntegrationTests.Infrastructure;

/// <summary>
/// A per-test WireMock stub mapping. Priority 1 by default, so it wins over the file stubs of Mappings/ (priority 5).
/// </summary>
public sealed class Stub
{
    private readonly JsonObject _mapping;
    private readonly JsonObject _response = new() { ["status"] = 200 };

    private Stub(RequestPattern request)
    {
        _mapping = new JsonObject { ["priority"] = 1, ["request"] = request.ToJson(), ["response"] = _response };
    }

    public static Stub For(RequestPattern request) => new(request);

    /// <summary>The WireMock faults that break a connection or the wire format, for theories over all of them.</summary>
    public static TheoryData<string> TransportFaults => new()
    {
        "CONNECTION_RESET_BY_PEER",
        "EMPTY_RESPONSE",
        "MALFORMED_RESPONSE_CHUNK",
        "RANDOM_DATA_THEN_CLOSE",
    };

    public Stub WithPriority(int priority)
    {
        _mapping["priority"] = priority;
        return this;
    }

    /// <summary>
    /// Matches only while the scenario is in <paramref name="requiredState"/> ("Started" at first), and moves it to
    /// <paramref name="newState"/> when it answers.
    /// </summary>
    public Stub InScenario(string scenario, string requiredState, string? newState = null)
    {
        _mapping["scenarioName"] = scenario;
        _mapping["requiredScenarioState"] = requiredState;
        if (newState is not null)
        {
            _mapping["newScenarioState"] = newState;
        }

        return this;
    }

    /// <summary>Answers with a status and a JSON body.</summary>
    public Stub Returns(int status, JsonNode? json = null, params (string Name, string Value)[] headers)
    {
        _response["status"] = status;
        if (json is not null)
        {
            _response["jsonBody"] = json.DeepClone();
            SetHeader("Content-Type", "application/json");
        }

        foreach (var (name, value) in headers)
        {
            SetHeader(name, value);
        }

        return this;
    }

    /// <summary>Answers with a raw body (anything: HTML, truncated JSON) and its content type.</summary>
    public Stub ReturnsBody(int status, string body, string contentType, params (string Name, string Value)[] headers)
    {
        _response["status"] = status;
        _response["body"] = body;
        SetHeader("Content-Type", contentType);
        foreach (var (name, value) in headers)
        {
            SetHeader(name, value);
        }

        return this;
    }

    /// <summary>
    /// A WireMock fault instead of a response: CONNECTION_RESET_BY_PEER, EMPTY_RESPONSE, MALFORMED_RESPONSE_CHUNK or
    /// RANDOM_DATA_THEN_CLOSE.
    /// </summary>
    public Stub Faults(string fault)
    {
        _response.Remove("status");
        _response["fault"] = fault;
        return this;
    }

    /// <summary>Holds the response back for this long after the request arrived.</summary>
    public Stub Delayed(int milliseconds)
    {
        _response["fixedDelayMilliseconds"] = milliseconds;
        return this;
    }

    /// <summary>Renders the body with WireMock's Handlebars response templating (e.g. <c>{{jsonPath request.body '$.startDate'}}</c>).</summary>
    public Stub Templated()
    {
        _response["transformers"] = new JsonArray("response-template");
        return this;
    }

    public JsonObject ToJson() => (JsonObject)_mapping.DeepClone();

    private void SetHeader(string name, string value)
    {
        var headers = _response["headers"] as JsonObject ?? [];
        _response["headers"] = headers;
        headers[name] = value;
    }
}
