using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024); // Bytes [_start, _checked) checked, to go out; then a page.
    private int _start;
    private int _checked;
    private int _end;
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

            // A first byte that is not ASCII waits for 4 bytes: enough to name a foreign byte order mark (JsonReadFailure.DescribeStart).
            if ((first >= 0 && (bytes[start + first] < 0x80 || bytes.Length - start - first >= 4)) || read == 0) return first < 0 ? -1 : bytes[start + first];

            read = _end < 4096 ? await inner.ReadAsync(_buffer.AsMemory(_end, 4096 - _end), cancellationToken).ConfigureAwait(false)
                : throw new JsonException("The JSON response starts with over 4 KB of white space.");
        }
    }

    /// <summary>The bytes peeked so far (after <see cref="PeekAsync"/>, at least 4 when the first one is not ASCII and the body has them).</summary>
    public ReadOnlySpan<byte> Peeked => _buffer.AsSpan(0, _end);

    /// <summary>What this stream refused, told as a failure of row <paramref name="row"/> (0: of the body); null when it refused nothing.</summary>
    public JsonException? Failure(long row) => _failure is null ? null : new JsonException(row > 0 ? $"Row {row} of the list {_failure}." : $"The response {_failure}.");

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
        // The serializer's whole buffer (it doubles to hold the row it is on) is bounded, not what is left of it; the body ends there.
        if (_failure is null && (MemoryMarshal.TryGetArray<byte>(buffer, out var array) ? array.Array!.Length : buffer.Length) > maxItemBytes) (_failure, _checked) = ($"is larger than {maxItemBytes} bytes", _start);
        for (var read = -1; _start == _checked && _failure is null && read != 0;)
        {
            // The unchecked bytes (peeked, or the start of a character that a read cut) move to the front and, unless
            // they hold a whole character, more are read after them: any read size works, down to 1 byte.
            _buffer.AsSpan(_checked, _end - _checked).CopyTo(_buffer);
            (_start, _end, _checked) = (0, _end - _checked, 0);
            read = _end > 0 && Complete(_buffer.AsSpan(0, _end)) > 0 ? -1 : await inner.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            _end += Math.Max(read, 0);
            _checked = read == 0 ? _end : Complete(_buffer.AsSpan(0, _end));
            if (ValidLength(_buffer.AsSpan(0, _checked)) is var valid && valid < _checked)
            {
                (_checked, _failure) = (valid, "is not valid UTF-8 text"); // The bytes before it still go out, then the body ends.
            }
        }

        var count = Math.Min(buffer.Length, _checked - _start);
        _buffer.AsSpan(_start, count).CopyTo(buffer.Span);
        _start += count;
        return count; // After a failure the body ends: the serializer's error then names the row it is in.
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
