using System.Text.RegularExpressions;
using Symtrain.Client.Users;

namespace TrainingApis.Cli.Import;

/// <summary>
/// Reads a Symtrain user CSV with the SDK's own reader and rules (<see cref="BulkImportCsv.ReadAsync"/>: encodings and
/// byte order marks, a <c>sep=</c> first line, header names ignoring case, empty rows skipped, the default field and
/// file bounds, every row's rules), so that the tool accepts exactly the files the SDK accepts. Every problem is found,
/// with its line in the file, before anything is sent. More than 750 rows is not a problem: they are uploaded as
/// consecutive files.
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
            try
            {
                return new UserImportFile(await BulkImportCsv.ReadAsync(file, options: null, cancellationToken).ConfigureAwait(false), []);
            }
            catch (BulkImportValidationException ex)
            {
                return new UserImportFile([], [.. ex.Errors.Select(e => new UserImportProblem(e.Line, e.Field, Phrase(e.Message))).OrderBy(p => p.Line ?? 0)]);
            }
        }
    }

    /// <summary>
    /// The SDK's message as the tool prints it, after <c>line N, field:</c>: lines rather than the data rows of the SDK
    /// ("row 1 (line 3)" is "line 3"), and a lower-case start ("The header …" is "the header …").
    /// </summary>
    private static string Phrase(string message)
    {
        var text = RowAndLine().Replace(message, "line $1");
        return text is [var first, var second, ..] && char.IsUpper(first) && !char.IsUpper(second) ? char.ToLowerInvariant(first) + text[1..] : text;
    }

    [GeneratedRegex(@"\brow \d+ \(line (\d+)\)")]
    private static partial Regex RowAndLine();
}
