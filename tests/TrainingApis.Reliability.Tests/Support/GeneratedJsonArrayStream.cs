using System.Text;

namespace TrainingApis.Reliability.Tests.Support;

/// <summary>
/// A JSON array of <c>count</c> copies of one row, produced as it is read (never held whole), counting the bytes read,
/// so a test can show that a streaming call yields rows before the body has been read.
/// </summary>
internal sealed class GeneratedJsonArrayStream : Stream
{
    private readonly byte[] _row;
    private readonly int _count;
    private long _position;

    public GeneratedJsonArrayStream(string row, int count)
    {
        _row = Encoding.UTF8.GetBytes(row);
        _count = count;
        Length = 2 + ((long)_row.Length * count) + Math.Max(0, count - 1);
    }

    public long BytesRead => Interlocked.Read(ref _position);

    public override long Length { get; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        // Small reads, like a network: at most 4 KiB at a time.
        var written = 0;
        var limit = Math.Min(buffer.Length, 4096);
        while (written < limit && _position < Length)
        {
            buffer[written++] = ByteAt(_position);
            _position++;
        }

        return written;
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

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private byte ByteAt(long position)
    {
        if (position == 0)
        {
            return (byte)'[';
        }

        if (position == Length - 1)
        {
            return (byte)']';
        }

        var stride = _row.Length + 1;
        var inRow = (position - 1) % stride;
        return inRow < _row.Length ? _row[inRow] : (byte)',';
    }
}
