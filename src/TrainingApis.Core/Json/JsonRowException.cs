using System.Globalization;
using System.Text.Json;

namespace TrainingApis.Core.Json;

/// <summary>A row of a JSON list that could not be read; the inner exception says why, <see cref="JsonException.Path"/> where in the row.</summary>
internal sealed class JsonRowException(long rowNumber, Exception inner, string? path = null)
    : JsonException($"Row {rowNumber} of the list could not be read: {inner.Message}", path ?? (inner as JsonException)?.Path, lineNumber: null, bytePositionInLine: null, inner)
{
    /// <summary>The row's number in the list (of the response it came in), from 1.</summary>
    public long RowNumber { get; } = rowNumber;

    /// <summary>Splits a serializer's path into a list, <c>$[2].name</c>, into the element's index and its own path, <c>$.name</c>.</summary>
    public static bool TrySplitListPath(string? path, out long index, out string rowPath)
    {
        var end = path?.IndexOf(']', StringComparison.Ordinal) ?? -1;
        rowPath = end > 2 ? "$" + path![(end + 1)..] : "$";
        index = 0;
        return end > 2 && path!.StartsWith("$[", StringComparison.Ordinal)
            && long.TryParse(path.AsSpan(2, end - 2), NumberStyles.None, CultureInfo.InvariantCulture, out index);
    }
}
