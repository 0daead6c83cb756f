using System.Text;
using System.Text.Json;
using CsvHelper;

namespace TrainingApis.Cli.Export;

/// <summary>
/// The CSV form of JSON lines. The columns are known only once every row is read (a later row can add a field), so the
/// rows are first written as JSON lines and the CSV is made in a second pass over them: header = the union of the field
/// names in first-seen order; a row without a field gets an empty cell; numbers and booleans as sent; null as empty;
/// objects and arrays as compact JSON; text a spreadsheet would run as a formula (starting with =, +, -, @, tab, CR) gets
/// a leading apostrophe. No field at all (an empty result) gives an empty file.
/// </summary>
internal static class JsonLinesCsv
{
    private static readonly CsvWriterOptions Options = new() { NewLine = "\r\n" };

    /// <summary>Writes the rows of <paramref name="jsonLinesFiles"/>, in order, as CSV with <paramref name="columns"/>; returns the row count.</summary>
    public static async Task<long> WriteAsync(IEnumerable<string> jsonLinesFiles, IReadOnlyList<string> columns, Stream destination, CancellationToken cancellationToken)
    {
        long rows = 0;
        if (columns.Count == 0)
        {
            // No field was seen (no rows, or only empty objects): a CSV record needs at least one field, so the file is
            // empty, a valid CSV of no rows and no columns. The rows are still counted.
            foreach (var path in jsonLinesFiles)
            {
                rows += File.ReadLines(path).LongCount(line => line.Length > 0);
            }

            return rows;
        }

        var csv = CsvWriter.Create(destination, Options, leaveOpen: true);
        await using (csv.ConfigureAwait(false))
        {
            csv.WriteHeader(columns.ToArray());
            foreach (var path in jsonLinesFiles)
            {
                using var reader = new StreamReader(path, Encoding.UTF8);
                while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
                {
                    if (line.Length == 0)
                    {
                        continue;
                    }

                    using var json = JsonDocument.Parse(line);
                    foreach (var column in columns)
                    {
                        csv.WriteField(json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(column, out var value) ? Text(value) : string.Empty);
                    }

                    await csv.EndRecordAsync(cancellationToken).ConfigureAwait(false);
                    rows++;
                }
            }

            await csv.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        return rows;
    }

    internal static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => Neutralize(value.GetString() ?? string.Empty),
        JsonValueKind.Null or JsonValueKind.Undefined => string.Empty,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => value.GetRawText(),
        _ => Compact(value),
    };

    /// <summary>The element as compact JSON, whatever the API's layout.</summary>
    internal static string Compact(JsonElement value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, JsonLinesWriter.WriterOptions))
        {
            value.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Neutralize(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;
}
