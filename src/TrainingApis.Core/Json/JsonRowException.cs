using System.Text.Json;

namespace TrainingApis.Core.Json;

/// <summary>A row of a JSON list that could not be read; the inner exception says why, <see cref="JsonException.Path"/> where in the row.</summary>
internal sealed class JsonRowException(long rowNumber, Exception inner, string? path = null)
    : JsonException($"Row {rowNumber} of the list could not be read: {inner.Message}", path ?? (inner as JsonException)?.Path, lineNumber: null, bytePositionInLine: null, inner)
{
    /// <summary>The row's number in the list (of the response it came in), from 1.</summary>
    public long RowNumber { get; } = rowNumber;
}
