namespace TrainingApis.Sandbox.Symtrain;

internal sealed record BulkImportRow(int Row, string FirstName, string LastName, string Username, string Email, string? TeamName, string Status, string Action);

/// <summary>
/// An uploaded import. Its status is computed from the time elapsed since upload (never from a background timer), so it
/// follows whichever clock the sandbox runs on: SCHEDULED for the queue delay, STARTED for the processing time, then
/// COMPLETED, or FAILED when a row's teamName is <c>FAIL</c> (the sandbox's failure trigger).
/// </summary>
internal sealed class BulkImportTask
{
    public const string FailTeamName = "FAIL";

    public BulkImportTask(string taskId, string organizationId, DateTimeOffset createdAt, IReadOnlyList<BulkImportRow> rows)
    {
        TaskId = taskId;
        OrganizationId = organizationId;
        CreatedAt = createdAt;
        Rows = rows;
        for (var i = 0; i < rows.Count; i++)
        {
            if (string.Equals(rows[i].TeamName, FailTeamName, StringComparison.OrdinalIgnoreCase))
            {
                FailingIndex = i;
                break;
            }
        }
    }

    public string TaskId { get; }

    public string OrganizationId { get; }

    public DateTimeOffset CreatedAt { get; }

    public IReadOnlyList<BulkImportRow> Rows { get; }

    /// <summary>The index in <see cref="Rows"/> of the row that makes the import fail, or null.</summary>
    public int? FailingIndex { get; }

    /// <summary>Set once the users of a completed import have been added (under the state's lock).</summary>
    public bool Applied { get; set; }

    public BulkImportStatusResponse StatusAt(DateTimeOffset now, TimeSpan queueDelay, TimeSpan processingTime)
    {
        var total = Rows.Count;
        var elapsed = now - CreatedAt;
        var startedAt = CreatedAt + queueDelay;
        var finishedAt = startedAt + processingTime;
        if (elapsed < queueDelay)
        {
            return Response("SCHEDULED", CreatedAt, 0, null);
        }

        var stop = FailingIndex ?? total;
        if (now < finishedAt)
        {
            var done = processingTime <= TimeSpan.Zero ? total : (int)(total * ((now - startedAt).Ticks / (double)processingTime.Ticks));
            return Response("STARTED", startedAt, Math.Min(done, stop), null);
        }

        if (FailingIndex is { } failing)
        {
            var row = Rows[failing];
            return Response(
                "FAILED",
                finishedAt,
                failing,
                $"Row {row.Row} ({row.Username}): team '{row.TeamName}' could not be processed. No user of this file was imported.");
        }

        return Response("COMPLETED", finishedAt, total, null);

        BulkImportStatusResponse Response(string status, DateTimeOffset updatedAt, int processed, string? error) =>
            new(TaskId, status, CreatedAt.UtcDateTime, updatedAt.UtcDateTime, processed, total, error);
    }
}
