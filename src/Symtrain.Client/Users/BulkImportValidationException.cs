namespace Symtrain.Client.Users;

/// <summary>
/// Bulk import data was refused before anything was uploaded. <see cref="Errors"/> lists every problem, each with its row
/// number and column.
/// </summary>
public sealed class BulkImportValidationException : ArgumentException
{
    private const int MaxListedInMessage = 50;

    /// <summary>Creates an exception with a message.</summary>
    public BulkImportValidationException(string message)
        : base(message)
    {
        Errors = [];
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    public BulkImportValidationException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    /// <summary>Creates an exception listing <paramref name="errors"/>.</summary>
    /// <param name="errors">Every problem found.</param>
    /// <param name="paramName">The argument that held the data.</param>
    public BulkImportValidationException(IReadOnlyList<BulkImportRowError> errors, string? paramName)
        : base(BuildMessage(errors), paramName)
    {
        Errors = errors;
    }

    /// <summary>Every problem found, in row order.</summary>
    public IReadOnlyList<BulkImportRowError> Errors { get; }

    private static string BuildMessage(IReadOnlyList<BulkImportRowError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        // Each problem is a sentence; inside the list they are joined without their own final period.
        var listed = string.Join("; ", errors.Take(MaxListedInMessage).Select(static e => e.ToString().TrimEnd('.')));
        var more = errors.Count > MaxListedInMessage ? $"; and {errors.Count - MaxListedInMessage} more (see Errors)" : string.Empty;
        return $"The bulk import data was refused before upload ({errors.Count} problem{(errors.Count == 1 ? "" : "s")}): {listed}{more}.";
    }
}
