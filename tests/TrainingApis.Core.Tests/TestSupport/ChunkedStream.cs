namespace TrainingApis.Core.Tests.TestSupport;

/// <summary>
/// A read-only stream over bytes that returns at most a few bytes per read (sizes cycling through
/// <see cref="ChunkSizes"/>), and can fail with an <see cref="IOException"/> at a given position.
/// </summary>
internal sealed class ChunkedStream(byte[] data, int[]? chunkSizes = null, long failAt = -1) : Stream
{
    private long _position;
    private int _reads;

    public int[] ChunkSizes { get; } = chunkSizes ?? [1, 2, 3, 4, 5, 6, 7];

    public int ReadCount => _reads;

    public bool IsDisposed { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (failAt >= 0 && _position >= failAt)
        {
            throw new IOException("The connection was reset (test).");
        }

        var size = ChunkSizes[_reads++ % ChunkSizes.Length];
        var count = (int)Math.Min(Math.Min(size, buffer.Length), data.Length - _position);
        if (failAt >= 0)
        {
            count = (int)Math.Min(count, failAt - _position);
        }

        data.AsSpan((int)_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<int>(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    protected override void Dispose(bool disposing)
    {
        IsDisposed = true;
        base.Dispose(disposing);
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
