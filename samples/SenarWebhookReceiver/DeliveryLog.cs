using Senar.Client.Webhooks;

namespace SenarWebhookReceiver;

/// <summary>Logs each delivery as typed data: the activity's scenario, trainee and points, or the user's email and profile.</summary>
internal sealed partial class DeliveryLog(ILogger<DeliveryLog> logger)
{
    private int _received;

    public int Count => Volatile.Read(ref _received);

    public void Received(SenarWebhookPayload payload)
    {
        Interlocked.Increment(ref _received);
        foreach (var activity in payload.Activities)
        {
            LogActivity(activity.Id, activity.ScenarioId, activity.ScenarioName, activity.TraineeEmail is { Length: > 0 } email ? email : "(no trainee email)",
                activity.TotalPoints, activity.TotalMaxPoints, activity.TrainingDate);
        }

        foreach (var user in payload.Users)
        {
            LogUser(user.Email, user.FirstName, user.LastName, user.Profile?.Value ?? "(no profile)", user.AccountName);
        }

        if (payload.Kind == SenarWebhookPayloadKind.Empty)
        {
            LogEmpty();
        }
    }

    public void Refused(string reason) => LogRefused(reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Activity {Id}: {ScenarioId} \"{ScenarioName}\" by {Trainee}, {Points}/{MaxPoints} points, trained {TrainingDate:s}")]
    private partial void LogActivity(int id, string? scenarioId, string? scenarioName, string trainee, int? points, int? maxPoints, DateTime? trainingDate);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {Email}: {FirstName} {LastName}, {Profile}, account {Account}")]
    private partial void LogUser(string? email, string? firstName, string? lastName, string profile, string? account);

    [LoggerMessage(Level = LogLevel.Information, Message = "An empty delivery (an empty array).")]
    private partial void LogEmpty();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a delivery that is not a Senar user or activity: {Reason}")]
    private partial void LogRefused(string reason);
}
