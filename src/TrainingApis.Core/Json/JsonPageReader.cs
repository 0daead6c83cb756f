using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace TrainingApis.Core.Json;

/// <summary>
/// One pass of a <see cref="Utf8JsonReader"/> over a whole envelope page: the rows under a row property of
/// <paramref name="envelope"/> (or else the root object's only array) into <paramref name="rows"/>, the other top-level
/// values into the envelope.
/// </summary>
internal sealed class JsonPageReader<T>(JsonTypeInfo<T> itemType, JsonEnvelope envelope, List<T> rows, int invalidAt)
{
    private const int MaxCapturedValueBytes = 64 * 1024;

    // Each row is read by its converter from the page's own reader: one tokenization, where JsonSerializer.Deserialize
    // (ref reader) would first skip the row to find its end.
    private readonly JsonConverter<T>? _converter = itemType.Converter as JsonConverter<T>;
    private long _number;

    public void Read(ReadOnlySpan<byte> page)
    {
        var depth = itemType.Options.MaxDepth is > 0 and var max ? max : 64;
        var reader = new Utf8JsonReader(page, new JsonReaderOptions { MaxDepth = depth + 2 }); // A row keeps its own limit.
        reader.Read(); // The root object, peeked already.
        var fallback = default(Utf8JsonReader);
        string? fallbackName = null;
        var arrays = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = envelope.Name(ref reader);
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartArray && envelope.RowProperty is null && envelope.IsRowProperty(name))
            {
                envelope.RowProperty = name;
                ReadRows(page, ref reader);
            }
            else if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var integer))
            {
                envelope.Add(name, integer);
            }
            else
            {
                if (reader.TokenType == JsonTokenType.StartArray && arrays++ == 0)
                {
                    fallback = reader;
                    fallbackName = name;
                }

                var probe = reader;
                probe.Skip();
                if (probe.BytesConsumed - reader.TokenStartIndex <= MaxCapturedValueBytes)
                {
                    envelope.Add(name, 0, JsonElement.ParseValue(ref reader));
                }
                else
                {
                    reader = probe;
                }
            }
        }

        if (reader.Read())
        {
            throw new JsonException("Unexpected data after the end of the JSON value.");
        }

        if (envelope.RowProperty is null && arrays == 1)
        {
            // No known row property: the root object's single array is taken as the rows.
            envelope.RowProperty = fallbackName;
            ReadRows(page, ref fallback);
        }

        if (invalidAt >= 0)
        {
            throw new JsonException("The response is not valid UTF-8 text.");
        }
    }

    private void ReadRows(ReadOnlySpan<byte> page, ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var number = ++_number;
            var start = (int)reader.TokenStartIndex;
            var checkpoint = reader;
            T? row;
            try
            {
                row = _converter is null || (reader.TokenType == JsonTokenType.Null && default(T) is null)
                    ? JsonSerializer.Deserialize(ref reader, itemType)
                    : _converter.Read(ref reader, typeof(T), itemType.Options);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or OverflowException)
            {
                throw Failure(number, start, checkpoint);
            }

            var end = (int)reader.BytesConsumed;
            if (invalidAt >= start && invalidAt < end)
            {
                throw new JsonException($"Row {number} of the list is not valid UTF-8 text.");
            }

            if (number == 1)
            {
                envelope.FirstRowFingerprint = JsonEnvelope.Fingerprint(page[start..end]);
            }

            // A JSON null where a row should be would reach the caller as a null in a list of non-null rows.
            rows.Add(row is null ? throw new JsonRowException(number, new JsonException("The row is null.")) : row);
        }
    }

    // The serializer, run again on the row alone, says what and where (the converter alone gives no path).
    private JsonException Failure(long number, int start, Utf8JsonReader row)
    {
        if (invalidAt >= start)
        {
            var probe = row;
            if (!probe.TrySkip() || invalidAt < probe.BytesConsumed)
            {
                return new JsonException($"Row {number} of the list is not valid UTF-8 text.");
            }
        }

        try
        {
            JsonSerializer.Deserialize(ref row, itemType);
            return new JsonRowException(number, new JsonException("The row could not be read."));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or OverflowException)
        {
            return new JsonRowException(number, ex);
        }
    }
}
