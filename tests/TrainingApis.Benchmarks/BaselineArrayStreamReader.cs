using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace TrainingApis.Benchmarks;

/// <summary>
/// THE BASELINE OF THE RECORDED COMPARISON in docs/benchmarks.md ("JSON reading on System.Text.Json"): the SDK's former
/// row reader (a vectorized cutter), copied unchanged but for its names; not used by the SDK.
/// Reads the rows of a JSON response one at a time, from a bare array or from an array inside the root object, without
/// holding the whole response: memory stays flat in the number of rows (one buffer, about the size of the largest row).
/// Each row is cut out of the buffer by a vectorized scan of its brackets and strings, checked to be UTF-8, and parsed
/// once from its own bytes (see <c>docs/benchmarks.md</c> for what that saves).
/// </summary>
internal static class BaselineArrayStreamReader
{
    private const int InitialBufferSize = 16 * 1024;
    private const int MaxCapturedValueBytes = 64 * 1024;
    private const int DefaultMaxItemBytes = 16 * 1024 * 1024;

    /// <summary>
    /// Yields each element of the rows array, deserialized with <paramref name="itemType"/>. Invalid, truncated or trailing
    /// JSON throws <see cref="JsonException"/>, after the rows read before it. After the enumeration,
    /// <paramref name="envelope"/> holds the root object's other values.
    /// </summary>
    /// <param name="utf8Json">The response body.</param>
    /// <param name="itemType">How to read one row.</param>
    /// <param name="envelope">Where rows may be, and what else was read; a bare array only when null (an object root is then a <see cref="JsonException"/>).</param>
    /// <param name="maxItemBytes">The largest single row accepted.</param>
    /// <param name="cancellationToken">Checked between rows and reads.</param>
    public static async IAsyncEnumerable<T> ReadAsync<T>(
        Stream utf8Json,
        JsonTypeInfo<T> itemType,
        BaselineEnvelope? envelope = null,
        int maxItemBytes = DefaultMaxItemBytes,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = new RowReader<T>(utf8Json, itemType, envelope, maxItemBytes);
        var batch = new List<T>();
        while (await reader.ReadAsync(batch, cancellationToken).ConfigureAwait(false))
        {
            foreach (var item in batch)
            {
                yield return item;
                cancellationToken.ThrowIfCancellationRequested();
            }

            batch.Clear();
        }
    }

    /// <summary>
    /// Reads every element of the rows array into <paramref name="rows"/> (appended), like <see cref="ReadAsync"/> but
    /// without handing the rows over one by one: the way to collect a whole list. Invalid, truncated or trailing JSON
    /// throws <see cref="JsonException"/>; the rows read before it are then in <paramref name="rows"/>.
    /// </summary>
    /// <param name="utf8Json">The response body.</param>
    /// <param name="itemType">How to read one row.</param>
    /// <param name="rows">Where the rows are added.</param>
    /// <param name="envelope">Where rows may be, and what else was read; a bare array only when null.</param>
    /// <param name="maxItemBytes">The largest single row accepted.</param>
    /// <param name="cancellationToken">Checked between reads.</param>
    public static async Task ReadIntoAsync<T>(
        Stream utf8Json,
        JsonTypeInfo<T> itemType,
        List<T> rows,
        BaselineEnvelope? envelope = null,
        int maxItemBytes = DefaultMaxItemBytes,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var reader = new RowReader<T>(utf8Json, itemType, envelope, maxItemBytes);
        while (await reader.ReadAsync(rows, cancellationToken).ConfigureAwait(false))
        {
        }
    }

    /// <summary>The body in a pooled buffer, read as far as the rows need, and the parser that cuts rows out of it.</summary>
    private sealed class RowReader<T> : IDisposable
    {
        private readonly Stream _stream;
        private readonly Parser<T> _parser;
        private readonly int _maxItemBytes;
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        private int _start;
        private int _end;
        private bool _isFinal;
        private bool _parsed;
        private bool _completed;
        private bool _atStart = true;

        public RowReader(Stream utf8Json, JsonTypeInfo<T> itemType, BaselineEnvelope? envelope, int maxItemBytes)
        {
            ArgumentNullException.ThrowIfNull(utf8Json);
            ArgumentNullException.ThrowIfNull(itemType);
            envelope?.Reset();
            _stream = utf8Json;
            _maxItemBytes = maxItemBytes;
            _parser = new Parser<T>(itemType, envelope);
        }

