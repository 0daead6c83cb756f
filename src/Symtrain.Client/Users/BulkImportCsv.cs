using CsvHelper;

namespace Symtrain.Client.Users;

/// <summary>
/// The bulk import file format: the eight columns in their documented order, at most <see cref="MaxRowsPerFile"/> rows per
/// file, and the rules each row must follow. <c>BulkImportAsync</c> and <c>BulkImportCsvAsync</c> apply these rules before
/// uploading; call <see cref="Validate"/> for a dry run, and <see cref="Chunk"/> to split a larger set.
/// </summary>
/// <remarks>
/// Rules: <c>firstName</c>, <c>lastName</c>, <c>username</c>, <c>email</c>, <c>role</c>, <c>status</c> and <c>action</c>
/// are required (<c>teamName</c> is optional); <c>email</c> is an address and <c>username</c> equals it exactly, case
/// included; a username appears once per file; <c>role</c> is <c>trainee</c>; <c>status</c> is <c>ACTIVE</c> or
/// <c>INACTIVE</c>; <c>action</c> is <c>Add</c> or <c>Update</c> (exactly as written here). Text values that start with
/// <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or CR, which a spreadsheet would run as a formula, are written with a leading
/// <c>'</c>; an email or username starting with one of them is refused instead, since a prefix would change the address.
/// </remarks>
public static class BulkImportCsv
{
    /// <summary>The most rows one file may hold: 750.</summary>
    public const int MaxRowsPerFile = 750;

    /// <summary>The largest number of rows read from a caller's CSV file before it is refused outright.</summary>
    internal const int MaxRowsRead = 100_000;

    private static readonly string[] ColumnNames = ["firstName", "lastName", "username", "email", "role", "teamName", "status", "action"];

    private static readonly CsvWriterOptions WriterOptions = new()
    {
        Injection = CsvInjection.Escape,
        NewLine = "\r\n",
    };

    /// <summary>The columns of the file, in the documented order: <c>firstName,lastName,username,email,role,teamName,status,action</c>.</summary>
    public static IReadOnlyList<string> Columns => ColumnNames;

    /// <summary>
    /// Every problem with <paramref name="rows"/> as one file: each row's problems (row numbers are 1-based, the header
    /// not counted) and the file's (no rows, more than <see cref="MaxRowsPerFile"/>). Empty when the rows can be uploaded.
    /// </summary>
    public static IReadOnlyList<BulkImportRowError> Validate(IEnumerable<BulkImportRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var list = rows as IReadOnlyList<BulkImportRow> ?? [.. rows];
        var errors = new List<BulkImportRowError>();
        AddCountErrors(list.Count, errors, inBatches: false);
        AddRowErrors(list, errors);
        return errors;
    }

    /// <summary>Splits <paramref name="rows"/> into consecutive files of at most <see cref="MaxRowsPerFile"/> rows, in order.</summary>
    public static IEnumerable<IReadOnlyList<BulkImportRow>> Chunk(IEnumerable<BulkImportRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return rows.Chunk(MaxRowsPerFile);
    }

    /// <summary>
    /// Writes the header and <paramref name="rows"/> as CSV (RFC 4180, UTF-8 without byte order mark, CRLF), neutralising
    /// values a spreadsheet would run as formulas. Does not validate: call <see cref="Validate"/> first.
    /// </summary>
    public static void Write(IEnumerable<BulkImportRow> rows, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(destination);
        using var writer = CsvWriter.Create(destination, WriterOptions, leaveOpen: true);
        writer.WriteHeader(ColumnNames);
        foreach (var row in rows)
        {
            ArgumentNullException.ThrowIfNull(row, nameof(rows));
            writer.WriteField(row.FirstName);
            writer.WriteField(row.LastName);
            writer.WriteField(row.Username ?? row.Email);
            writer.WriteField(row.Email);
            writer.WriteField(row.Role);
            writer.WriteField(row.TeamName);
            writer.WriteField(row.Status);
            writer.WriteField(row.Action);
            writer.EndRecord();
        }

        writer.Flush();
    }

    internal static byte[] ToBytes(IEnumerable<BulkImportRow> rows)
    {
        using var buffer = new MemoryStream();
        Write(rows, buffer);
        return buffer.ToArray();
    }

    internal static void AddCountErrors(int count, List<BulkImportRowError> errors, bool inBatches)
    {
        if (count == 0)
        {
            errors.Add(new BulkImportRowError(null, null, "There are no rows to import."));
        }
        else if (count > MaxRowsPerFile && !inBatches)
        {
            errors.Add(new BulkImportRowError(
                null,
                null,
                $"There are {count} rows; Symtrain accepts at most {MaxRowsPerFile} per file. Use BulkImportInBatchesAsync, " +
                $"which uploads consecutive files of {MaxRowsPerFile}, or split the rows with BulkImportCsv.Chunk."));
        }
    }

