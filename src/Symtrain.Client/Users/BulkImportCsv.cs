using System.Buffers;
using System.Text;
using System.Text.Unicode;
using CsvHelper;
using TrainingApis.Core;

namespace Symtrain.Client.Users;

/// <summary>
/// The bulk import file format: the eight columns in their documented order, at most <see cref="MaxRowsPerFile"/> rows per
/// file, and the rules each row must follow. <c>BulkImportAsync</c> and <c>BulkImportCsvAsync</c> apply these rules before
/// uploading; call <see cref="Validate(IEnumerable{BulkImportRow})"/> for a dry run, and <see cref="Chunk"/> to split a larger set.
/// </summary>
/// <remarks>
/// Rules: <c>firstName</c>, <c>lastName</c>, <c>username</c>, <c>email</c>, <c>role</c>, <c>status</c> and <c>action</c>
/// are required (<c>teamName</c> is optional); <c>email</c> is an address and <c>username</c> equals it exactly, case
/// included; a username appears once per file; <c>role</c> is <c>trainee</c>; <c>status</c> is <c>ACTIVE</c> or
/// <c>INACTIVE</c>; <c>action</c> is <c>Add</c> or <c>Update</c> (exactly as written here). Text values that start with
/// <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or CR, which a spreadsheet would run as a formula, are written with a leading
/// <c>'</c>; an email or username starting with one of them is refused instead, since a prefix would change the address.
/// No value may hold U+FFFD (text damaged by a wrong decoding), U+FEFF or a control character other than tab, CR and LF,
/// or be longer than <see cref="SymtrainClientOptions.BulkImportMaxFieldBytes"/>, and the file must fit in
/// <see cref="SymtrainClientOptions.BulkImportMaxFileBytes"/>. How <c>BulkImportCsvAsync</c> reads a caller's file
/// (encodings, <c>sep=</c> lines, empty rows, row and line numbers) is described in docs/symtrain.md.
/// </remarks>
public static class BulkImportCsv
{
    /// <summary>The most rows one file may hold: 750.</summary>
    public const int MaxRowsPerFile = 750;

    /// <summary>The largest number of rows read from a caller's CSV file before it is refused outright.</summary>
    internal const int MaxRowsRead = 100_000;

    private static readonly string[] ColumnNames = ["firstName", "lastName", "username", "email", "role", "teamName", "status", "action"];

    /// <summary>The characters no value may hold: the controls (C0 but tab, LF and CR; DEL; C1) and U+FEFF, a byte order mark.</summary>
    private static readonly SearchValues<char> RefusedCharacters = SearchValues.Create(
        [.. Enumerable.Range(0, 0xA0).Where(c => (c < 0x20 || c >= 0x7F) && c is not ('\t' or '\n' or '\r')).Select(c => (char)c), '\uFEFF']);

    private static readonly CsvWriterOptions WriterOptions = new()
    {
        Injection = CsvInjection.Escape,
        NewLine = "\r\n",
    };

    /// <summary>The columns of the file, in the documented order: <c>firstName,lastName,username,email,role,teamName,status,action</c>.</summary>
    public static IReadOnlyList<string> Columns => ColumnNames;

    /// <summary>
    /// Every problem with <paramref name="rows"/> as one file, under the default bounds
    /// (<see cref="SymtrainClientOptions.DefaultBulkImportMaxFieldBytes"/>,
    /// <see cref="SymtrainClientOptions.DefaultBulkImportMaxFileBytes"/>): each row's problems (row numbers are 1-based, the
    /// header not counted) and the file's (no rows, more than <see cref="MaxRowsPerFile"/>, too large). Empty when the rows
    /// can be uploaded.
    /// </summary>
    public static IReadOnlyList<BulkImportRowError> Validate(IEnumerable<BulkImportRow> rows) =>
        Validate(rows, SymtrainClientOptions.DefaultBulkImportMaxFieldBytes, SymtrainClientOptions.DefaultBulkImportMaxFileBytes);

    /// <summary>
    /// Every problem with <paramref name="rows"/> as one file, under the bounds of <paramref name="options"/>
    /// (<see cref="SymtrainClientOptions.BulkImportMaxFieldBytes"/>, <see cref="SymtrainClientOptions.BulkImportMaxFileBytes"/>):
    /// the dry run of <c>BulkImportAsync</c> with those options. Empty when the rows can be uploaded.
    /// </summary>
    public static IReadOnlyList<BulkImportRowError> Validate(IEnumerable<BulkImportRow> rows, SymtrainClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Validate(rows, options.BulkImportMaxFieldBytes, options.BulkImportMaxFileBytes);
    }