        /// <summary>Adds the next rows to <paramref name="output"/>; false once the body is over and every row was added.</summary>
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        public async ValueTask<bool> ReadAsync(List<T> output, CancellationToken cancellationToken)
        {
            while (!_completed)
            {
                if (_parsed)
                {
                    // The rows before a failure were handed over first, wherever the reads happened to split the body.
                    _parser.ThrowIfFailed();
                    if (_isFinal)
                    {
                        _completed = true;
                        _parser.Complete();
                        var count = output.Count;
                        output.AddRange(_parser.TakeFallbackItems());
                        return output.Count > count;
                    }

                    await FillAsync(cancellationToken).ConfigureAwait(false);
                }

                cancellationToken.ThrowIfCancellationRequested();
                if (_atStart && !SkipByteOrderMark())
                {
                    _parsed = true; // Too few bytes yet to tell a byte order mark from the body: read more first.
                    continue;
                }

                var before = output.Count;
                _start += _parser.Process(_buffer.AsSpan(_start, _end - _start), _isFinal, output);
                _parsed = true;
                if (output.Count > before)
                {
                    return true;
                }
            }

            return false;
        }

        public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);

        // A UTF-8 byte order mark may start the body (some servers write one); Utf8JsonReader would call it invalid JSON.
        private bool SkipByteOrderMark()
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            if (pending.Length < Utf8Bom.Length && !_isFinal && Utf8Bom.StartsWith(pending))
            {
                return false;
            }

            if (pending.StartsWith(Utf8Bom))
            {
                _start += Utf8Bom.Length;
            }

