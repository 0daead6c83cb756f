using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace TrainingApis.Core.Json;

/// <summary>
/// Reads the rows of a JSON response: a bare array as it streams (System.Text.Json's
/// <see cref="JsonSerializer.DeserializeAsyncEnumerable{TValue}(Stream, JsonTypeInfo{TValue}, CancellationToken)"/>,
/// memory flat in the number of rows), or a root object (an envelope page) read whole, within a byte bound, in one
/// <see cref="Utf8JsonReader"/> pass. Either way rows are numbered in errors (<c>Row 3 of the list …</c>), a null row
/// and text that is not UTF-8 are refused, and a UTF-8 byte order mark before the body is skipped.
/// </summary>
internal static class JsonRowReader
{
    /// <summary>
    /// Yields each row; invalid, truncated or trailing JSON throws <see cref="JsonException"/>. The rows of an envelope
    /// read before a failure are yielded first; those of a bare array only as far as System.Text.Json handed them over
    /// (it parses a buffer's bytes before yielding any of their rows). After the enumeration <paramref name="envelope"/>
    /// (null when only a bare array is valid) holds the root object's other values. A bare array's serializer buffer (up to
    /// twice a row) may reach <paramref name="maxItemBytes"/>, an envelope page <paramref name="maxPageBytes"/>; with <paramref name="pageRows"/>,
    /// a page's rows go into that list instead of being yielded, the page read into one buffer of <paramref name="expectedBytes"/>
    /// (the body's Content-Length) when it is known.
    /// </summary>
    public static async IAsyncEnumerable<T> ReadAsync<T>(Stream utf8Json, JsonTypeInfo<T> itemType, JsonEnvelope? envelope = null,
        int maxItemBytes = 16 * 1024 * 1024, long maxPageBytes = 64L * 1024 * 1024, List<T>? pageRows = null, long? expectedBytes = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        ArgumentNullException.ThrowIfNull(itemType);
        envelope?.Reset();
        var body = new Utf8CheckedStream(utf8Json, maxItemBytes);
        await using var _ = body.ConfigureAwait(false);
        var first = await body.PeekAsync(cancellationToken).ConfigureAwait(false);
        if (first == '[')
        {
            envelope?.IsBareArray = true;
            var array = JsonSerializer.DeserializeAsyncEnumerable(body, itemType, cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using var __ = array.ConfigureAwait(false);
            for (long number = 1; ; number++)
            {
                try
                {
                    if (!await array.MoveNextAsync().ConfigureAwait(false)) break;
                }
                catch (JsonException ex)
                {
                    // The serializer's path ($[2].name) counts from the first row not handed over; a refused byte ends the body.
                    var inRow = JsonRowException.TrySplitListPath(ex.Path, out var index, out var path);
                    throw body.Failure(number + index) ?? (inRow ? new JsonRowException(number + index, ex, path) : ex);
                }

                yield return array.Current ?? throw new JsonRowException(number, new JsonException("The row is null."));
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (body.Failure(0) is { } after) throw after; // A refused byte after the array.
            yield break;
        }

        if (first != '{' || envelope is null)
        {
            throw new JsonException(first switch
            {
                '{' => "Expected a JSON array, found an object.", // Reading no rows would lose data.
                < 0 => "The JSON response is empty.",
                _ => $"Expected a JSON array or object, found {(first is >= 0x20 and < 0x7F ? $"'{(char)first}'" : $"byte 0x{first:X2}")}."
                    + (JsonReadFailure.DescribeStart(body.Peeked) is { } start ? $" The response {start}." : null),
            });
        }

        var rows = pageRows ?? [];
        ExceptionDispatchInfo? failure = null;
        try
        {
            var page = await body.ReadToEndAsync(maxPageBytes, expectedBytes, cancellationToken).ConfigureAwait(false);
            new PageReader<T>(itemType, envelope, rows).Read(page);
        }
        catch (JsonException ex) when (pageRows is null && rows.Count > 0)
        {
            failure = ExceptionDispatchInfo.Capture(ex); // The rows read before it are handed over first.
        }

        for (var i = 0; pageRows is null && i < rows.Count; i++)
        {
            yield return rows[i];
            cancellationToken.ThrowIfCancellationRequested();
        }

        failure?.Throw();
    }

    // One Utf8JsonReader pass over a whole envelope page: the rows under a row property (or else the root object's only
    // array) into rows, the other top-level values into the envelope.
    private sealed class PageReader<T>(JsonTypeInfo<T> itemType, JsonEnvelope envelope, List<T> rows)
    {
        // Each row is read by its converter from the page's own reader: one tokenization, where JsonSerializer.Deserialize
        // (ref reader) would first skip the row to find its end.
        private readonly JsonConverter<T>? _converter = itemType.Converter as JsonConverter<T>;
        private readonly int _maxDepth = itemType.Options.MaxDepth is > 0 and var max ? max : 64;
        private int _invalidAt;
        private long _number;

        public void Read(ReadOnlySpan<byte> page)
        {
            page = page[(page.StartsWith("\uFEFF"u8) ? 3 : 0)..]; // The peek saw it: a second one is invalid JSON.
            _invalidAt = Utf8CheckedStream.ValidLength(page) is var valid && valid < page.Length ? valid : int.MaxValue;
            var reader = new Utf8JsonReader(page, new JsonReaderOptions { MaxDepth = _maxDepth + 1 }); // A row nests as deep as in a bare array.
            var fallback = default(Utf8JsonReader);
            var (fallbackName, arrays) = ((string?)null, 0);
            reader.Read(); // The root object, peeked already.
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = envelope.Name(ref reader);
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray && envelope.RowProperty is null && envelope.RowProperties.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    envelope.RowProperty = name;
                    ReadRows(page, ref reader);
                    continue;
                }

                if (reader.TokenType == JsonTokenType.StartArray && arrays++ == 0)
                {
                    fallback = reader;
                    fallbackName = name;
                }

                envelope.Add(name, ref reader);
            }

            reader.Read(); // Throws on data after the root object.
            if (envelope.RowProperty is null && arrays == 1)
            {
                envelope.RowProperty = fallbackName; // No known row property: the only array holds the rows.
                ReadRows(page, ref fallback);
            }

            if (NotUtf8(0, 0, int.MaxValue) is { } notUtf8) throw notUtf8;
        }

        private void ReadRows(ReadOnlySpan<byte> page, ref Utf8JsonReader reader)
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var (number, start) = (++_number, (int)reader.TokenStartIndex);
                T? row;
                try
                {
                    // A null goes to the serializer, which gives null where a converter would refuse it.
                    row = _converter is null || reader.TokenType == JsonTokenType.Null
                        ? JsonSerializer.Deserialize(ref reader, itemType)
                        : _converter.Read(ref reader, typeof(T), itemType.Options);
                }
                catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or OverflowException)
                {
                    // The reader stopped where it failed: a byte that is not UTF-8 before it is the cause.
                    throw NotUtf8(number, start, reader.BytesConsumed) ?? Failure(number, page[start..]);
                }

