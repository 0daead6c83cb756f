using Symtrain.Client.Users;

namespace BulkImport;

/// <summary>
/// Reads a Symtrain user CSV with <see cref="BulkImportCsv.ReadAsync"/>: the SDK's own reading rules (UTF-8 or a byte
/// order mark, commas or a <c>sep=</c> line, the eight columns in any order, empty rows skipped, bounded sizes) and every
/// row's checks, then measures each upload of 750 rows. Nothing is sent: every problem of the file is found before the
/// upload, with its row and line.
/// </summary>
internal static class UserCsvFile
{
    public static async Task<(IReadOnlyList<BulkImportRow> Rows, IReadOnlyList<BulkImportRowError> Problems)> ReadAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        try
        {
            // More than 750 rows is fine here: they are uploaded as several files (BulkImportInBatchesAsync). Each file
            // is measured as it will be sent (CRLF, quotes doubled), which can be larger than the lines it was read from:
            // BulkImportInBatchesAsync would refuse it, so the dry run says so too.
            var rows = await BulkImportCsv.ReadAsync(file, cancellationToken: cancellationToken);
            var problems = new List<BulkImportRowError>();
            var first = 1;
            foreach (var batch in BulkImportCsv.Chunk(rows))
            {
                var span = $"Rows {first} to {first + batch.Count - 1}";
                problems.AddRange(BulkImportCsv.Validate(batch).Where(e => e.Row is null).Select(e => e with { Message = $"{span}: {e.Message}" }));
                first += batch.Count;
            }

            return (rows, problems);
        }
        catch (BulkImportValidationException ex)
        {
            return ([], ex.Errors);
        }
    }
}