            _atStart = false;
            return true;
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        private async ValueTask FillAsync(CancellationToken cancellationToken)
        {
            // Make room: move the unread tail to the front, or grow when one value fills the whole buffer.
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                if (_buffer.Length >= _maxItemBytes)
                {
                    throw new JsonException($"A single JSON value is larger than {_maxItemBytes} bytes.");
                }

                var larger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, _maxItemBytes));
                Buffer.BlockCopy(_buffer, 0, larger, 0, _end);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }

            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            _isFinal = read == 0;
            _end += read;
            _parsed = false;
        }
    }

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 256 };
    private static readonly string[] CommonNames = ["page", "pageSize", "total"];

    // Where the reader resumes after the rows array, which is scanned without it: the state after `]` in the root
    // object, or after a whole root array.
    private static readonly JsonReaderState AfterArrayInObject = StateAfter("{\"rows\":[]"u8);
    private static readonly JsonReaderState AfterRootValue = StateAfter("[]"u8);

    private static readonly SearchValues<byte> ScalarEnd = SearchValues.Create(",]} \t\r\n"u8);

    private static JsonReaderState StateAfter(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, isFinalBlock: false, new JsonReaderState(ReaderOptions));
        while (reader.Read())
        {
        }

        return reader.CurrentState;
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> data, int position)
    {
        while (position < data.Length && data[position] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            position++;
        }

        return position;
    }

    /// <summary>
    /// The end (exclusive) of the JSON value starting at <paramref name="start"/>, or -1 when <paramref name="data"/> holds
    /// only part of it. Only brackets and strings are followed: the serializer validates the value afterwards.
    /// </summary>
    private static int FindValueEnd(ReadOnlySpan<byte> data, int start)
    {
        var first = data[start];
        if (first == (byte)'"')
        {
            return FindStringEnd(data, start + 1);
        }

        if (first is not ((byte)'{' or (byte)'['))
        {
            // A number or literal ends at a delimiter; at the end of the data it may go on in the next read, and
            // at the end of the body the missing delimiter makes the body truncated anyway.
            var length = data[start..].IndexOfAny(ScalarEnd);
            return length switch
            {
                < 0 => -1,
                0 => throw new JsonException($"Expected a row, found {Describe(first)}."),
                _ => start + length,
            };
        }

        // Only quotes, backslashes and brackets matter; vectors find them 32 (or 16) bytes at a time and the state
        // machine below visits those bytes alone (measured: 4x faster than a byte loop on a 10,000-row report).
        var scan = new StructureScan { EscapedAt = -1 };
        var position = start;
        ref var origin = ref MemoryMarshal.GetReference(data);
        if (Vector256.IsHardwareAccelerated)
        {
            for (; position + Vector256<byte>.Count <= data.Length; position += Vector256<byte>.Count)
            {
                var block = Vector256.LoadUnsafe(ref origin, (nuint)position);
                var lowered = block | Vector256.Create((byte)0x20); // '[' and ']' become '{' and '}'.
                var marks = Vector256.Equals(block, Vector256.Create((byte)'"')) | Vector256.Equals(block, Vector256.Create((byte)'\\'))
                    | Vector256.Equals(lowered, Vector256.Create((byte)'{')) | Vector256.Equals(lowered, Vector256.Create((byte)'}'));
                if (scan.Visit(data, position, marks.ExtractMostSignificantBits()) is var end and >= 0)
                {
                    return end;
                }
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (; position + Vector128<byte>.Count <= data.Length; position += Vector128<byte>.Count)
            {
                var block = Vector128.LoadUnsafe(ref origin, (nuint)position);
                var lowered = block | Vector128.Create((byte)0x20);
                var marks = Vector128.Equals(block, Vector128.Create((byte)'"')) | Vector128.Equals(block, Vector128.Create((byte)'\\'))
                    | Vector128.Equals(lowered, Vector128.Create((byte)'{')) | Vector128.Equals(lowered, Vector128.Create((byte)'}'));
                if (scan.Visit(data, position, marks.ExtractMostSignificantBits()) is var end and >= 0)
                {
                    return end;
                }
            }
        }

        for (; position < data.Length; position++)
        {
            if (scan.Visit(data, position) is var end and >= 0)
            {
                return end;
            }
        }

        return -1;
    }

    // From just after an opening quote: the index after the closing one, or -1 when it is not in the data yet.
    private static int FindStringEnd(ReadOnlySpan<byte> data, int position)
    {
        for (; position < data.Length; position++)
        {
            if (data[position] == (byte)'\\')
            {
                position++;
            }
            else if (data[position] == (byte)'"')
            {
                return position + 1;
            }
        }

        return -1;
    }

    private static string Describe(byte value) =>
        value is >= 0x20 and < 0x7F ? $"'{(char)value}'" : $"byte 0x{value:X2}";

    /// <summary>Where a structural scan is: bracket depth, inside a string or not, and the byte a backslash escapes.</summary>
    private struct StructureScan
    {
        public int Depth;
        public bool InString;
        public int EscapedAt;

        /// <summary>Visits the marked bytes of a block; the end of the value (exclusive) when it is among them, else -1.</summary>
        public int Visit(ReadOnlySpan<byte> data, int blockStart, uint marks)
        {
            while (marks != 0)
            {
                var end = Visit(data, blockStart + BitOperations.TrailingZeroCount(marks));
                if (end >= 0)
                {
                    return end;
                }

                marks &= marks - 1;
            }

            return -1;
        }

        /// <summary>Visits one byte; the end of the value (exclusive) when this byte closes it, else -1.</summary>
        public int Visit(ReadOnlySpan<byte> data, int position)
        {
            var value = data[position];
            if (position == EscapedAt)
            {
                return -1;
            }

            if (InString)
            {
                if (value == (byte)'"')
                {
                    InString = false;
                }
                else if (value == (byte)'\\')
                {
                    EscapedAt = position + 1;
                }
            }
            else if (value == (byte)'"')
            {
                InString = true;
            }
            else if (value is (byte)'{' or (byte)'[')
            {
                Depth++;
            }
            else if (value is (byte)'}' or (byte)']' && --Depth == 0)
            {
                return position + 1;
            }

            return -1;
        }
    }

    private enum Stage
    {
        Start,
        RootObject,
        PropertyValue,
        InArray,
        Done,
    }

    private sealed class Parser<T>(JsonTypeInfo<T> itemType, BaselineEnvelope? envelope)
    {
        private JsonReaderState _state = new(ReaderOptions);
        private System.Runtime.ExceptionServices.ExceptionDispatchInfo? _failure;
        private Stage _stage = Stage.Start;
        private bool _bareArray;
        private string? _property;
        private bool _rowsFound;
        private JsonElement? _fallback;
        private string? _fallbackName;
        private int _arrays;
        private bool _rowEnded;
        private bool _afterComma;
        private long _rows;

        public int Process(ReadOnlySpan<byte> data, bool isFinal, List<T> output)
        {
            var consumed = 0;
            var rowsBefore = output.Count;
            try
            {
                // The rows are cut out by a structural scan and each parsed once from its own span; the tokens around
                // them (the envelope) go through a Utf8JsonReader, resumed from the state saved between reads.
                while (_stage == Stage.InArray ? ReadRows(data, ref consumed, output) : ReadTokens(data, ref consumed, isFinal, output))
                {
                }
            }
            catch (JsonException ex) when (output.Count > rowsBefore)
            {
                // Hand over the rows read so far first; the failure is raised once they are consumed.
                _failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex);
                return consumed;
            }

            if (isFinal && _stage != Stage.Done)
            {
                var truncated = new JsonException("The JSON response ended before it was complete.");
                if (output.Count == rowsBefore)
                {
                    throw truncated;
                }

                _failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(truncated);
            }

            return consumed;
        }

        // Reads envelope tokens from data[consumed..]; true when the rows array starts, so the caller goes on with the rows.
        private bool ReadTokens(ReadOnlySpan<byte> data, ref int consumed, bool isFinal, List<T> output)
        {
            var offset = consumed;
            var reader = new Utf8JsonReader(data[offset..], isFinal, _state);
            if (_stage == Stage.Done)
            {
                // Only whitespace may follow the root value, however the body was split into reads.
                ThrowIfTrailingData(ref reader);
                _state = reader.CurrentState;
                consumed = offset + (int)reader.BytesConsumed;
                return false;
            }

            while (true)
            {
                var checkpoint = reader;
                if (!Step(ref reader))
                {
                    reader = checkpoint;
                    break;
                }

                consumed = offset + (int)reader.BytesConsumed;
                if (_stage == Stage.InArray)
                {
                    _rowEnded = false;
                    _afterComma = false;
                    return true;
                }

                if (_stage == Stage.Done)
                {
                    ThrowIfTrailingData(ref reader);
                    consumed = offset + (int)reader.BytesConsumed;
                    break;
                }
            }

            _state = reader.CurrentState;
            return false;
        }

        // Reads rows from data[consumed..] up to the end of the array (true) or of the whole rows available (false).
        private bool ReadRows(ReadOnlySpan<byte> data, ref int consumed, List<T> output)
        {
            var position = consumed;
            while (true)
            {
                position = SkipWhitespace(data, position);
                if (position == data.Length)
                {
                    consumed = position;
                    return false;
                }

                var next = data[position];
                if (next == (byte)']')
                {
                    if (_afterComma)
                    {
                        throw new JsonException("A comma is followed by ']' in the rows array.");
                    }

                    consumed = position + 1;
                    _stage = _bareArray ? Stage.Done : Stage.RootObject;
                    _state = _bareArray ? AfterRootValue : AfterArrayInObject;
                    return true;
                }

                if (_rowEnded)
                {
                    if (next != (byte)',')
                    {
                        throw new JsonException($"Expected ',' or ']' after a row, found {Describe(next)}.");
                    }

                    _rowEnded = false;
                    _afterComma = true;
                    consumed = ++position;
                    continue;
                }

                var end = FindValueEnd(data, position);
                if (end < 0)
                {
                    consumed = position;
                    return false;
                }

                var row = data[position..end];
                if (!System.Text.Unicode.Utf8.IsValid(row))
                {
                    // Checked for every type: a JsonElement (or a row holding one) decodes its text only when read, which
                    // would fail later in the caller's code, and a typed row may skip the field that is invalid.
                    throw new JsonException($"Row {_rows + 1} of the list is not valid UTF-8 text.");
                }

                if (++_rows == 1 && envelope is not null)
                {
                    envelope.FirstRowFingerprint = BaselineEnvelope.Fingerprint(row);
                }

                T? value;
                try
                {
                    // Parsed with the item type's options, so its MaxDepth (64 by default) bounds the row's nesting.
                    value = JsonSerializer.Deserialize(row, itemType);
                }
                catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or OverflowException)
                {
                    // The serializer's position is within the row alone; the row's number says where it is.
                    throw new JsonException($"Row {_rows} of the list could not be read: {ex.Message}", ex);
                }

                // A JSON null where a row should be would reach the caller as a null in a list of non-null rows.
                output.Add(value ?? throw new JsonException($"Row {_rows} of the list is null."));

                _rowEnded = true;
                _afterComma = false;
                consumed = position = end;
            }
        }

        private static void ThrowIfTrailingData(ref Utf8JsonReader reader)
        {
            // Read() skips whitespace and throws on anything else after a complete root value.
            if (reader.Read())
            {
                throw new JsonException("Unexpected data after the end of the JSON value.");
            }
        }

        public void ThrowIfFailed() => _failure?.Throw();

        public void Complete()
        {
            if (envelope is not null)
            {
                envelope.IsBareArray = _bareArray;
            }
        }

        public IEnumerable<T> TakeFallbackItems()
        {
            if (_rowsFound || _arrays != 1)
            {
                return [];
            }

            if (_fallback is not { } array)
            {
                throw new JsonException($"The only array of the response is over {MaxCapturedValueBytes} bytes and not under a known row property; name it in the BaselineEnvelope to stream it.");
            }

            // No known row property: the root object's single array is taken as the rows.
            envelope!.RowProperty = _fallbackName;
            return array.EnumerateArray().Select(element => element.Deserialize(itemType)!);
        }

        // One token-level step; false when the buffer holds too little to take it.
        private bool Step(ref Utf8JsonReader reader)
        {
            switch (_stage)
            {
                case Stage.Start:
                    if (!reader.Read())
                    {
                        return false;
                    }

                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        _bareArray = true;
                        _rowsFound = true;
                        _stage = Stage.InArray;
                    }
                    else if (reader.TokenType == JsonTokenType.StartObject && envelope is not null)
                    {
                        _stage = Stage.RootObject;
                    }
                    else if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        // No envelope was described: only a bare array is expected, and silently reading no rows would lose data.
                        throw new JsonException("Expected a JSON array, found an object.");
                    }
                    else
                    {
                        throw new JsonException($"Expected a JSON array or object, found {reader.TokenType}.");
                    }

                    return true;

                case Stage.RootObject:
                    if (!reader.Read())
                    {
                        return false;
                    }

                    if (reader.TokenType == JsonTokenType.EndObject)
                    {
                        _stage = Stage.Done;
                        return true;
                    }

                    _property = ReadName(ref reader);
                    _stage = Stage.PropertyValue;
                    return true;

                case Stage.PropertyValue:
                    return ReadPropertyValue(ref reader);

                default:
                    return false;
            }
        }

        // The usual names come back as the same string instances instead of a new string per response.
        private string ReadName(ref Utf8JsonReader reader)
        {
            if (!reader.ValueIsEscaped)
            {
                foreach (var name in CommonNames)
                {
                    if (reader.ValueTextEquals(name))
                    {
                        return name;
                    }
                }

                var rowProperties = envelope!.RowProperties;
                for (var i = 0; i < rowProperties.Count; i++)
                {
                    if (reader.ValueTextEquals(rowProperties[i]))
                    {
                        return rowProperties[i];
                    }
                }
            }

            return reader.GetString()!;
        }

        private bool ReadPropertyValue(ref Utf8JsonReader reader)
        {
            var beforeValue = reader;
            if (!reader.Read())
            {
                return false;
            }

            var name = _property!;
            if (reader.TokenType == JsonTokenType.StartArray && !_rowsFound && envelope?.IsRowProperty(name) == true)
            {
                _rowsFound = true;
                envelope.RowProperty = name;
                _stage = Stage.InArray;
                return true;
            }

            if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var integer))
            {
                envelope?.Add(name, integer);
                _stage = Stage.RootObject;
                return true;
            }

            var start = reader.TokenStartIndex;
            var probe = reader;
            if (!probe.TrySkip())
            {
                reader = beforeValue;
                return false;
            }

            var size = probe.BytesConsumed - start;
            if (size <= MaxCapturedValueBytes)
            {
                var value = JsonElement.ParseValue(ref reader);
                envelope?.Add(name, value);
                if (value.ValueKind == JsonValueKind.Array && envelope is not null)
                {
                    _arrays++;
                    _fallback = value;
                    _fallbackName = name;
                }
            }
            else
            {
                // The whole value is in the buffer (the probe skipped it), but the block is not final: Skip() would throw.
                if (reader.TokenType is JsonTokenType.StartArray)
                {
                    _arrays++; // Too large to keep as a fallback, but it makes another array ambiguous.
                }

                reader.TrySkip();
            }

            _stage = Stage.RootObject;
            return true;
        }
    }
}