                if (NotUtf8(number, start, reader.BytesConsumed) is { } notUtf8) throw notUtf8;
                if (number == 1) envelope.FirstRowFingerprint = JsonEnvelope.Fingerprint(page[start..(int)reader.BytesConsumed]);

                // A JSON null where a row should be would reach the caller as a null in a list of non-null rows.
                rows.Add(row ?? throw new JsonRowException(number, new JsonException("The row is null.")));
            }
        }

        // The failure when the page's first byte that is not UTF-8 is in [start, end): in row number, or (0) anywhere.
        private JsonException? NotUtf8(long number, int start, long end) => _invalidAt < start || _invalidAt >= end ? null
            : new(number > 0 ? $"Row {number} of the list is not valid UTF-8 text." : "The response is not valid UTF-8 text.");

        // The serializer, run again on the row alone, says what and where (the converter alone gives no path).
        private JsonRowException Failure(long number, ReadOnlySpan<byte> row)
        {
            try
            {
                var reader = new Utf8JsonReader(row, new JsonReaderOptions { MaxDepth = _maxDepth - 1 });
                JsonSerializer.Deserialize(ref reader, itemType);
                return new JsonRowException(number, new JsonException("The row could not be read."));
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or OverflowException)
            {
                return new JsonRowException(number, ex);
            }
        }
    }
}