    private static List<BulkImportRowError> Validate(IEnumerable<BulkImportRow> rows, int maxFieldBytes, int maxFileBytes)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var list = rows as IReadOnlyList<BulkImportRow> ?? [.. rows];
        var errors = new List<BulkImportRowError>();
        AddCountErrors(list.Count, errors, inBatches: false);
        AddRowErrors(list, errors, maxFieldBytes);
        if (errors.Count == 0)
        {
            using var file = WriteBounded(list, maxFileBytes, keep: false);
            if (file.Exceeded)
            {
                errors.Add(FileTooLarge(file.BytesWritten, maxFileBytes, null));
            }
        }

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
    /// values a spreadsheet would run as formulas. Does not validate: call <see cref="Validate(IEnumerable{BulkImportRow})"/> first.
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

    /// <summary>Writes <paramref name="rows"/> as a file, keeping (or, when <paramref name="keep"/> is false, only counting) at most <paramref name="maxFileBytes"/> bytes.</summary>
    internal static LimitedWriteStream WriteBounded(IEnumerable<BulkImportRow> rows, int maxFileBytes, bool keep)
    {
        var file = new LimitedWriteStream(maxFileBytes, keep);
        Write(rows, file);
        return file;
    }

    /// <summary>The error for a file of <paramref name="size"/> bytes, over <paramref name="maxFileBytes"/>.</summary>
    internal static BulkImportRowError FileTooLarge(long size, int maxFileBytes, string? which) => new(
        null,
        null,
        $"The file{(which is null ? "" : " of " + which)} would be {size} bytes; at most {maxFileBytes} bytes are uploaded " +
        "(SymtrainClientOptions.BulkImportMaxFileBytes). Upload fewer rows per file (BulkImportInBatchesAsync, BulkImportCsv.Chunk) " +
        "or shorten the values.");

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