/// <summary>
/// Describes where the rows of a response are — a bare array, or an array under one of <see cref="RowProperties"/> of
/// the root object — and, once read, the root object's other top-level values (paging fields and the like).
/// </summary>
internal sealed class BaselineEnvelope
{
    // Integers (the usual paging fields) are kept as numbers, other values as JsonElements: a JsonElement costs a
    // document of its own, and most readers only ever ask for GetInt64. Both are created on first use.
    private List<KeyValuePair<string, long>>? _integers;
    private Dictionary<string, JsonElement>? _elements;
    private Dictionary<string, JsonElement>? _properties;

    /// <summary>Creates an envelope description that looks for the rows under any of <paramref name="rowProperties"/> (the first such array in the body is taken).</summary>
    public BaselineEnvelope(params string[] rowProperties)
    {
        ArgumentNullException.ThrowIfNull(rowProperties);
        RowProperties = rowProperties;
    }

    /// <summary>The names of the properties that may hold the rows (case-insensitive).</summary>
    public IReadOnlyList<string> RowProperties { get; }

    /// <summary>After reading: whether the response was a bare array.</summary>
    public bool IsBareArray { get; internal set; }

    /// <summary>After reading: the property the rows came from, null for a bare array or when none was found.</summary>
    public string? RowProperty { get; internal set; }

