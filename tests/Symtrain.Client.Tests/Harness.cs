using System.Net;
using System.Text.Json.Nodes;
using TrainingApis.Core;
using TrainingApis.Testing;

namespace Symtrain.Client.Tests;

/// <summary>A hand-built client over a scripted handler and a fake clock of its own (so quotas never leak between tests).</summary>
internal sealed class Harness : IDisposable
{
    public const string ApiKey = "sk_test_0123456789abcdef";

    public Harness(Func<RecordedRequest, int, HttpResponseMessage> respond, Action<SymtrainClientOptions>? configure = null)
    {
        Time = FakeTime.Create();
        Handler = new FakeHttpHandler(respond);
        Options = new SymtrainClientOptions
        {
            ApiKey = ApiKey,
            Retry = new RetryOptions { MaxRetries = 0 },
        };
        configure?.Invoke(Options);
        Client = new SymtrainClient(Options, Handler, Time);
    }

    public FakeTimeProvider Time { get; }

    public FakeHttpHandler Handler { get; }

    public SymtrainClientOptions Options { get; }

    public SymtrainClient Client { get; }

    public IReadOnlyList<RecordedRequest> Requests => Handler.Requests;

    public RecordedRequest Single => Handler.Requests.Should().ContainSingle().Subject;

    /// <summary>Answers every request with <paramref name="json"/>.</summary>
    public static Harness Json(string json, Action<SymtrainClientOptions>? configure = null, HttpStatusCode status = HttpStatusCode.OK) =>
        new((_, _) => FakeHttpHandler.JsonResponse(json, status), configure);

    /// <summary>Answers request n with <paramref name="bodies"/>[n] (the last one repeated).</summary>
    public static Harness Sequence(params string[] bodies) =>
        new((_, n) => FakeHttpHandler.JsonResponse(bodies[Math.Min(n, bodies.Length - 1)]));

    /// <summary>The JSON body of a request.</summary>
    public static JsonObject Body(RecordedRequest request) => JsonNode.Parse(request.Body)!.AsObject();

    /// <summary>The names of a request's JSON body, in order.</summary>
    public static IEnumerable<string> Names(RecordedRequest request) => Body(request).Select(p => p.Key);

    /// <summary>Checks the parts every JSON call shares: POST, the exact path, the bearer key, the JSON content type.</summary>
    public static void ShouldBeJsonPost(RecordedRequest request, string path)
    {
        request.Method.Should().Be(HttpMethod.Post);
        request.Uri!.GetLeftPart(UriPartial.Path).Should().Be("https://api.symtrain.com" + path);
        request.Uri.Query.Should().BeEmpty();
        request.Authorization.Should().Be("Bearer " + ApiKey);
        request.ContentType.Should().Be("application/json; charset=utf-8");
    }

    public void Dispose() => Client.Dispose();
}
