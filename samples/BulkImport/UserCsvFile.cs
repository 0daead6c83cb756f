using Symtrain.Client.Users;

namespace BulkImport;

/// <summary>
/// Reads a Symtrain user CSV with <see cref="BulkImportCsv.ReadAsync"/>: the SDK's own reading rules (UTF-8 or a byte
/// order mark, commas or a <c>sep=</c> line, the eight columns in any order, empty rows skipped, bounded sizes) and every
/// row's checks. Nothing is sent: every problem of the file is found before the upload, with its row and line.
/// </summary>
internal static class UserCsvFile
{
    public static async Task<(IReadOnlyList<BulkImportRow> Rows, IReadOnlyList<BulkImportRowError> Problems)> ReadAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        try
        {
            // More than 750 rows is fine here: they are uploaded as several files (BulkImportInBatchesAsync).
            return (await BulkImportCsv.ReadAsync(file, cancellationToken: cancellationToken), []);
        }
        catch (BulkImportValidationException ex)
        {
            return ([], ex.Errors);
        }
    }
}
