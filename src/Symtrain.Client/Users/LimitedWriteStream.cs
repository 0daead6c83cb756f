namespace Symtrain.Client.Users;

/// <summary>
/// Collects what is written up to a limit, then only counts: a file that turns out too large costs at most the limit in
/// memory, and its full size is still known for the error message.
/// </summary>
internal sealed class LimitedWriteStream : Stream
{
    private readonly MemoryStream? _buffer;
    private readonly long _limit;

    /// <param name="limit">The most bytes kept.</param>
    /// <param name="keep">False to count only (nothing is kept).</param>
    public LimitedWriteStream(long limit, bool keep)
    {
        _limit = limit;
        _buffer = keep ? new MemoryStream() : null;
    }

    /// <summary>How many bytes were written.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Whether more than the limit was written.</summary>
    public bool Exceeded => BytesWritten > _limit;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => BytesWritten;

    public override long Position
    {
        get => BytesWritten;
        set => throw new NotSupportedException();
    }

    /// <summary>The bytes written; only when they were kept and within the limit.</summary>
    public byte[] ToArray() => _buffer is not null && !Exceeded ? _buffer.ToArray() : throw new InvalidOperationException("The content was not kept.");

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        BytesWritten += buffer.Length;
        if (Exceeded)
        {
            if (_buffer is { Capacity: > 0 })
            {
                _buffer.SetLength(0); // Past the limit the content is never used: free it.
                _buffer.Capacity = 0;
            }

            return;
        }

        _buffer?.Write(buffer);
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _buffer?.Dispose();
        }

        base.Dispose(disposing);
    }
}
