using Senar.Client.Webhooks;

namespace SenarWebhookReceiver;

/// <summary>
/// Logs each delivery as typed data: the activity's scenario, trainee and points, or the user's email and profile. At
/// most <see cref="MaxItemsLogged"/> items of one delivery are logged, then one line counting the rest, so a large
/// delivery cannot flood the log.
/// </summary>
internal sealed partial class DeliveryLog(ILogger<DeliveryLog> logger)
{
    /// <summary>The most items of one delivery that get a log line each.</summary>
    public const int MaxItemsLogged = 10;

    private const int MaxReasonLength = 200;

    private int _received;

    public int Count => Volatile.Read(ref _received);

    public void Received(SenarWebhookPayload payload)
    {
        Interlocked.Increment(ref _received);
        var logged = 0;
        foreach (var activity in payload.Activities.Take(MaxItemsLogged))
        {
            LogActivity(activity.Id, activity.ScenarioId, activity.ScenarioName, activity.TraineeEmail is { Length: > 0 } email ? email : "(no trainee email)",
                activity.TotalPoints, activity.TotalMaxPoints, activity.TrainingDate);
            logged++;
        }

        foreach (var user in payload.Users.Take(MaxItemsLogged - logged))
        {
            LogUser(user.Email, user.FirstName, user.LastName, user.Profile?.Value ?? "(no profile)", user.AccountName);
            logged++;
        }

        var total = payload.Activities.Count + payload.Users.Count;
        if (total > logged)
        {
            LogMore(total - logged, total);
        }

        if (payload.Kind == SenarWebhookPayloadKind.Empty)
        {
            LogEmpty();
        }
    }

    public void Refused(string reason) => LogRefused(reason.Length > MaxReasonLength ? reason[..MaxReasonLength] + "…" : reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Activity {Id}: {ScenarioId} \"{ScenarioName}\" by {Trainee}, {Points}/{MaxPoints} points, trained {TrainingDate:s}")]
    private partial void LogActivity(int id, string? scenarioId, string? scenarioName, string trainee, int? points, int? maxPoints, DateTime? trainingDate);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {Email}: {FirstName} {LastName}, {Profile}, account {Account}")]
    private partial void LogUser(string? email, string? firstName, string? lastName, string profile, string? account);

    [LoggerMessage(Level = LogLevel.Information, Message = "… and {More} more of the delivery's {Total} items (not logged one by one).")]
    private partial void LogMore(int more, int total);

    [LoggerMessage(Level = LogLevel.Information, Message = "An empty delivery (an empty array).")]
    private partial void LogEmpty();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a delivery: {Reason}")]
    private partial void LogRefused(string reason);
}