    internal static void AddRowErrors(IReadOnlyList<BulkImportRow> rows, List<BulkImportRowError> errors)
    {
        var usernames = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < rows.Count; i++)
        {
            var number = i + 1;
            var row = rows[i];
            if (row is null)
            {
                errors.Add(new BulkImportRowError(number, null, "The row is null."));
                continue;
            }

            void Add(string field, string message) => errors.Add(new BulkImportRowError(number, field, message));

            if (string.IsNullOrWhiteSpace(row.FirstName))
            {
                Add("firstName", "is required.");
            }

            if (string.IsNullOrWhiteSpace(row.LastName))
            {
                Add("lastName", "is required.");
            }

            var emailProblem = EmailProblem(row.Email);
            if (emailProblem is not null)
            {
                Add("email", emailProblem);
            }

            var username = row.Username ?? row.Email;
            if (row.Username is not null && EmailProblem(row.Username) is { } usernameProblem)
            {
                Add("username", usernameProblem);
            }
            else if (emailProblem is null && !string.Equals(username, row.Email, StringComparison.Ordinal))
            {
                Add("username", "must equal email exactly (case included).");
            }

            if (!string.IsNullOrWhiteSpace(username))
            {
                if (usernames.TryGetValue(username, out var first))
                {
                    Add("username", $"repeats the username of row {first}; a user appears once per file.");
                }
                else
                {
                    usernames[username] = number;
                }
            }

            if (!string.Equals(row.Role, BulkImportRow.TraineeRole, StringComparison.Ordinal))
            {
                Add("role", $"must be '{BulkImportRow.TraineeRole}', the only role supported ({Describe(row.Role)}).");
            }

            if (row.Status is not (BulkImportRow.ActiveStatus or BulkImportRow.InactiveStatus))
            {
                Add("status", $"must be {BulkImportRow.ActiveStatus} or {BulkImportRow.InactiveStatus} ({Describe(row.Status)}).");
            }

            if (row.Action is not (BulkImportRow.AddAction or BulkImportRow.UpdateAction))
            {
                Add("action", $"must be {BulkImportRow.AddAction} or {BulkImportRow.UpdateAction} ({Describe(row.Action)}).");
            }
        }
    }

    /// <summary>What is wrong with an email address or username (a phrase), or null when it is acceptable.</summary>
    internal static string? EmailProblem(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return "is required.";
        }

        if (value[0] is '=' or '+' or '-' or '@')
        {
            return "must not start with =, +, - or @ (a spreadsheet would run it as a formula).";
        }

        var at = value.IndexOf('@', StringComparison.Ordinal);
        var valid = at > 0
            && at < value.Length - 1
            && value.IndexOf('@', at + 1) < 0
            && !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));
        return valid ? null : "is not an email address.";
    }

    private static string Describe(string? value) => value switch
    {
        null => "it is missing",
        "" => "it is empty",
        { Length: > 40 } => $"was '{value[..40]}…'",
        _ => $"was '{value}'",
    };

    /// <summary>
    /// Reads a bulk import CSV file into rows and checks every rule <c>BulkImportCsvAsync</c> checks before uploading:
    /// the header (the eight <see cref="Columns"/>, any order, exact names), malformed lines, and each row's rules (see
    /// <see cref="Validate"/>). Nothing is sent. More than <see cref="MaxRowsPerFile"/> rows are allowed: upload them with
    /// <c>BulkImportInBatchesAsync</c>, which sends consecutive files.
    /// </summary>
    /// <param name="csv">The file, UTF-8 (a byte order mark is accepted), comma-separated, with a header line.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The rows, in file order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="csv"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="csv"/> cannot be read.</exception>
    /// <exception cref="BulkImportValidationException">The file has problems: <see cref="BulkImportValidationException.Errors"/>
    /// lists every one, with its row (1-based, header not counted) and column.</exception>
    public static async Task<IReadOnlyList<BulkImportRow>> ReadValidatedAsync(Stream csv, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(csv);
        if (!csv.CanRead)
        {
            throw new ArgumentException("The CSV stream cannot be read.", nameof(csv));
        }

        var (rows, errors) = await ReadCheckedAsync(csv, inBatches: true, cancellationToken).ConfigureAwait(false);
        return errors.Count > 0 ? throw new BulkImportValidationException(errors, nameof(csv)) : rows;
    }

    /// <summary>Reads a caller's CSV file and applies every rule; the problems are ordered by row, file-wide ones first.</summary>
    internal static async Task<(List<BulkImportRow> Rows, List<BulkImportRowError> Errors)> ReadCheckedAsync(Stream csv, bool inBatches, CancellationToken cancellationToken)
    {
        var (rows, errors) = await ReadAsync(csv, cancellationToken).ConfigureAwait(false);
        if (errors.Count == 0)
        {
            AddCountErrors(rows.Count, errors, inBatches);
            AddRowErrors(rows, errors);
        }
        else if (errors.All(e => e.Row is not null))
        {
            // Malformed lines do not hide the problems of the other rows.
            AddRowErrors(rows, errors);
        }

        return (rows, [.. errors.OrderBy(e => e.Row ?? 0)]);
    }

    /// <summary>Reads a caller's CSV file: header checked first (alone when bad), then each row read into a <see cref="BulkImportRow"/>.</summary>
    internal static async Task<(List<BulkImportRow> Rows, List<BulkImportRowError> Errors)> ReadAsync(Stream csv, CancellationToken cancellationToken)
    {
        var rows = new List<BulkImportRow>();
        var errors = new List<BulkImportRowError>();
        var options = new CsvReaderOptions
        {
            Separator = ',',
            HasHeader = true,
            DetectSeparatorHint = false,
            OnMalformedRecord = record => errors.Add(new BulkImportRowError(
                record.RecordNumber > 1 ? (int)Math.Min(int.MaxValue, record.RecordNumber - 1) : null,
                null,
                $"The CSV is malformed ({record.Reason}).")),
        };

        var reader = CsvReader.Create(csv, options, leaveOpen: true);
        await using (reader.ConfigureAwait(false))
        {
            try
            {
                await reader.ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
                var headers = reader.Headers.ToArray().Select(h => h.Trim()).ToArray();
                if (headers.Length == 0 || headers.All(string.IsNullOrEmpty))
                {
                    errors.Add(new BulkImportRowError(null, null, $"The CSV file is empty; it needs the header {string.Join(",", ColumnNames)}."));
                    return (rows, errors);
                }

                var index = CheckHeader(headers, errors);
                if (errors.Count > 0)
                {
                    return (rows, errors);
                }

                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (rows.Count >= MaxRowsRead)
                    {
                        errors.Add(new BulkImportRowError(null, null, $"The CSV file has more than {MaxRowsRead} rows; it was not read further."));
                        break;
                    }

                    var count = reader.FieldCount;
                    if (count != headers.Length)
                    {
                        errors.Add(new BulkImportRowError(rows.Count + 1, null, $"has {count} fields; the header has {headers.Length}."));
                    }

                    string Field(string column) => index[column] < count ? reader.GetString(index[column]) : string.Empty;
                    var team = Field("teamName");
                    rows.Add(new BulkImportRow
                    {
                        FirstName = Field("firstName"),
                        LastName = Field("lastName"),
                        Username = Field("username"),
                        Email = Field("email"),
                        Role = Field("role"),
                        TeamName = team.Length == 0 ? null : team,
                        Status = Field("status"),
                        Action = Field("action"),
                    });
                }
            }
            catch (CsvFormatException ex)
            {
                errors.Add(new BulkImportRowError(ex.RecordNumber > 1 ? (int)Math.Min(int.MaxValue, ex.RecordNumber - 1) : null, null, $"The CSV could not be read: {ex.Message}"));
            }
        }

        return (rows, errors);
    }

    private static Dictionary<string, int> CheckHeader(string[] headers, List<BulkImportRowError> errors)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < headers.Length; i++)
        {
            var name = headers[i];
            if (!ColumnNames.Contains(name, StringComparer.Ordinal))
            {
                var hint = ColumnNames.FirstOrDefault(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase));
                errors.Add(new BulkImportRowError(
                    null,
                    name,
                    hint is null
                        ? $"The header has an unknown column '{name}'; the columns are {string.Join(",", ColumnNames)}."
                        : $"The header column '{name}' must be written '{hint}'."));
            }
            else if (!index.TryAdd(name, i))
            {
                errors.Add(new BulkImportRowError(null, name, $"The header repeats the column '{name}'."));
            }
        }

        foreach (var column in ColumnNames)
        {
            if (!index.ContainsKey(column) && !headers.Any(h => string.Equals(h, column, StringComparison.OrdinalIgnoreCase)))
            {
                errors.Add(new BulkImportRowError(null, column, $"The header has no column '{column}'."));
            }
        }

        return index;
    }
}
