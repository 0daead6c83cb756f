using CsvHelper;
using Symtrain.Client.Users;

namespace BulkImport;

/// <summary>
/// Reads a Symtrain user CSV (header required: the eight documented columns, any order, exact names) into
/// <see cref="BulkImportRow"/>s, then checks every row with <see cref="BulkImportCsv.Validate"/>. Nothing is sent:
/// every problem of the file is found before the upload.
/// </summary>
internal static class UserCsvFile
{
    public static async Task<(IReadOnlyList<BulkImportRow> Rows, IReadOnlyList<BulkImportRowError> Problems)> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var rows = new List<BulkImportRow>();
        var problems = new List<BulkImportRowError>();
        await using var file = File.OpenRead(path);
        var reader = CsvReader.Create(file, new CsvReaderOptions { Separator = ',', HasHeader = true, DetectSeparatorHint = false }, leaveOpen: true);
        await using (reader)
        {
            await reader.ReadHeaderAsync(cancellationToken);
            var headers = reader.Headers.ToArray().Select(h => h.Trim()).ToArray();
            var index = CheckHeader(headers, problems);
            if (problems.Count > 0)
            {
                return (rows, problems); // a bad header makes every row unreadable: report it alone
            }

            while (await reader.ReadAsync(cancellationToken))
            {
                var count = reader.FieldCount;
                if (count != headers.Length)
                {
                    problems.Add(new BulkImportRowError(rows.Count + 1, null, $"has {count} fields; the header has {headers.Length}."));
                }

                string Field(string column) => index[column] < count ? reader.GetString(index[column]) : string.Empty;
                rows.Add(new BulkImportRow
                {
                    FirstName = Field("firstName"),
                    LastName = Field("lastName"),
                    Username = Field("username"),
                    Email = Field("email"),
                    Role = Field("role"),
                    TeamName = Field("teamName") is { Length: > 0 } team ? team : null,
                    Status = Field("status"),
                    Action = Field("action"),
                });
            }
        }

        // The SDK's own rules: required fields, email shape, username = email exactly, one row per username,
        // role, status and action values, 1 to 750 rows per file (more are uploaded as several files).
        problems.AddRange(BulkImportCsv.Validate(rows).Where(p => !(p.Row is null && rows.Count > BulkImportCsv.MaxRowsPerFile)));
        return (rows, problems);
    }

    private static Dictionary<string, int> CheckHeader(string[] headers, List<BulkImportRowError> problems)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < headers.Length; i++)
        {
            if (!BulkImportCsv.Columns.Contains(headers[i]))
            {
                problems.Add(new BulkImportRowError(null, headers[i], $"unknown column; the columns are {string.Join(",", BulkImportCsv.Columns)} (exact spelling)."));
            }
            else if (!index.TryAdd(headers[i], i))
            {
                problems.Add(new BulkImportRowError(null, headers[i], "the column is repeated."));
            }
        }

        foreach (var column in BulkImportCsv.Columns.Where(c => !index.ContainsKey(c)))
        {
            problems.Add(new BulkImportRowError(null, column, "the header has no such column."));
        }

        return index;
    }
}
