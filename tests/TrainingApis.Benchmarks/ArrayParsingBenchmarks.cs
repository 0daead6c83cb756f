using System.Text.Json;
using BenchmarkDotNet.Attributes;
using TrainingApis.Core.Json;

namespace TrainingApis.Benchmarks;

/// <summary>
/// A bare array of 200,000 Senar activities (124 MB) read from memory, 16 KB per read: the row reader alone, without
/// the loopback server's scheduling noise of <see cref="StreamingBenchmarks"/>. <c>SerializerAlone</c> is
/// System.Text.Json's <c>DeserializeAsyncEnumerable</c> with no wrapper: what the row reader's checks cost on top of it.
/// </summary>
[MemoryDiagnoser]
public class ArrayParsingBenchmarks
{
    [Benchmark(Baseline = true)]
    public Task<int> SerializerAlone() => CountAsync(JsonSerializer.DeserializeAsyncEnumerable(new ChunkedStream(Payloads.Activities), BenchJsonContext.Default.BenchActivity)!);

    [Benchmark]
    public Task<int> RowReader() => CountAsync(JsonRowReader.ReadAsync(new ChunkedStream(Payloads.Activities), BenchJsonContext.Default.BenchActivity));

    internal static async Task<int> CountAsync(IAsyncEnumerable<BenchActivity> rows)
    {
        var count = 0;
        await foreach (var row in rows)
        {
            count += row.Id > 0 ? 1 : 0;
        }

        return count == Payloads.ActivityCount ? count : throw new InvalidOperationException($"Read {count} activities, expected {Payloads.ActivityCount}.");
    }
}