    /// <summary>
    /// After reading: a 64-bit fingerprint (FNV-1a) of the first row's JSON text as received, null when there was no row;
    /// e.g. to notice a server that answers the same page twice without keeping the row itself.
    /// </summary>
    public ulong? FirstRowFingerprint { get; internal set; }

    /// <summary>After reading: the root object's other top-level values (values over 64 KB are skipped).</summary>
    public IReadOnlyDictionary<string, JsonElement> Properties => _properties ??= Materialize();

    /// <summary>Reads a top-level integer such as <c>page</c> or <c>pageSize</c>; null when absent or not an integer.</summary>
    public long? GetInt64(string name)
    {
        if (IndexOfInteger(name) is var index and >= 0)
        {
            return _integers![index].Value;
        }

        if (_elements is null || !_elements.TryGetValue(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var number) => number,
            JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }

    internal bool IsRowProperty(string name)
    {
        for (var i = 0; i < RowProperties.Count; i++)
        {
            if (string.Equals(RowProperties[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    internal void Reset()
    {
        _integers?.Clear();
        _elements?.Clear();
        _properties = null;
        IsBareArray = false;
        RowProperty = null;
        FirstRowFingerprint = null;
    }

    // A repeated name keeps the last value, as a dictionary would.
    internal void Add(string name, JsonElement value)
    {
        if (IndexOfInteger(name) is var index and >= 0)
        {
            _integers!.RemoveAt(index);
        }

        (_elements ??= new(StringComparer.OrdinalIgnoreCase))[name] = value;
        _properties = null;
    }

    internal void Add(string name, long value)
    {
        _elements?.Remove(name);
        var entry = KeyValuePair.Create(name, value);
        if (IndexOfInteger(name) is var index and >= 0)
        {
            _integers![index] = entry;
        }
        else
        {
            (_integers ??= new(3)).Add(entry);
        }

        _properties = null;
    }

    private int IndexOfInteger(string name)
    {
        for (var i = 0; i < (_integers?.Count ?? 0); i++)
        {
            if (string.Equals(_integers![i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private Dictionary<string, JsonElement> Materialize()
    {
        var properties = _elements is null ? new(StringComparer.OrdinalIgnoreCase) : new Dictionary<string, JsonElement>(_elements, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, integer) in _integers ?? [])
        {
            properties[name] = ToElement(integer);
        }

        return properties;
    }

    internal static ulong Fingerprint(ReadOnlySpan<byte> json)
    {
        var hash = 14695981039346656037UL;
        foreach (var value in json)
        {
            hash = (hash ^ value) * 1099511628211UL;
        }

        return hash;
    }

    private static JsonElement ToElement(long integer)
    {
        using var document = JsonDocument.Parse(integer.ToString(CultureInfo.InvariantCulture));
        return document.RootElement.Clone();
    }
}
