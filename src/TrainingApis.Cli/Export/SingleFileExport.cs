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
                (count, fields) = await CopyAsync(rows, writer, line, cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// Streams the rows to <paramref name="destination"/> (standard output, <c>--out -</c>): JSON lines as they arrive;
    /// CSV once all are read (the header is known only then), spooled meanwhile to a temp file only the user can read.
    /// </summary>
    public static async Task<(long Rows, int Columns)> WriteAsync(IAsyncEnumerable<JsonElement> rows, Stream destination, ExportFormat format, ProgressLine line, CancellationToken cancellationToken)
    {
        if (format == ExportFormat.Jsonl)
        {
            await using var direct = new JsonLinesWriter(destination);
            var (rowCount, fieldNames) = await CopyAsync(rows, direct, line, cancellationToken).ConfigureAwait(false);
            return (rowCount, fieldNames.Count);
        }

        var spool = Path.Combine(Path.GetTempPath(), $"trainingapis-{Guid.NewGuid():N}.jsonl{ExportFiles.PartialSuffix}");
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                // Created empty and private first: ExportFiles.Create takes its mode from the file it is given.
                File.Create(spool, 1, FileOptions.None).Dispose();
                File.SetUnixFileMode(spool, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            IReadOnlyList<string> fields;
            await using (var writer = new JsonLinesWriter(spool, modeOf: spool))
            {
                (_, fields) = await CopyAsync(rows, writer, line, cancellationToken).ConfigureAwait(false);
            }

            var count = await JsonLinesCsv.WriteAsync([spool], fields, destination, cancellationToken).ConfigureAwait(false);
            await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
            return (count, fields.Count);
        }
        finally
        {
            ExportFiles.TryDelete(spool);
        }
    }

    private static async Task<(long Rows, IReadOnlyList<string> Fields)> CopyAsync(IAsyncEnumerable<JsonElement> rows, JsonLinesWriter writer, ProgressLine line, CancellationToken cancellationToken)
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
        return (writer.Rows, [.. writer.Fields]);
    }
}
