using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace TrainingApis.Core.Json;

/// <summary>
/// A response body as <see cref="JsonRowReader"/> reads it: its first bytes peeked to tell an array from an object; for a
/// bare array, every byte checked to be UTF-8 as it is handed over (System.Text.Json checks only the strings it decodes,
/// not skipped values, property names nor JsonElements) and reads refused once the serializer's buffer, which grows to
/// hold the row it is on, would pass <c>maxItemBytes</c>; for a page, the rest of the body read into one buffer.
/// </summary>
internal sealed class Utf8CheckedStream(Stream inner, int maxItemBytes) : Stream
{
    private readonly byte[] _held = new byte[4]; // The start of a character that a read cut, handed over once whole.
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(4096); // The peeked bytes, handed over first; then a page.
    private int _start;
    private int _end;
    private int _heldCount;
    private string? _failure;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    private static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>The first byte after a byte order mark and white space, or -1 for an empty body; the bytes stay to be read.</summary>
    public async ValueTask<int> PeekAsync(CancellationToken cancellationToken)
    {
        for (var read = -1; ; _end += read)
        {
            var bytes = _buffer.AsSpan(0, _end);
            var start = bytes.StartsWith(Bom) ? Bom.Length : 0;
            var first = Bom.StartsWith(bytes) ? -1 : bytes[start..].IndexOfAnyExcept(" \t\r\n"u8);
            if (first >= 0 || read == 0) return first < 0 ? -1 : bytes[start + first];

            read = _end < _buffer.Length ? await inner.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false)
                : throw new JsonException("The JSON response starts with over 4 KB of white space.");
        }
    }

    /// <summary>What this stream refused, told as a failure of row <paramref name="row"/>; null when it refused nothing.</summary>
    public JsonException? Failure(long row) => _failure is null ? null : new JsonException($"Row {row} of the list {_failure}.");

    /// <summary>
    /// The whole body, unchecked and kept until disposed, at most <paramref name="maxBytes"/> long: in one buffer of
    /// <paramref name="expectedBytes"/> (the body's Content-Length) when known, else grown fourfold at a time.
    /// </summary>
    public async ValueTask<ArraySegment<byte>> ReadToEndAsync(long maxBytes, long? expectedBytes, CancellationToken cancellationToken)
    {
        var length = _end;
        Grow(length, Math.Max(length, Math.Min(Math.Max(expectedBytes ?? 0, 64 * 1024), Math.Min(maxBytes, Array.MaxLength - 1))) + 1);
        for (var read = -1; read != 0; length += read)
        {
            if (length > maxBytes) throw new JsonException($"The JSON object is larger than {maxBytes} bytes (MaxResponseBufferSize).");
            if (length == _buffer.Length) Grow(length, length * 4L);
            read = await inner.ReadAsync(_buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
        }

        return new(_buffer, 0, length);
    }

    // Pooled: a read of the network that completes later would otherwise allocate a state machine every time.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _failure ??= buffer.Length > maxItemBytes ? $"is larger than {maxItemBytes} bytes" : null;
        var count = buffer.Length < _held.Length ? throw new ArgumentException("Read at least 4 bytes at a time.", nameof(buffer)) : 0;
        for (var read = -1; count == 0 && read != 0 && _failure is null;)
        {
            // The peeked bytes first, then the stream's, after the start of a character that the last read cut.
            _held.AsSpan(0, _heldCount).CopyTo(buffer.Span);
            read = Math.Min(buffer.Length - _heldCount, _end - _start);
            _buffer.AsSpan(_start, read).CopyTo(buffer.Span[_heldCount..]);
            _start += read;
            read = read > 0 ? read : await inner.ReadAsync(buffer[_heldCount..], cancellationToken).ConfigureAwait(false);
            var data = buffer.Span[..(_heldCount + read)];
            count = read == 0 ? data.Length : Complete(data);
            data[count..].CopyTo(_held);
            _heldCount = data.Length - count;
            if (ValidLength(data[..count]) is var valid && valid < count)
            {
                // The bytes before it are handed over (so that the rows before it are read), then the next read throws.
                (count, _failure) = (valid, "is not valid UTF-8 text");
            }
        }

        return count > 0 || _failure is null ? count : throw new JsonException($"The response {_failure}.");
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>How many bytes of <paramref name="data"/> are valid UTF-8 before the first that is not.</summary>
    internal static int ValidLength(ReadOnlySpan<byte> data)
    {
        var valid = Utf8.IsValid(data) ? data.Length : 0;
        while (valid < data.Length && Rune.DecodeFromUtf8(data[valid..], out _, out var length) == OperationStatus.Done) valid += length;
        return valid;
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

    // How much of data ends on a whole character: the start of one that the read cut waits for the next read.
    private static int Complete(ReadOnlySpan<byte> data)
    {
        var lead = data.Length - 1;
        while (lead > Math.Max(0, data.Length - 4) && (data[lead] & 0xC0) == 0x80) lead--;
        var size = data[lead] >= 0xF0 ? 4 : data[lead] >= 0xE0 ? 3 : data[lead] >= 0xC0 ? 2 : 1;
        return lead + size > data.Length ? lead : data.Length;
    }

    private void Grow(int length, long size)
    {
        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Array.MaxLength, size));
        _buffer.AsSpan(0, length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
