using System.Globalization;
using System.Text.RegularExpressions;
using Symtrain.Client;
using Symtrain.Client.Users;

namespace TrainingApis.Cli.Import;

/// <summary>
/// Reads a Symtrain user CSV with the SDK's own reader and rules (<see cref="BulkImportCsv.ReadAsync"/>: encodings and
/// byte order marks, a <c>sep=</c> first line, header names ignoring case, empty rows skipped, the default field and
/// file bounds, every row's rules), so that the tool accepts exactly the files the SDK accepts. Every problem is found,
/// with its line in the file, before anything is sent. More than 750 rows is not a problem: they are uploaded as
/// consecutive files, each measured as it will be sent.
/// </summary>
internal sealed partial class UserImportFile
{
    private UserImportFile(IReadOnlyList<BulkImportRow> rows, IReadOnlyList<UserImportProblem> problems)
    {
        Rows = rows;
        Problems = problems;
    }

    public IReadOnlyList<BulkImportRow> Rows { get; }

    public IReadOnlyList<UserImportProblem> Problems { get; }

    /// <summary>How many files of at most 750 rows the upload takes.</summary>
    public int Uploads => (Rows.Count + BulkImportCsv.MaxRowsPerFile - 1) / BulkImportCsv.MaxRowsPerFile;

    public static async Task<UserImportFile> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var file = File.OpenRead(path);
        await using (file.ConfigureAwait(false))
        {
            IReadOnlyList<BulkImportRow> rows;
            try
            {
                rows = await BulkImportCsv.ReadAsync(file, options: null, cancellationToken).ConfigureAwait(false);
            }
            catch (BulkImportValidationException ex)
            {
                return new UserImportFile([], [.. ex.Errors.Select(e => new UserImportProblem(e.Line, e.Field, Phrase(e.Message))).OrderBy(p => p.Line ?? 0)]);
            }

            return new UserImportFile(rows, UploadProblems(rows));
        }
    }

    /// <summary>
    /// The uploads that would be refused as too large: each file of 750 rows is written again as the SDK sends it (CRLF
    /// line ends, quotes doubled, formulas prefixed), which can be larger than the lines it was read from, so a dry run
    /// says what the upload will meet rather than "all valid".
    /// </summary>
    private static List<UserImportProblem> UploadProblems(IReadOnlyList<BulkImportRow> all)
    {
        var problems = new List<UserImportProblem>();
        var number = 0;
        foreach (var batch in BulkImportCsv.Chunk(all))
        {
            number++;
            if (!BulkImportCsv.Validate(batch).Any(e => e.Row is null)) // the rows were checked: only the file's size is left
            {
                continue;
            }

            var first = ((number - 1) * BulkImportCsv.MaxRowsPerFile) + 1;
            var rows = FormattableString.Invariant($"rows {first}–{first + batch.Count - 1}");
            var bound = SymtrainClientOptions.DefaultBulkImportMaxFileBytes.ToString("N0", CultureInfo.InvariantCulture);
            problems.Add(new UserImportProblem(
                null,
                null,
                $"upload {number} ({rows}) would be larger than {bound} bytes, the most one upload may hold, " +
                "once written as it is sent (CRLF line ends, quotes doubled); shorten the values."));
        }

        return problems;
    }

    /// <summary>
    /// The SDK's message as the tool prints it, after <c>line N, field:</c>: lines rather than the data rows of the SDK
    /// ("row 1 (line 3)" is "line 3"), a bound named as the SDK's default, not as an option the tool's user could set,
    /// and a lower-case start ("The header …" is "the header …").
    /// </summary>
    private static string Phrase(string message)
    {
        var text = SdkSetting().Replace(RowAndLine().Replace(message, "line $1"), "(the SDK's default $1, which the tool does not change)");
        return text is [var first, var second, ..] && char.IsUpper(first) && !char.IsUpper(second) ? char.ToLowerInvariant(first) + text[1..] : text;
    }

    [GeneratedRegex(@"\brow \d+ \(line (\d+)\)")]
    private static partial Regex RowAndLine();

    [GeneratedRegex(@"\(SymtrainClientOptions\.(\w+)\)")]
    private static partial Regex SdkSetting();
}
