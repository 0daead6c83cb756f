using System.Text.Json;
using BenchmarkDotNet.Attributes;
using TrainingApis.Core.Json;

namespace TrainingApis.Benchmarks;

/// <summary>
/// The JSON part of a report call alone, from memory: where the per-call time of <see cref="PerCallBenchmarks"/> goes
/// once the network is taken out.
/// </summary>
[MemoryDiagnoser]
public class ReportParsingBenchmarks
{
    private static readonly string[] s_rowProperties = ["results", "data", "items", "records"];
    private byte[] _body = [];

    [Params(10_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup() => _body = Payloads.CreateReport(Rows);

    /// <summary>The floor: the whole envelope by source generation.</summary>
    [Benchmark(Baseline = true)]
    public async Task<int> Floor()
    {
        using var stream = new MemoryStream(_body, writable: false);
        var envelope = await JsonSerializer.DeserializeAsync(stream, BenchJsonContext.Default.BenchEnvelope);
        return envelope?.Results?.Count ?? 0;
    }

    /// <summary>The stream reader yielding typed rows.</summary>
    [Benchmark]
    public async Task<int> StreamReaderTyped()
    {
        using var stream = new MemoryStream(_body, writable: false);
        var rows = new List<BenchRow>();
        await foreach (var row in JsonArrayStreamReader.ReadAsync(stream, BenchJsonContext.Default.BenchRow, new JsonEnvelope(s_rowProperties)))
        {
            rows.Add(row);
        }

        return rows.Count;
    }

    /// <summary>The stream reader yielding JSON elements, each then read as a typed row.</summary>
    [Benchmark]
    public async Task<int> StreamReaderElementThenTyped()
    {
        using var stream = new MemoryStream(_body, writable: false);
        var rows = new List<BenchRow>();
        await foreach (var element in JsonArrayStreamReader.ReadAsync(stream, BenchJsonContext.Default.JsonElement, new JsonEnvelope(s_rowProperties)))
        {
            rows.Add(element.Deserialize(BenchJsonContext.Default.BenchRow)!);
        }

        return rows.Count;
    }
}
