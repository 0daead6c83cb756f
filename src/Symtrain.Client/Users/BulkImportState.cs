namespace Symtrain.Client.Users;

/// <summary>Where a bulk import task stands: <c>SCHEDULED → STARTED → COMPLETED</c>, or <c>… → FAILED</c>.</summary>
public enum BulkImportState
{
    /// <summary>A value this SDK does not know; see <see cref="BulkImportStatus.RawStatus"/>.</summary>
    Unknown,

    /// <summary><c>SCHEDULED</c>: waiting to start.</summary>
    Scheduled,

    /// <summary><c>STARTED</c>: running.</summary>
    Started,

    /// <summary><c>COMPLETED</c>: finished successfully.</summary>
    Completed,

    /// <summary><c>FAILED</c>: finished with an error.</summary>
    Failed,
}
