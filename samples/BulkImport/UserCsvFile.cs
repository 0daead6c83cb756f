using Symtrain.Client.Users;

namespace BulkImport;

/// <summary>
/// Reads a Symtrain user CSV with the SDK's own reader, <see cref="BulkImportCsv.ReadValidatedAsync"/>: the header,
/// malformed lines and every row's rules, all problems at once, nothing sent. More than 750 rows are fine: the upload
/// sends consecutive files.
/// </summary>
internal static class UserCsvFile
{
    public static async Task<(IReadOnlyList<BulkImportRow> Rows, IReadOnlyList<BulkImportRowError> Problems)> ReadAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        try
        {
            return (await BulkImportCsv.ReadValidatedAsync(file, cancellationToken), []);
        }
        catch (BulkImportValidationException ex)
        {
            return ([], ex.Errors);
        }
    }
}
