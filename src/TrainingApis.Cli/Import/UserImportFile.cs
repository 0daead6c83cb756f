using CsvHelper;
using Symtrain.Client.Users;

namespace TrainingApis.Cli.Import;

/// <summary>
/// Reads a Symtrain user CSV (a header with the eight documented columns, any order, exact names) and checks every row
/// with the SDK's own rules (<see cref="BulkImportCsv.Validate"/>: required fields, email shape, username = email,
/// one row per username, role, status and action values). Every problem is found, with its line in the file, before
/// anything is sent. More than 750 rows is not a problem: they are uploaded as consecutive files.
/// </summary>
internal sealed partial class UserImportFile
{
    private UserImportFile(IReadOnlyList<BulkImportRow> rows, IReadOnlyList<int> lines, IReadOnlyList<UserImportProblem> problems)
    {
        Rows = rows;
        Lines = lines;
        Problems = problems;
    }

    public IReadOnlyList<BulkImportRow> Rows { get; }

    /// <summary>The line of the file each row starts on (1 is the header).</summary>
    public IReadOnlyList<int> Lines { get; }

    public IReadOnlyList<UserImportProblem> Problems { get; }

    /// <summary>How many files of at most 750 rows the upload takes.</summary>
    public int Uploads => (Rows.Count + BulkImportCsv.MaxRowsPerFile - 1) / BulkImportCsv.MaxRowsPerFile;

    public static async Task<UserImportFile> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var rows = new List<BulkImportRow>();
        var lines = new List<int>();
        var problems = new List<UserImportProblem>();
        var malformed = new HashSet<long>();
        await using var file = File.OpenRead(path);
        var options = new CsvReaderOptions
        {
            Separator = ',',
            HasHeader = true,
            DetectSeparatorHint = false,
            TrackLineNumbers = true,
            OnMalformedRecord = record =>
            {
                malformed.Add(record.LineNumber);
                problems.Add(new UserImportProblem((int)Math.Min(int.MaxValue, record.LineNumber), null, Malformed(record.Reason.ToString())));
            },
        };
        var reader = CsvReader.Create(file, options, leaveOpen: true);
        await using (reader.ConfigureAwait(false))
        {
            try
            {
                await reader.ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
                var headers = reader.Headers.ToArray().Select(h => h.Trim()).ToArray();
                var index = CheckHeader(headers, problems);
                if (problems.Count > 0)
                {
                    return new UserImportFile(rows, lines, problems); // a bad header makes every row unreadable: report it alone
                }

                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var line = (int)Math.Min(int.MaxValue, reader.LineNumber);
                    if (malformed.Contains(reader.LineNumber))
                    {
                        continue; // its fields are not what the user meant: their problems would only repeat this one
                    }

                    var count = reader.FieldCount;
                    if (IsBlank(reader, count))
                    {
                        continue; // a spreadsheet saves rows it once used as ",,,,,,,": they carry no user
                    }

                    if (count != headers.Length)
                    {
                        problems.Add(new UserImportProblem(line, null, $"has {count} fields; the header has {headers.Length}."));
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
                    lines.Add(line);
                }
            }
            catch (CsvFormatException ex)
            {
                problems.Add(new UserImportProblem((int)Math.Min(int.MaxValue, ex.LineNumber), null, $"the CSV could not be read: {ex.Message}"));
            }
        }

        // More than 750 rows is fine here: they are uploaded as consecutive files.
        foreach (var error in BulkImportCsv.Validate(rows).Where(e => !(e.Row is null && rows.Count > BulkImportCsv.MaxRowsPerFile)))
        {
            var line = error.Row is { } row && row >= 1 && row <= lines.Count ? lines[row - 1] : (int?)null;
            problems.Add(new UserImportProblem(line, error.Field, RowsAsLines(error.Message, lines)));
        }

        return new UserImportFile(rows, lines, [.. problems.OrderBy(p => p.Line ?? 0)]);
    }

    private static string Malformed(string reason) => reason == "UnterminatedQuote"
        ? "a quoted value is never closed: a \" starts it and no \" ends it, so the rest of the file is read as that one value. Close the quote, or remove it (a value needs quotes only when it holds a comma)."
        : $"the CSV is malformed ({reason}).";

    private static bool IsBlank(CsvReader reader, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (!string.IsNullOrWhiteSpace(reader.GetString(i)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The SDK's messages count data rows ("repeats the username of row 1"); the tool speaks of file lines.</summary>
    private static string RowsAsLines(string message, List<int> lines) =>
        RowReference().Replace(message, match =>
            int.TryParse(match.Groups[1].ValueSpan, out var row) && row >= 1 && row <= lines.Count ? $"line {lines[row - 1]}" : match.Value);

    [System.Text.RegularExpressions.GeneratedRegex(@"\brow (\d+)\b")]
    private static partial System.Text.RegularExpressions.Regex RowReference();

    private static Dictionary<string, int> CheckHeader(string[] headers, List<UserImportProblem> problems)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        if (headers.Length <= 1 && headers.All(h => h.Length == 0))
        {
            problems.Add(new UserImportProblem(1, null, $"the file is empty; its first line must be the header {string.Join(",", BulkImportCsv.Columns)}."));
            return index;
        }

        // Excel in many locales saves "CSV" with ';' (or tabs for "Unicode text"): one clear problem, not nine.
        if (headers.Length == 1 && Array.Find([';', '\t'], c => headers[0].Contains(c, StringComparison.Ordinal)) is var separator and not '\0')
        {
            var name = separator == ';' ? "semicolons (;)" : "tabs";
            problems.Add(new UserImportProblem(1, null, $"the columns are separated by {name}; the file must be comma-separated (in Excel: Save As, \"CSV UTF-8 (Comma delimited)\")."));
            return index;
        }

        for (var i = 0; i < headers.Length; i++)
        {
            if (!BulkImportCsv.Columns.Contains(headers[i]))
            {
                problems.Add(new UserImportProblem(1, headers[i], $"unknown column; the columns are {string.Join(",", BulkImportCsv.Columns)} (exact spelling)."));
            }
            else if (!index.TryAdd(headers[i], i))
            {
                problems.Add(new UserImportProblem(1, headers[i], "the column is repeated."));
            }
        }

        foreach (var column in BulkImportCsv.Columns.Where(c => !index.ContainsKey(c)))
        {
            problems.Add(new UserImportProblem(1, column, "the header has no such column."));
        }

        return index;
    }
}
