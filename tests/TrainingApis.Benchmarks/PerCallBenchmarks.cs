using System.Net.Http.Headers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Flurl.Http;
using Flurl.Http.Configuration;
using Refit;
using RestSharp;
using Symtrain.Client;
using Symtrain.Client.Reports;
using TrainingApis.Core;

namespace TrainingApis.Benchmarks;

/// <summary>
/// One Symtrain report call (1 row, 10,000 rows) through the SDK, the hand-written floor
/// (HttpClient + System.Text.Json source generation), Refit, Flurl.Http and RestSharp, against the same loopback server.
/// </summary>
[MemoryDiagnoser]
public class PerCallBenchmarks
{
    private static readonly DateRange s_range = new(new DateOnly(2024, 1, 1), new DateOnly(2024, 6, 28));
    private static readonly MediaTypeHeaderValue s_json = new("application/json") { CharSet = "utf-8" };

    private LoopbackServer? _server;
    private SymtrainClient? _sdk;
    private HttpClient? _floor;
    private RestClient? _rest;
    private HttpClient? _refitHttp;
    private IBenchReportApi? _refit;
    private FlurlClient? _flurl;

    [Params(1, 10_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _server = await LoopbackServer.StartAsync(Payloads.CreateReport(Rows));
        _sdk = new SymtrainClient(new SymtrainClientOptions
        {
            BaseAddress = _server.BaseAddress,
            ApiKey = "benchmark-key",
            RateLimit = new RateLimitOptions { Enabled = false },
        });
        _floor = new HttpClient(new SocketsHttpHandler()) { BaseAddress = _server.BaseAddress };
        _floor.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "benchmark-key");
        _rest = new RestClient(new RestClientOptions(_server.BaseAddress));
        _rest.AddDefaultHeader("Authorization", "Bearer benchmark-key");
        _refitHttp = new HttpClient(new SocketsHttpHandler()) { BaseAddress = _server.BaseAddress };
        _refitHttp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "benchmark-key");
        _refit = RestService.For<IBenchReportApi>(_refitHttp);

        // Flurl's default serializer uses System.Text.Json's plain defaults (PascalCase, case-sensitive); web defaults
        // make it send the same body as the others and read the camelCase envelope.
        var flurlHttp = new HttpClient(new SocketsHttpHandler()) { BaseAddress = _server.BaseAddress };
        flurlHttp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "benchmark-key");
        _flurl = new FlurlClient(flurlHttp);
        _flurl.Settings.JsonSerializer = new DefaultJsonSerializer(new JsonSerializerOptions(JsonSerializerDefaults.Web));

        // Every way must read the same number of rows, or the comparison means nothing.
        Check(await Floor(), nameof(Floor));
        Check(await SdkTyped(), nameof(SdkTyped));
        Check(await SdkReportRow(), nameof(SdkReportRow));
        Check(await Refit(), nameof(Refit));
        Check(await Flurl(), nameof(Flurl));
        Check(await RestSharp(), nameof(RestSharp));
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _sdk?.Dispose();
        _floor?.Dispose();
        _rest?.Dispose();
        _refitHttp?.Dispose();
        _flurl?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>
    /// The floor: HttpClient POST with a source-generated body, the envelope read by source generation. The body is
    /// sent with a Content-Length, as the SDK sends it, so the server does the same work for both and the
    /// difference is the client's (a JsonContent body would be chunked, costing the in-process server about 1 KB more).
    /// </summary>
    [Benchmark(Baseline = true)]
    public async Task<int> Floor()
    {
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new BenchReportRequest(s_range.StartText, s_range.EndText), BenchJsonContext.Default.BenchReportRequest));
        content.Headers.ContentType = s_json;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/report/users") { Content = content };
        using var response = await _floor!.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync();
        var envelope = await JsonSerializer.DeserializeAsync(stream, BenchJsonContext.Default.BenchEnvelope);
        return envelope?.Results?.Count ?? 0;
    }

    /// <summary>The SDK with a caller's source-generated row type.</summary>
    [Benchmark]
    public async Task<int> SdkTyped()
    {
        var rows = await _sdk!.Reports.GetReportAsync(SymtrainReport.Users, s_range, BenchJsonContext.Default.BenchRow);
        return rows.Count;
    }

    /// <summary>The SDK's untyped rows (each row kept as JSON).</summary>
    [Benchmark]
    public async Task<int> SdkReportRow()
    {
        var rows = await _sdk!.Reports.GetUsersAsync(s_range);
        return rows.Count;
    }

    /// <summary>Refit 16 with its default serializer (System.Text.Json, web defaults, reflection) and a buffered body.</summary>
    [Benchmark]
    public async Task<int> Refit()
    {
        var envelope = await _refit!.GetUsersAsync(new BenchReportRequest(s_range.StartText, s_range.EndText));
        return envelope.Results?.Count ?? 0;
    }

    /// <summary>Flurl.Http 4 with its System.Text.Json serializer on web defaults.</summary>
    [Benchmark]
    public async Task<int> Flurl()
    {
        var envelope = await _flurl!.Request("v2/report/users")
            .PostJsonAsync(new BenchReportRequest(s_range.StartText, s_range.EndText))
            .ReceiveJson<BenchEnvelope>();
        return envelope.Results?.Count ?? 0;
    }

    /// <summary>RestSharp 114 with its default (reflection-based System.Text.Json) serializer.</summary>
    [Benchmark]
    public async Task<int> RestSharp()
    {
        var request = new RestRequest("/v2/report/users", Method.Post)
            .AddJsonBody(new BenchReportRequest(s_range.StartText, s_range.EndText));
        var response = await _rest!.ExecuteAsync<BenchEnvelope>(request);
        if (!response.IsSuccessful)
        {
            throw new InvalidOperationException($"RestSharp call failed: {response.StatusCode} {response.ErrorMessage}");
        }

        return response.Data?.Results?.Count ?? 0;
    }

    private void Check(int rows, string name)
    {
        if (rows != Rows)
        {
            throw new InvalidOperationException($"{name} read {rows} rows, expected {Rows}.");
        }

        // The same request for every way: a body with a Content-Length (a chunked one costs the in-process server more).
        if (_server!.ChunkedPosts != 0)
        {
            throw new InvalidOperationException($"{name} sent its request body chunked; send it with a Content-Length.");
        }
    }
}
