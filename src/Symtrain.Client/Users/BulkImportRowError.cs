namespace Symtrain.Client.Users;

/// <summary>One problem found in bulk import data before upload.</summary>
/// <param name="Row">The 1-based number of the data row (the header is not counted); null for a problem of the whole file.</param>
/// <param name="Field">The column, e.g. <c>email</c>; null when the problem is not about one column.</param>
/// <param name="Message">What is wrong.</param>
public sealed record BulkImportRowError(int? Row, string? Field, string Message)
{
    /// <summary>Returns <c>row N, field: message</c>.</summary>
    public override string ToString() => (Row, Field) switch
    {
        (null, null) => Message,
        (null, { } field) => $"{field}: {Message}",
        ({ } row, null) => $"row {row}: {Message}",
        ({ } row, { } field) => $"row {row}, {field}: {Message}",
    };
}
