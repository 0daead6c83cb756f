namespace Symtrain.Client.Users;

/// <summary>
/// A read-only view of a caller's stream that can show its first bytes before they are read (for a <c>sep=</c> line) and
/// stops with <see cref="LimitExceededException"/> once more than a limit has been read, so that an endless or huge
/// input costs at most the limit (plus one read) in I/O and memory.
/// </summary>
internal sealed class SizeLimitedReadStream : Stream
{
    private readonly Stream _inner;
    private readonly long _limit;
    private byte[] _prefix = [];
    private int _prefixPosition;

    public SizeLimitedReadStream(Stream inner, long limit)
    {
        _inner = inner;
        _limit = limit;
    }

    /// <summary>How many bytes were read from the caller's stream.</summary>
    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Reads up to <paramref name="count"/> bytes ahead, to be read again by the next reads.</summary>
    public async Task<ReadOnlyMemory<byte>> PeekAsync(int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            var read = await ReadInnerAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        _prefix = buffer[..filled];
        _prefixPosition = 0;
        return _prefix;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (TakePrefix(buffer) is var taken and > 0)
        {
            return taken;
        }

        return Count(_inner.Read(buffer));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (TakePrefix(buffer.Span) is var taken and > 0)
        {
            return ValueTask.FromResult(taken);
        }

        return ReadInnerAsync(buffer, cancellationToken);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private async ValueTask<int> ReadInnerAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        Count(await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    private int TakePrefix(Span<byte> buffer)
    {
        var available = _prefix.Length - _prefixPosition;
        if (available <= 0 || buffer.IsEmpty)
        {
            return 0;
        }

        var taken = Math.Min(available, buffer.Length);
        _prefix.AsSpan(_prefixPosition, taken).CopyTo(buffer);
        _prefixPosition += taken;
        return taken;
    }

    private int Count(int read)
    {
        BytesRead += read;
        if (BytesRead > _limit)
        {
            throw new LimitExceededException();
        }

        return read;
    }

    /// <summary>More than the limit was read.</summary>
    internal sealed class LimitExceededException : IOException
    {
        public LimitExceededException()
            : base("The input is larger than its limit.")
        {
        }

        public LimitExceededException(string message)
            : base(message)
        {
        }

        public LimitExceededException(string message, Exception innerException)
            : base(message, innerException)
        {
        }
    }
}
