using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace TrainingApis.Core.Json;

/// <summary>
/// A response body as <see cref="JsonRowReader"/> reads it: its first bytes peeked to tell an array from an object, every
/// byte checked to be UTF-8 (the serializer checks only the strings it decodes, not skipped fields nor JsonElements),
/// and, for a bare array, about one row at most read ahead of the last row completed.
/// </summary>
internal sealed class Utf8CheckedStream(Stream inner, int maxItemBytes) : Stream
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
    private int _start; // _buffer[_start.._end] is checked and not read yet; _buffer[_end.._filled] a character cut by a read.
    private int _end;
    private int _filled;
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
            var bytes = _buffer.AsSpan(_start, _filled - _start);
            var start = bytes.StartsWith("\uFEFF"u8) ? 3 : 0;
            var first = bytes[start..].IndexOfAnyExcept(" \t\r\n"u8);
            if (first >= 0 && (bytes.Length >= 3 || !"\uFEFF"u8.StartsWith(bytes) || _over))
            {
                return bytes[start + first];
            }

            if (_over || _filled == _buffer.Length)
            {
                return first >= 0 ? bytes[start + first] : _over ? -1 : throw new JsonException("The JSON response starts with over 16 KB of white space.");
            }

            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Notes that a row was completed: the read-ahead bound counts from here.</summary>
    public void RowRead() => _sinceRow = 0;

    /// <summary>What this stream refused, told as a failure of row <paramref name="row"/>; null when it refused nothing.</summary>
    public JsonException? Failure(long row) => _failure is null ? null : new JsonException($"Row {row} of the list {_failure}.");

    /// <summary>
    /// The whole body in a pooled buffer (return it to the shared pool), and where its first byte that is not UTF-8 is
    /// (-1 when none is).
    /// </summary>
    public async ValueTask<(byte[] Buffer, int Length, int InvalidAt)> ReadToEndAsync(long maxBytes, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(2 * _buffer.Length);
        var length = _filled - _start;
        _buffer.AsSpan(_start, length).CopyTo(buffer);
        try
        {
            // Read straight into the page (checked whole at the end): a second copy of each byte would cost more.
            for (var read = -1; read != 0 && !_over; length += read)
            {
                if (length > maxBytes)
                {
                    throw new JsonException($"The JSON object is larger than {maxBytes} bytes (MaxResponseBufferSize).");
                }

                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Array.MaxLength, buffer.Length * 2L));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                read = await inner.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            }

            var valid = ValidLength(buffer.AsSpan(0, length));
            return (buffer, length, valid < length ? valid : -1);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_sinceRow > maxItemBytes)
        {
            _failure ??= $"is larger than {maxItemBytes} bytes";
        }

        // Hands over the bytes before an invalid one (so that the rows before it are read), then throws.
        while (_start == _end && !_over && _failure is null)
        {
            await FillAsync(cancellationToken).ConfigureAwait(false);
        }

        var count = Math.Min(buffer.Length, _end - _start);
        if (count == 0 && _failure is not null)
        {
            throw new JsonException($"The response {_failure}.");
        }

        _buffer.AsSpan(_start, count).CopyTo(buffer.Span);
        _start += count;
        _sinceRow += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }

        base.Dispose(disposing);
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    // Reads more bytes and checks those that end a character (a character cut by the read waits for the next one).
    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _filled - _start).CopyTo(_buffer);
            (_end, _filled, _start) = (_end - _start, _filled - _start, 0);
        }

        var read = await inner.ReadAsync(_buffer.AsMemory(_filled), cancellationToken).ConfigureAwait(false);
        _over = read == 0;
        _filled += read;
        var data = _buffer.AsSpan(_end, _filled - _end);
        var complete = _over ? data.Length : CompleteLength(data);
        var valid = ValidLength(data[..complete]);
        _end += valid;
        if (valid < complete)
        {
            _failure = "is not valid UTF-8 text";
        }
    }

    // How many bytes of data are valid UTF-8 before the first that is not.
    private static int ValidLength(ReadOnlySpan<byte> data)
    {
        if (Utf8.IsValid(data))
        {
            return data.Length;
        }

        var valid = 0;
        while (Rune.DecodeFromUtf8(data[valid..], out _, out var length) == OperationStatus.Done)
        {
            valid += length;
        }

        return valid;
    }

    // The length of data without a last character that continues past it.
    private static int CompleteLength(ReadOnlySpan<byte> data)
    {
        for (var back = 1; back <= Math.Min(3, data.Length); back++)
        {
            var value = data[^back];
            if ((value & 0xC0) != 0x80)
            {
                var size = value >= 0xF0 ? 4 : value >= 0xE0 ? 3 : value >= 0xC0 ? 2 : 1;
                return size > back ? data.Length - back : data.Length;
            }
        }

        return data.Length;
    }
}
