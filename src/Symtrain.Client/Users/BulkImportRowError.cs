namespace Symtrain.Client.Users;

/// <summary>One problem found in bulk import data before upload.</summary>
/// <param name="Row">
/// The 1-based number of the data row (the header and skipped empty rows are not counted): the row's place in the file
/// that is uploaded, and in the rows given to <c>BulkImportAsync</c>. Null for a problem of the whole file or its header.
/// </param>
/// <param name="Field">The column, e.g. <c>email</c>; null when the problem is not about one column.</param>
/// <param name="Message">What is wrong.</param>
public sealed record BulkImportRowError(int? Row, string? Field, string Message)
{
    /// <summary>
    /// For a CSV file read by <c>BulkImportCsvAsync</c>, the 1-based line of the file where the row (or the header)
    /// starts, counting every line (the header, a <c>sep=</c> line, empty lines and the lines inside quoted values), as a
    /// text editor shows it and, for files without line breaks in values, as a spreadsheet numbers its rows. Null for rows
    /// that were not read from a file.
    /// </summary>
    public int? Line { get; init; }

    /// <summary>Returns <c>row N (line L), field: message</c>, leaving out the parts that are not known.</summary>
    public override string ToString()
    {
        var where = (Row, Line) switch
        {
            ({ } row, { } line) => $"row {row} (line {line})",
            ({ } row, null) => $"row {row}",
            (null, { } line) => $"line {line}",
            _ => null,
        };
        var at = (where, Field) switch
        {
            (null, null) => null,
            (null, { } field) => field,
            ({ } place, null) => place,
            ({ } place, { } field) => $"{place}, {field}",
        };
        return at is null ? Message : $"{at}: {Message}";
    }
}
