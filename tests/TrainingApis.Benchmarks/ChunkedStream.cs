namespace TrainingApis.Benchmarks;

/// <summary>A body in memory that hands over at most 16 KB per read, as a socket does.</summary>
internal sealed class ChunkedStream(byte[] bytes) : MemoryStream(bytes, writable: false)
{
    private const int ChunkBytes = 16 * 1024;

    public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, ChunkBytes));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        base.ReadAsync(buffer[..Math.Min(buffer.Length, ChunkBytes)], cancellationToken);
}
