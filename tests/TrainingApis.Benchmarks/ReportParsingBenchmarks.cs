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

    [Params(1, 10_000)]
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

    /// <summary>Typed rows collected into a list, as <c>GetReportAsync</c> reads a page (<c>ApiConnection.ReadRowsAsync</c>, with the Content-Length).</summary>
    [Benchmark]
    public async Task<int> ReadInto()
    {
        var rows = new List<BenchRow>();
        await foreach (var row in JsonRowReader.ReadAsync(new MemoryStream(_body, writable: false), BenchJsonContext.Default.BenchRow, new JsonEnvelope(s_rowProperties), pageRows: rows, expectedBytes: _body.Length))
        {
            rows.Add(row);
        }

        return rows.Count;
    }

    /// <summary>Typed rows yielded one by one, as <c>StreamReportAsync</c> reads a page.</summary>
    [Benchmark]
    public async Task<int> Stream()
    {
        var count = 0;
        await foreach (var row in JsonRowReader.ReadAsync(new MemoryStream(_body, writable: false), BenchJsonContext.Default.BenchRow, new JsonEnvelope(s_rowProperties)))
        {
            count += row.Attempts >= 0 ? 1 : 0;
        }

        return count;
    }
}
