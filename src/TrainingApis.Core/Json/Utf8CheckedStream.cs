using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace TrainingApis.Core.Json;

/// <summary>
/// A response body as <see cref="JsonRowReader"/> reads it: its first bytes peeked to tell an array from an object, every
/// byte checked to be UTF-8 (the serializer checks only the strings it decodes, not skipped fields nor JsonElements),
/// and, for a bare array, about <c>maxItemBytes</c> at most read past the last row completed.
/// </summary>
internal sealed class Utf8CheckedStream(Stream inner, int maxItemBytes) : Stream
{
    private readonly byte[] _held = new byte[4]; // The start of a character that a read cut, checked once it is whole.
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(4096); // What the peek read: checked, handed over first.
    private byte[]? _page;
    private int _start;
    private int _end;
    private int _heldCount;
    private int _refused; // Bytes after an invalid one that the peek read: a page keeps them, to say which row is invalid.
    private bool _over;
    private long _sinceRow;
    private string? _failure;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>The first byte after a byte order mark and white space, or -1 for an empty body; the bytes stay to be read.</summary>
    public async ValueTask<int> PeekAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var bytes = _buffer.AsSpan(0, _end);
            var start = bytes.StartsWith("\uFEFF"u8) ? 3 : 0;
            var first = bytes[start..].IndexOfAnyExcept(" \t\r\n"u8);
            if (first >= 0 || _over || _failure is not null || _end > _buffer.Length - 8)
            {
                return first >= 0 ? bytes[start + first] : _end == 0 || _over ? -1 : throw new JsonException("The JSON response starts with over 4 KB of white space.");
            }

            _end += await FillAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Notes that a row was completed: the read-ahead bound counts from here.</summary>
    public void RowRead() => _sinceRow = 0;

    /// <summary>What this stream refused, told as a failure of row <paramref name="row"/>; null when it refused nothing.</summary>
    public JsonException? Failure(long row) => _failure is null ? null : new JsonException($"Row {row} of the list {_failure}.");

    /// <summary>The rest of the body (kept until disposed), and where its first byte that is not UTF-8 is (-1 when none is).</summary>
    public async ValueTask<(byte[] Page, int Length, int InvalidAt)> ReadToEndAsync(long maxBytes, CancellationToken cancellationToken)
    {
        _page = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var length = _end + _refused - _start;
        _buffer.AsSpan(_start, length).CopyTo(_page);
        _held.AsSpan(0, _heldCount).CopyTo(_page.AsSpan(length));
        length += _heldCount;

        // Straight into the page, checked whole at the end: a second copy of each byte would cost more.
        for (var read = -1; read != 0 && !_over; length += read)
        {
            if (length > maxBytes)
            {
                throw new JsonException($"The JSON object is larger than {maxBytes} bytes (MaxResponseBufferSize).");
            }

            if (length == _page.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Array.MaxLength, _page.Length * 2L));
                _page.AsSpan(0, length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_page);
                _page = larger;
            }

            read = await inner.ReadAsync(_page.AsMemory(length), cancellationToken).ConfigureAwait(false);
        }

        var valid = ValidLength(_page.AsSpan(0, length));
        return (_page, length, valid < length ? valid : -1);
    }

    // Pooled: a read of the network that completes later would otherwise allocate a state machine every time.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_sinceRow > maxItemBytes)
        {
            _failure ??= $"is larger than {maxItemBytes} bytes";
        }

        // The peeked bytes first, then straight from the stream; the bytes before an invalid one are handed over (so that
        // the rows before it are read), then the next read throws.
        var count = Math.Min(buffer.Length, _end - _start);
        _buffer.AsSpan(_start, count).CopyTo(buffer.Span);
        _start += count;
        if (count == 0 && _failure is null && !_over)
        {
            count = buffer.Length < _held.Length ? throw new ArgumentException("Read at least 4 bytes at a time.", nameof(buffer))
                : await FillAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        _sinceRow += count;
        return count > 0 || _failure is null ? count : throw new JsonException($"The response {_failure}.");
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        foreach (var pooled in disposing ? [_buffer, _page ?? []] : Array.Empty<byte[]>())
        {
            if (pooled.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(pooled);
            }
        }

        (_buffer, _page) = ([], null);
        base.Dispose(disposing);
    }

    // How many bytes of data are valid UTF-8 before the first that is not.
    private static int ValidLength(ReadOnlySpan<byte> data)
    {
        var valid = Utf8.IsValid(data) ? data.Length : 0;
        while (valid < data.Length && Rune.DecodeFromUtf8(data[valid..], out _, out var length) == OperationStatus.Done)
        {
            valid += length;
        }

        return valid;
    }

    // Reads into target (at least 4 bytes long), after the bytes held from the last read; how many bytes are checked.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> FillAsync(Memory<byte> target, CancellationToken cancellationToken)
    {
        while (true)
        {
            _held.AsSpan(0, _heldCount).CopyTo(target.Span);
            var read = await inner.ReadAsync(target[_heldCount..], cancellationToken).ConfigureAwait(false);
            _over = read == 0;
            var data = target.Span[..(_heldCount + read)];
            var complete = data.Length;
            for (var back = 1; back <= Math.Min(3, data.Length) && !_over; back++)
            {
                if ((data[^back] & 0xC0) != 0x80)
                {
                    // The lead byte of the last character: does the character fit in what was read?
                    complete -= (data[^back] >= 0xF0 ? 4 : data[^back] >= 0xE0 ? 3 : data[^back] >= 0xC0 ? 2 : 1) > back ? back : 0;
                    break;
                }
            }

            data[complete..].CopyTo(_held);
            _heldCount = data.Length - complete;
            var valid = ValidLength(data[..complete]);
            _refused = complete - valid;
            _failure ??= valid < complete ? "is not valid UTF-8 text" : null;
            if (valid > 0 || _over || _failure is not null)
            {
                return valid;
            }
        }
    }
}
