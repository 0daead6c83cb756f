using System.Globalization;
using System.Text.Json;
using TrainingApis.Cli.Output;

namespace TrainingApis.Cli.Export;

/// <summary>
/// Streams a list into one file: JSON lines as they arrive, or CSV after a second pass (the header is known only at the
/// end). Written to <c>&lt;file&gt;.partial</c> and renamed when complete, replacing an older file.
/// </summary>
internal static class SingleFileExport
{
    private const int DetailEvery = 1000;

    public static async Task<(long Rows, int Columns)> WriteAsync(IAsyncEnumerable<JsonElement> rows, string target, ExportFormat format, ProgressLine line, CancellationToken cancellationToken)
    {
        var partial = target + ExportFiles.PartialSuffix;
        var spool = format == ExportFormat.Jsonl ? partial : target + ".rows" + ExportFiles.PartialSuffix;
        try
        {
            long count;
            IReadOnlyList<string> fields;
            await using (var writer = new JsonLinesWriter(spool, target))
            {
                await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    await writer.WriteAsync(row, cancellationToken).ConfigureAwait(false);
                    if (writer.Rows % DetailEvery == 0)
                    {
                        line.Detail(string.Create(CultureInfo.InvariantCulture, $"{writer.Rows:N0} rows"));
                    }
                }

                await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
                count = writer.Rows;
                fields = [.. writer.Fields];
            }

            if (format == ExportFormat.Csv)
            {
                await using var output = ExportFiles.Create(partial, target);
                count = await JsonLinesCsv.WriteAsync([spool], fields, output, cancellationToken).ConfigureAwait(false);
            }

            ExportFiles.Publish(partial, target);
            return (count, fields.Count);
        }
        finally
        {
            ExportFiles.TryDelete(spool);
            ExportFiles.TryDelete(partial);
        }
    }
}
