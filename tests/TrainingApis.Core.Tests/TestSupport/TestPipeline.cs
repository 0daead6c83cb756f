using System.Collections.Concurrent;
using System.Net;
using TrainingApis.Core.Diagnostics;
using TrainingApis.Core.Http;
using TrainingApis.Core.RateLimiting;
using TrainingApis.Testing;

namespace TrainingApis.Core.Tests.TestSupport;

/// <summary>
/// A client pipeline built the way the clients build it (<see cref="ApiPipeline.CreateChain"/> over an HttpClient) on a
/// <see cref="FakeHttpHandler"/> and a <see cref="FakeTimeProvider"/>, recording the fake time each attempt reached the server.
/// </summary>
internal sealed class TestPipeline : IDisposable
{
    private readonly ConcurrentDictionary<int, DateTimeOffset> _sendTimes = new();

    private TestPipeline(
        Func<int, RecordedRequest, CancellationToken, Task<HttpResponseMessage>> respond,
        TestOptions options,
        FakeTimeProvider time,
        QuotaLimiter? quota,
        Func<ApiPipelineSettings, DelegatingHandler?>? authentication,
        Func<double>? jitter,
        ApiDiagnostics? diagnostics,
        Func<IEnumerable<string?>>? secrets)
    {
        Time = time;
        Options = options;
        Quota = quota;
        Handler = new FakeHttpHandler(async (_, recorded, n, cancellationToken) =>
        {
            _sendTimes[n] = time.GetUtcNow();
            return await respond(n, recorded, cancellationToken);
        });
        Settings = new ApiPipelineSettings
        {
            ServiceName = "Test",
            Options = options,
            TimeProvider = time,
            Quota = quota is null ? null : () => quota,
            Jitter = jitter ?? (static () => 0.0),
            Diagnostics = diagnostics,
        };
        Client = new HttpClient(ApiPipeline.CreateChain(Handler, Settings, authentication?.Invoke(Settings)))
        {
            BaseAddress = options.BaseAddress,
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
        Connection = new ApiConnection(Client, "Test", diagnostics, secrets, time);
    }

    public FakeTimeProvider Time { get; }

    public TestOptions Options { get; }

    public QuotaLimiter? Quota { get; }

    public FakeHttpHandler Handler { get; }

    public ApiPipelineSettings Settings { get; }

    public HttpClient Client { get; }

    public ApiConnection Connection { get; }

    /// <summary>The fake time at which each attempt reached the server, in order.</summary>
    public IReadOnlyList<DateTimeOffset> SendTimes => [.. _sendTimes.OrderBy(p => p.Key).Select(p => p.Value)];

    /// <summary>Fake time elapsed between consecutive attempts.</summary>
    public IReadOnlyList<TimeSpan> Gaps
    {
        get
        {
            var times = SendTimes;
            return [.. times.Skip(1).Select((t, i) => t - times[i])];
        }
    }

    public static TestPipeline Create(
        Func<int, RecordedRequest, CancellationToken, Task<HttpResponseMessage>> respond,
        Action<TestOptions>? configure = null,
        FakeTimeProvider? time = null,
        QuotaLimiter? quota = null,
        Func<ApiPipelineSettings, DelegatingHandler?>? authentication = null,
        Func<double>? jitter = null,
        ApiDiagnostics? diagnostics = null,
        Func<IEnumerable<string?>>? secrets = null)
    {
        var options = new TestOptions();
        configure?.Invoke(options);
        return new TestPipeline(respond, options, time ?? FakeTime.Create(), quota, authentication, jitter, diagnostics, secrets);
    }

    /// <summary>A pipeline whose server answers attempt n (0-based) with <paramref name="respond"/>(n).</summary>
    public static TestPipeline Create(
        Func<int, HttpResponseMessage> respond,
        Action<TestOptions>? configure = null,
        FakeTimeProvider? time = null,
        QuotaLimiter? quota = null,
        Func<ApiPipelineSettings, DelegatingHandler?>? authentication = null,
        Func<double>? jitter = null,
        ApiDiagnostics? diagnostics = null,
        Func<IEnumerable<string?>>? secrets = null) =>
        Create((n, _, _) => Task.FromResult(respond(n)), configure, time, quota, authentication, jitter, diagnostics, secrets);

    /// <summary>A pipeline whose server answers attempt n with the n-th status (the last one repeats), bodies "{}".</summary>
    public static TestPipeline WithStatuses(params HttpStatusCode[] statuses) =>
        Create(n => FakeHttpHandler.JsonResponse("{}", statuses[Math.Min(n, statuses.Length - 1)]));

    public static HttpRequestMessage Get(string path = "v1/things") =>
        ApiConnection.CreateRequest(HttpMethod.Get, path, "Things.Get");

    public static HttpRequestMessage Post(string json = "{\"name\":\"x\"}", string path = "v1/things")
    {
        var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        return ApiConnection.CreateRequest(HttpMethod.Post, path, "Things.Create", content);
    }

    /// <summary>Sends the request and drives it to completion in fake time.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken = default) =>
        await Time.RunAsync(Client.SendAsync(request, cancellationToken));

    /// <summary>Sends the request, drives it in fake time, and returns what it threw.</summary>
    public async Task<Exception> SendFailingAsync(HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        var task = Client.SendAsync(request, cancellationToken);
        try
        {
            await Time.RunAsync(task);
        }
        catch (Exception ex)
        {
            return ex;
        }

        throw new InvalidOperationException($"The request succeeded with {(int)task.Result.StatusCode}; it was expected to fail.");
    }

    public static HttpResponseMessage Status(HttpStatusCode status, string json = "{}") => FakeHttpHandler.JsonResponse(json, status);

    public static HttpResponseMessage WithRetryAfter(HttpResponseMessage response, TimeSpan delta)
    {
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(delta);
        return response;
    }

    public static HttpResponseMessage WithRetryAfter(HttpResponseMessage response, DateTimeOffset date)
    {
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(date);
        return response;
    }

    public void Dispose() => Client.Dispose();
}
