using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace TrainingApis.Core.Json;

/// <summary>
/// Reads the rows of a JSON response: a bare array as it streams (System.Text.Json's
/// <see cref="JsonSerializer.DeserializeAsyncEnumerable{TValue}(Stream, JsonTypeInfo{TValue}, CancellationToken)"/>,
/// memory flat in the number of rows), or a root object (an envelope page) read whole, within a byte bound, in one
/// <see cref="Utf8JsonReader"/> pass. Either way rows are numbered in errors (<c>Row 3 of the list …</c>), a null row
/// and text that is not UTF-8 are refused, and a UTF-8 byte order mark before the body is skipped.
/// </summary>
public static class JsonRowReader
{
    /// <summary>
    /// Yields each row. Invalid, truncated or trailing JSON throws <see cref="JsonException"/>. The rows of an envelope
    /// read before a failure are yielded first; those of a bare array only as far as System.Text.Json handed them over
    /// (it parses a read's bytes before yielding any of their rows). After the enumeration <paramref name="envelope"/>
    /// holds the root object's other values.
    /// </summary>
    /// <param name="utf8Json">The response body.</param>
    /// <param name="itemType">How to read one row.</param>
    /// <param name="envelope">Where rows may be in a root object; null when only a bare array is valid.</param>
    /// <param name="maxItemBytes">About the largest single row of a bare array accepted, in bytes (default 16 MiB).</param>
    /// <param name="maxPageBytes">The largest root object (envelope page) accepted, in bytes (default 64 MiB).</param>
    /// <param name="cancellationToken">Checked between rows and reads.</param>
    public static async IAsyncEnumerable<T> ReadAsync<T>(
        Stream utf8Json,
        JsonTypeInfo<T> itemType,
        JsonEnvelope? envelope = null,
        int maxItemBytes = 16 * 1024 * 1024,
        long maxPageBytes = 64L * 1024 * 1024,
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
            await foreach (var row in ReadArrayAsync(body, itemType, cancellationToken).ConfigureAwait(false))
            {
                yield return row;
                cancellationToken.ThrowIfCancellationRequested();
            }

            yield break;
        }

        if (first != '{' || envelope is null)
        {
            throw new JsonException(first switch
            {
                '{' => "Expected a JSON array, found an object.", // Reading no rows would lose data.
                < 0 => "The JSON response is empty.",
                _ => $"Expected a JSON array or object, found {(first is >= 0x20 and < 0x7F ? $"'{(char)first}'" : $"byte 0x{first:X2}")}.",
            });
        }

        var rows = new List<T>();
        ExceptionDispatchInfo? failure = null;
        try
        {
            var (page, length, invalidAt) = await body.ReadToEndAsync(maxPageBytes, cancellationToken).ConfigureAwait(false);
            var bom = page.AsSpan(0, length).StartsWith("\uFEFF"u8) ? 3 : 0; // The peek saw it: a second one is invalid JSON.
            new JsonPageReader<T>(itemType, envelope, rows, invalidAt - bom).Read(page.AsSpan(bom, length - bom));
        }
        catch (JsonException ex) when (rows.Count > 0)
        {
            failure = ExceptionDispatchInfo.Capture(ex); // The rows read before it are handed over first.
        }

        foreach (var row in rows)
        {
            yield return row;
            cancellationToken.ThrowIfCancellationRequested();
        }

        failure?.Throw();
    }

    private static async IAsyncEnumerable<T> ReadArrayAsync<T>(Utf8CheckedStream body, JsonTypeInfo<T> itemType, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var rows = JsonSerializer.DeserializeAsyncEnumerable(body, itemType, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using var _ = rows.ConfigureAwait(false);
        for (long number = 1; ; number++)
        {
            try
            {
                if (!await rows.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }
            }
            catch (JsonException ex)
            {
                throw body.Failure(number) ?? Numbered(ex, number);
            }

            body.RowRead();
            var row = rows.Current;
            yield return row is null ? throw new JsonRowException(number, new JsonException("The row is null.")) : row;
        }
    }

    // The serializer's path ($[2].name) says which row failed, counted from the first row it had not handed over
    // (number); the exception keeps the path within that row ($.name).
    private static JsonException Numbered(JsonException ex, long number)
    {
        var path = ex.Path;
        var end = path?.IndexOf(']', StringComparison.Ordinal) ?? -1;
        return path is not null && path.StartsWith("$[", StringComparison.Ordinal)
            && long.TryParse(path.AsSpan(2, end - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? new JsonRowException(number + index, ex, "$" + path[(end + 1)..])
            : ex;
    }
}
