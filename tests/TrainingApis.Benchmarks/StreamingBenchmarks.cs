using System.Net.Http.Headers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Senar.Client;
using TrainingApis.Core;
using TrainingApis.Core.Json;

namespace TrainingApis.Benchmarks;

/// <summary>
/// 200,000 Senar activities: the SDK's StreamAsync (row by row) vs its ListAsync (all in a list) vs a hand-written
/// read of the body as a string followed by one deserialization. MemoryDiagnoser reports allocated bytes; peak
/// managed memory is what a buffered way has to hold at once (the body string plus the list).
/// </summary>
[MemoryDiagnoser]
public class StreamingBenchmarks
{
    private LoopbackServer? _server;
    private SenarClient? _sdk;
    private HttpClient? _plain;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _server = await LoopbackServer.StartAsync(Payloads.CreateReport(1), Payloads.Activities);
        _sdk = new SenarClient(new SenarClientOptions
        {
            BaseAddress = _server.BaseAddress,
            Username = "bench",
            Password = "bench-password",
            RateLimit = new RateLimitOptions { Enabled = false },
            MaxResponseBufferSize = 1L << 30,
        });
        _plain = new HttpClient(new SocketsHttpHandler()) { BaseAddress = _server.BaseAddress };
        _plain.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "t");

        Check(await StreamAsync(), nameof(StreamAsync));
        Check(await ListAsync(), nameof(ListAsync));
        Check(await StringThenDeserialize(), nameof(StringThenDeserialize));
        Check(await ReaderOverHttp(), nameof(ReaderOverHttp));
        Check(await SerializerAloneOverHttp(), nameof(SerializerAloneOverHttp));
    }

    internal SenarClient Sdk => _sdk ?? throw new InvalidOperationException("Call SetupAsync first.");

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _sdk?.Dispose();
        _plain?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>The baseline here is the buffered hand-written way.</summary>
    [Benchmark(Baseline = true)]
    public async Task<int> StringThenDeserialize() => (await StringThenDeserializeList()).Count;

    internal async Task<List<BenchActivity>> StringThenDeserializeList()
    {
        var json = await _plain!.GetStringAsync("integration/data/activities");
        return JsonSerializer.Deserialize(json, BenchJsonContext.Default.ListBenchActivity) ?? [];
    }

    [Benchmark]
    public async Task<int> ListAsync()
    {
        var list = await _sdk!.Activities.ListAsync();
        return list.Count;
    }

    [Benchmark]
    public async Task<int> StreamAsync()
    {
        var count = 0;
        await foreach (var activity in _sdk!.Activities.StreamAsync())
        {
            count += activity.Id > 0 ? 1 : 0;
        }

        return count;
    }

    /// <summary>The SDK's row reader alone over the same HTTP body (no pipeline), as <c>StreamAsync</c> uses it.</summary>
    [Benchmark]
    public async Task<int> ReaderOverHttp()
    {
        using var response = await _plain!.GetAsync("integration/data/activities", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var count = 0;
        await foreach (var activity in JsonRowReader.ReadAsync(body, BenchJsonContext.Default.BenchActivity))
        {
            count += activity.Id > 0 ? 1 : 0;
        }

        return count;
    }

    /// <summary>System.Text.Json's own streaming alone, the same way: what the row reader adds to it (checks, numbering).</summary>
    [Benchmark]
    public async Task<int> SerializerAloneOverHttp()
    {
        using var response = await _plain!.GetAsync("integration/data/activities", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var count = 0;
        await foreach (var activity in JsonSerializer.DeserializeAsyncEnumerable(body, BenchJsonContext.Default.BenchActivity))
        {
            count += activity!.Id > 0 ? 1 : 0;
        }

        return count;
    }

    private static void Check(int count, string name)
    {
        if (count != Payloads.ActivityCount)
        {
            throw new InvalidOperationException($"{name} read {count} activities, expected {Payloads.ActivityCount}.");
        }
    }
}