    /// <summary>Adds the problems of each row; <paramref name="lines"/>, when the rows were read from a file, gives the line of each.</summary>
    internal static void AddRowErrors(IReadOnlyList<BulkImportRow> rows, List<BulkImportRowError> errors, int maxFieldBytes, IReadOnlyList<int?>? lines = null)
    {
        var usernames = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < rows.Count; i++)
        {
            var number = i + 1;
            var line = lines is not null && i < lines.Count ? lines[i] : null;
            var row = rows[i];
            if (row is null)
            {
                errors.Add(new BulkImportRowError(number, null, "The row is null.") { Line = line });
                continue;
            }

            void Add(string field, string message) => errors.Add(new BulkImportRowError(number, field, message) { Line = line });

            foreach (var (field, value) in Values(row))
            {
                if (value is null)
                {
                    continue;
                }

                if (value.Contains('\uFFFD', StringComparison.Ordinal))
                {
                    Add(field, "holds U+FFFD, the character a program writes for text it could not decode: the value was damaged before it " +
                        "got here (a file saved as Windows-1252 and read as UTF-8, for example). Correct it from the source.");
                }

                // Tabs and line breaks are text a quoted value may hold; other controls (NUL from a UTF-16 file read as
                // bytes, ESC, DEL, C1) are in no name or address, and the server would store them as they are.
                if (value.AsSpan().IndexOfAny(RefusedCharacters) is var at and >= 0)
                {
                    Add(field, value[at] == '\uFEFF'
                        ? "holds U+FEFF, a byte order mark inside the text (two files joined into one?), which no name or address contains. Remove it."
                        : $"holds the control character U+{(int)value[at]:X4}, which no name or address contains (a file saved as UTF-16 and read as bytes " +
                            "holds many U+0000). Remove it, or save the file again as \"CSV UTF-8 (Comma delimited)\".");
                }

                if (TextRules.LoneSurrogateProblem(value) is { } surrogate)
                {
                    Add(field, surrogate);
                }

                if (value.Length > maxFieldBytes / 3 && Encoding.UTF8.GetByteCount(value) is var bytes && bytes > maxFieldBytes)
                {
                    Add(field, $"is {bytes} bytes long; at most {maxFieldBytes} bytes are allowed (SymtrainClientOptions.BulkImportMaxFieldBytes).");
                }
            }

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
                    var firstLine = lines is not null && first <= lines.Count && lines[first - 1] is { } l ? $" (line {l})" : string.Empty;
                    Add("username", $"repeats the username of row {first}{firstLine}; a user appears once per file.");
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

    private static (string Field, string? Value)[] Values(BulkImportRow row) =>
    [
        ("firstName", row.FirstName), ("lastName", row.LastName), ("username", row.Username), ("email", row.Email),
        ("role", row.Role), ("teamName", row.TeamName), ("status", row.Status), ("action", row.Action),
    ];

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
    /// Reads and checks a CSV file under the rules <c>BulkImportCsvAsync</c> applies — encodings, a <c>sep=</c> first
    /// line, header names, empty rows, every row's values, the bounds of <paramref name="options"/> — but uploads nothing
    /// and allows more than <see cref="MaxRowsPerFile"/> rows (upload them with <c>BulkImportInBatchesAsync</c>). The
    /// stream is left open.
    /// </summary>
    /// <param name="csv">The file, read from its current position.</param>
    /// <param name="options">The bounds (<see cref="SymtrainClientOptions.BulkImportMaxFieldBytes"/>,
    /// <see cref="SymtrainClientOptions.BulkImportMaxFileBytes"/>); null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <returns>The rows, in file order (empty rows skipped).</returns>
    /// <exception cref="BulkImportValidationException">
    /// The file has problems; <see cref="BulkImportValidationException.Errors"/> lists each with its row and line.
    /// </exception>
    public static async Task<IReadOnlyList<BulkImportRow>> ReadAsync(Stream csv, SymtrainClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var (rows, errors) = await ReadAndCheckAsync(
            csv,
            options?.BulkImportMaxFieldBytes ?? SymtrainClientOptions.DefaultBulkImportMaxFieldBytes,
            options?.BulkImportMaxFileBytes ?? SymtrainClientOptions.DefaultBulkImportMaxFileBytes,
            inBatches: true,
            cancellationToken).ConfigureAwait(false);
        return errors.Count > 0 ? throw new BulkImportValidationException(errors, nameof(csv)) : rows;
    }

    /// <summary>Reads a caller's file and checks its rows: the rows, and every problem in row order (none when they can be uploaded).</summary>
    internal static async Task<(List<BulkImportRow> Rows, List<BulkImportRowError> Errors)> ReadAndCheckAsync(
        Stream csv, int maxFieldBytes, int maxFileBytes, bool inBatches, CancellationToken cancellationToken)
    {
        if (!csv.CanRead)
        {
            throw new ArgumentException("The CSV stream cannot be read.", nameof(csv));
        }

        var content = await ReadFileAsync(csv, maxFieldBytes, maxFileBytes, cancellationToken).ConfigureAwait(false);
        var errors = content.Errors;
        if (content.Complete)
        {
            // Malformed lines do not hide the problems of the other rows.
            if (errors.Count == 0)
            {
                AddCountErrors(content.Rows.Count, errors, inBatches);
            }

            var rowErrors = new List<BulkImportRowError>();
            AddRowErrors(content.Rows, rowErrors, maxFieldBytes, content.Lines);
            errors.AddRange(rowErrors.Where(e => e.Row is not { } row || !content.Malformed.Contains(row)));
        }

        return (content.Rows, [.. errors.OrderBy(e => e.Row ?? 0)]);
    }

    /// <summary>
    /// Reads a caller's CSV file under the rules of docs/symtrain.md: UTF-8 (a UTF-8 byte order mark is skipped, UTF-16 and
    /// UTF-32 ones are transcoded, bytes that are not UTF-8 stop the reading with one error naming the row and line),
    /// commas unless a first line <c>sep=X</c> says otherwise, header names matched ignoring case and surrounding
    /// whitespace, wholly empty rows skipped, no more than <paramref name="maxFileBytes"/> read from
    /// <paramref name="csv"/> and no record longer than <paramref name="maxFieldBytes"/> per column held in memory.
    /// </summary>
    private static async Task<CsvContent> ReadFileAsync(Stream csv, int maxFieldBytes, int maxFileBytes, CancellationToken cancellationToken)
    {
        var content = new CsvContent();
        var errors = content.Errors;
        var input = new SizeLimitedReadStream(csv, maxFileBytes);

        // Enough for "sep=X" and a line break after a UTF-32 byte order mark.
        var start = await input.PeekAsync(32, cancellationToken).ConfigureAwait(false);
        if (Decode(start.Span) is null)
        {
            errors.Add(new BulkImportRowError(
                null,
                null,
                "The file starts with NUL bytes (0x00): it is UTF-16 or UTF-32 text saved without a byte order mark, whose encoding cannot be known " +
                "for certain. Save it as \"CSV UTF-8 (Comma delimited)\" (or as UTF-8, or UTF-16 with a byte order mark) and import it again.") { Line = 1 });
            return content;
        }

        var hint = SeparatorHint(start.Span);
        if (hint is { } declared && !AllowedSeparators.Contains(declared))
        {
            errors.Add(new BulkImportRowError(null, null, $"The first line sets the separator {Name(declared)}; only commas, ';', tabs and '|' are read.") { Line = 1 });
            return content;
        }

        var options = new CsvReaderOptions
        {
            // Commas only, unless the file declares its separator (Excel writes and reads "sep=;"): a guess could split a
            // value such as "Nuñez; Jr" in two.
            Separator = hint ?? ',',
            DetectSeparatorHint = false,
            HasHeader = true,
            TrackLineNumbers = true,
            MaxRecordSize = MaxRecordBytes(maxFieldBytes, maxFileBytes),
            OnMalformedRecord = record =>
            {
                content.Malformed.Add(content.Rows.Count + 1);
                errors.Add(new BulkImportRowError(content.Rows.Count + 1, null, $"The CSV is malformed: {Describe(record.Reason)}.") { Line = ToInt(record.LineNumber) });
            },
        };

        var reader = CsvReader.Create(input, options, leaveOpen: true);
        await using (reader.ConfigureAwait(false))
        {
            try
            {
                await reader.ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
                var header = reader.Headers.ToArray();
                var headerLine = ToInt(reader.LineNumber);

                // A sep= line is read as the first record and the header is the next one: so is "sep=;;;;;;;", which a
                // program that took the line for a cell saves back.
                if (hint is not null)
                {
                    var found = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    header = found ? [.. Enumerable.Range(0, reader.FieldCount).Select(reader.GetString)] : [];
                    headerLine = ToInt(reader.LineNumber);
                }

                if (header.Length == 0 || header.All(string.IsNullOrWhiteSpace))
                {
                    errors.Add(new BulkImportRowError(null, null, $"The file is empty; its first line must be the header {string.Join(",", ColumnNames)}.") { Line = 1 });
                    return content;
                }

                var index = CheckHeader(header, reader.Separator, headerLine, errors);
                if (errors.Count > 0)
                {
                    return content;
                }

                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var row = content.Rows.Count + 1;
                    var line = ToInt(reader.LineNumber);
                    if (EncodingProblem(reader, header) is { } problem)
                    {
                        Stop(new BulkImportRowError(row, problem.Column, problem.Message) { Line = line });
                        return content;
                    }

                    var count = reader.FieldCount;
                    if (IsEmpty(reader, count))
                    {
                        continue; // Excel writes ",,,,,,," for a row it once formatted: not a user.
                    }

                    if (content.Rows.Count >= MaxRowsRead)
                    {
                        Stop(new BulkImportRowError(null, null, $"The CSV file has more than {MaxRowsRead} rows; it was not read further.") { Line = line });
                        return content;
                    }

                    if (!content.Malformed.Contains(row) && (count < index.Count || LastNonEmpty(reader, count) >= index.Count))
                    {
                        errors.Add(new BulkImportRowError(row, null, $"has {count} fields; the header has {index.Count}.") { Line = line });
                    }

                    string Field(string column) => index[column] < count ? reader.GetString(index[column]) : string.Empty;
                    var team = Field("teamName");
                    content.Rows.Add(new BulkImportRow
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
                    content.Lines.Add(line);
                }

                content.Complete = true;
            }
            catch (SizeLimitedReadStream.LimitExceededException)
            {
                Stop(new BulkImportRowError(
                    null,
                    null,
                    $"The CSV file is larger than {maxFileBytes} bytes (SymtrainClientOptions.BulkImportMaxFileBytes); it was not read further."));
            }
            catch (CsvFormatException ex) when (ex.Message.Contains(nameof(CsvReaderOptions.MaxRecordSize), StringComparison.Ordinal))
            {
                Stop(new BulkImportRowError(
                    content.Rows.Count + 1,
                    null,
                    $"is longer than {options.MaxRecordSize} bytes: a value is longer than {maxFieldBytes} bytes " +
                    "(SymtrainClientOptions.BulkImportMaxFieldBytes), or a quote is never closed; the file was not read further.") { Line = ToInt(ex.LineNumber) });
            }
            catch (CsvFormatException ex)
            {
                errors.Add(new BulkImportRowError(content.Rows.Count + 1, null, $"The CSV could not be read: {ex.Message}") { Line = ToInt(ex.LineNumber) });
            }
        }

        return content;

        // A stop is reported alone: the rows before it were not all read, so their problems would be a partial list.
        void Stop(BulkImportRowError error)
        {
            errors.Clear();
            errors.Add(error);
        }
    }

    /// <summary>What the reading of a caller's file produced: its rows, the line each starts on, and the problems found.</summary>
    private sealed class CsvContent
    {
        public List<BulkImportRow> Rows { get; } = [];

        public List<int?> Lines { get; } = [];

        public List<BulkImportRowError> Errors { get; } = [];

        /// <summary>The rows whose quoting is broken: their fields are not what the user meant, so only that is reported of them.</summary>
        public HashSet<int> Malformed { get; } = [];

        /// <summary>Whether the whole file was read (its rows can then be checked).</summary>
        public bool Complete { get; set; }
    }

    private static readonly char[] AllowedSeparators = [',', ';', '\t', '|'];

    /// <summary>The separator a first line <c>sep=X</c> declares (after any byte order mark), or null.</summary>
    private static char? SeparatorHint(ReadOnlySpan<byte> start) =>
        Decode(start) is { Length: > 4 } text && text.StartsWith("sep=", StringComparison.OrdinalIgnoreCase) && text[4] is not ('\r' or '\n') ? text[4] : null;

    /// <summary>
    /// The text of a file's first bytes in the encoding its byte order mark names (UTF-8 without one); null when there is
    /// no mark and a NUL byte shows the text is UTF-16 or UTF-32 whose byte order cannot be known.
    /// </summary>
    private static string? Decode(ReadOnlySpan<byte> start)
    {
        // UTF-32 first: its little-endian mark begins with UTF-16's.
        (Encoding? encoding, var mark) = start switch
        {
            [0xFF, 0xFE, 0x00, 0x00, ..] => (new UTF32Encoding(bigEndian: false, byteOrderMark: false), 4),
            [0x00, 0x00, 0xFE, 0xFF, ..] => (new UTF32Encoding(bigEndian: true, byteOrderMark: false), 4),
            [0xFF, 0xFE, ..] => (Encoding.Unicode, 2),
            [0xFE, 0xFF, ..] => (Encoding.BigEndianUnicode, 2),
            [0xEF, 0xBB, 0xBF, ..] => (Encoding.UTF8, 3),
            _ when start.Contains((byte)0) => (null, 0),
            _ => (Encoding.UTF8, 0),
        };
        return encoding?.GetString(start[mark..]);
    }

    private static int MaxRecordBytes(int maxFieldBytes, int maxFileBytes)
    {
        // Every column at its largest, each value quoted with every character a doubled quote, and its separator.
        var record = ((2L * maxFieldBytes) + 3) * ColumnNames.Length;
        return (int)Math.Min(Math.Min(record, (long)maxFileBytes + 1), int.MaxValue);
    }

    private static string Name(char separator) => separator switch
    {
        '\t' => "tab",
        _ when char.IsControl(separator) => $"U+{(int)separator:X4}",
        _ => $"'{separator}'",
    };

    private static string Plural(char separator) => separator switch
    {
        ',' => "commas (',')",
        ';' => "semicolons (';')",
        '\t' => "tabs",
        '|' => "vertical bars ('|')",
        _ => Name(separator),
    };

    private static string Describe(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.UnterminatedQuote => "a quoted value is never closed, so the rest of the file became part of it",
        CsvMalformedReason.StrayQuote => "a quote inside a value that is not quoted, such as ab\"c (a quote inside a value must be doubled, and the value quoted: \"ab\"\"c\")",
        CsvMalformedReason.TextAfterClosingQuote => "text after the closing quote of a value, such as \"ab\"c (a quote inside a value must be doubled: \"ab\"\"c\")",
        CsvMalformedReason.FieldCountMismatch => "it has another number of values than the header",
        _ => "a quote is misplaced (a quote inside a value must be doubled, and the value quoted)",
    };

    private static int? ToInt(long number) => number > 0 ? (int)Math.Min(int.MaxValue, number) : null;

    private static bool IsEmpty(CsvReader reader, int count) => LastNonEmpty(reader, count) < 0;

    /// <summary>The index of the last field that holds more than whitespace, quoted or not (<c>""</c>, <c>" "</c>); -1 when none does.</summary>
    private static int LastNonEmpty(CsvReader reader, int count)
    {
        for (var i = count - 1; i >= 0; i--)
        {
            var raw = reader.GetRawSpan(i).Trim(" \t"u8);
            if (!raw.IsEmpty && (raw[0] != (byte)'"' || !string.IsNullOrWhiteSpace(reader.GetString(i))))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The first field of the current record that is not UTF-8, with a message saying how to save the file; or null.</summary>
    private static (string? Column, string Message)? EncodingProblem(CsvReader reader, string[] header)
    {
        if (Utf8.IsValid(reader.RawRecord))
        {
            return null;
        }

        for (var i = 0; i < reader.FieldCount; i++)
        {
            var raw = reader.GetRawSpan(i);
            if (Utf8.IsValid(raw))
            {
                continue;
            }

            var at = 0;
            while (Rune.DecodeFromUtf8(raw[at..], out _, out var consumed) == OperationStatus.Done)
            {
                at += consumed;
            }

            var column = i < header.Length && header[i].Trim() is { Length: > 0 } name ? name : null;
            return (column, $"The file is not UTF-8 text: the byte 0x{raw[at]:X2} cannot be read{(column is null ? "" : $" in {column}")}. " +
                "Excel's \"CSV (Comma delimited)\" writes Windows-1252, which would turn names such as Zoë into Zo\uFFFD. " +
                "Save the file as \"CSV UTF-8 (Comma delimited)\" (or as UTF-8 from any other program) and import it again.");
        }

        return (null, "The file is not UTF-8 text. Save it as \"CSV UTF-8 (Comma delimited)\" and import it again.");
    }

    private static Dictionary<string, int> CheckHeader(string[] header, char separator, int? line, List<BulkImportRowError> errors)
    {
        void Add(string? field, string message) => errors.Add(new BulkImportRowError(null, field, message) { Line = line });

        // No column name holds a separator: one that does is a header split by another separator than the one in use.
        if (Array.Find(AllowedSeparators, c => c != separator && header.Any(h => h.Contains(c, StringComparison.Ordinal))) is var other and not '\0')
        {
            Add(null, separator == ','
                ? $"The header is separated by {Plural(other)}, not commas (Excel saves ';' where the decimal separator is a comma). " +
                    $"Add the line sep={other} at the top of the file, or save it with commas."
                : $"The header is separated by {Plural(other)}, but the first line {(separator == '\t' ? "sep= and a tab" : $"sep={separator}")} declares {Name(separator)}. " +
                    $"Correct that line to sep={other}, or remove it if the file is separated by commas.");
            return [];
        }

        if (header.Any(h => h.Contains('\uFFFD', StringComparison.Ordinal)))
        {
            Add(null, "The header holds U+FFFD, the character a program writes for text it could not decode: the file is not UTF-8 text. " +
                "Save it as \"CSV UTF-8 (Comma delimited)\" and import it again.");
            return [];
        }

        // Trailing empty names are the columns Excel writes for cells once touched: ignored, like their empty values.
        var columns = header.Length;
        while (columns > 0 && string.IsNullOrWhiteSpace(header[columns - 1]))
        {
            columns--;
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < columns; i++)
        {
            var name = header[i].Trim();
            var column = ColumnNames.FirstOrDefault(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase));
            if (name.Length == 0)
            {
                Add(null, $"The header's column {i + 1} has no name; the columns are {string.Join(",", ColumnNames)}.");
            }
            else if (column is null)
            {
                Add(name, $"The header has an unknown column '{name}' (column {i + 1}); the columns are {string.Join(",", ColumnNames)}.");
            }
            else if (!index.TryAdd(column, i))
            {
                Add(column, $"The header repeats the column '{column}'.");
            }
        }

        foreach (var column in ColumnNames)
        {
            if (!index.ContainsKey(column))
            {
                Add(column, $"The header has no column '{column}'.");
            }
        }

        return index;
    }
}
