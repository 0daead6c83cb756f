using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace TrainingApis.Core.Json;

/// <summary>
/// Reads the rows of a JSON response one at a time, from a bare array or from an array inside the root object, without
/// holding the whole response: memory stays flat in the number of rows (one buffer, about the size of the largest row).
/// </summary>
public static class JsonArrayStreamReader
{
    private const int InitialBufferSize = 16 * 1024;
    private const int MaxCapturedValueBytes = 64 * 1024;

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
        JsonEnvelope? envelope = null,
        int maxItemBytes = 16 * 1024 * 1024,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        ArgumentNullException.ThrowIfNull(itemType);
        envelope?.Reset();
        var parser = new Parser<T>(itemType, envelope);
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        var batch = new List<T>();
        try
        {
            int start = 0, end = 0;
            var isFinal = false;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var consumed = parser.Process(buffer.AsSpan(start, end - start), isFinal, batch);
                start += consumed;
                foreach (var item in batch)
                {
                    yield return item;
                    cancellationToken.ThrowIfCancellationRequested();
                }

                batch.Clear();
                parser.ThrowIfFailed(); // After the rows read before the failure, wherever the reads happened to split the body.
                if (isFinal)
                {
                    break;
                }

                // Make room: move the unread tail to the front, or grow when one value fills the whole buffer.
                if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }

                if (end == buffer.Length)
                {
                    if (buffer.Length >= maxItemBytes)
                    {
                        throw new JsonException($"A single JSON value is larger than {maxItemBytes} bytes.");
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxItemBytes));
                    Buffer.BlockCopy(buffer, 0, larger, 0, end);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await utf8Json.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    isFinal = true;
                }

                end += read;
            }

            parser.Complete();
            foreach (var item in parser.TakeFallbackItems())
            {
                yield return item;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
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

    private sealed class Parser<T>(JsonTypeInfo<T> itemType, JsonEnvelope? envelope)
    {
        private JsonReaderState _state = new(new JsonReaderOptions { MaxDepth = 256 });
        private System.Runtime.ExceptionServices.ExceptionDispatchInfo? _failure;
        private Stage _stage = Stage.Start;
        private bool _bareArray;
        private string? _property;
        private bool _rowsFound;
        private JsonElement? _fallback;
        private string? _fallbackName;
        private int _arrays;

        public int Process(ReadOnlySpan<byte> data, bool isFinal, List<T> output)
        {
            var reader = new Utf8JsonReader(data, isFinal, _state);
            if (_stage == Stage.Done)
            {
                // Only whitespace may follow the root value, however the body was split into reads.
                ThrowIfTrailingData(ref reader);
                _state = reader.CurrentState;
                return (int)reader.BytesConsumed;
            }

            var consumed = 0;
            while (true)
            {
                var checkpoint = reader;
                try
                {
                    if (!Step(ref reader, output))
                    {
                        reader = checkpoint;
                        break;
                    }

                    consumed = (int)reader.BytesConsumed;
                    if (_stage == Stage.Done)
                    {
                        ThrowIfTrailingData(ref reader);
                        consumed = (int)reader.BytesConsumed;
                        break;
                    }
                }
                catch (JsonException ex) when (output.Count > 0)
                {
                    // Hand over the rows read so far first; the failure is raised once they are consumed.
                    _failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex);
                    return consumed;
                }
            }

            _state = reader.CurrentState;
            if (isFinal && _stage != Stage.Done)
            {
                var truncated = new JsonException("The JSON response ended before it was complete.");
                if (output.Count == 0)
                {
                    throw truncated;
                }

                _failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(truncated);
            }

            return consumed;
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
                throw new JsonException($"The only array of the response is over {MaxCapturedValueBytes} bytes and not under a known row property; name it in the JsonEnvelope to stream it.");
            }

            // No known row property: the root object's single array is taken as the rows.
            envelope!.RowProperty = _fallbackName;
            return array.EnumerateArray().Select(element => element.Deserialize(itemType)!);
        }

        // One token-level step; false when the buffer holds too little to take it.
        private bool Step(ref Utf8JsonReader reader, List<T> output)
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

                    _property = reader.GetString();
                    _stage = Stage.PropertyValue;
                    return true;

                case Stage.PropertyValue:
                    return ReadPropertyValue(ref reader);

                case Stage.InArray:
                    if (!reader.Read())
                    {
                        return false;
                    }

                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        _stage = _bareArray ? Stage.Done : Stage.RootObject;
                        return true;
                    }

                    var probe = reader;
                    if (!probe.TrySkip())
                    {
                        return false;
                    }

                    output.Add(JsonSerializer.Deserialize(ref reader, itemType)!);
                    return true;

                default:
                    return false;
            }
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
