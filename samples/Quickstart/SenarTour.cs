using System.Security.Cryptography;
using Senar.Client;
using Senar.Client.Users;
using Senar.Client.Webhooks;

namespace Quickstart;

/// <summary>Every call of <see cref="ISenarClient"/>: auth, users, activities and webhooks.</summary>
internal static class SenarTour
{
    private const string WritesSkipped = "changes data on the real service: run with --allow-writes";

    public static async Task RunAsync(SenarTarget target, Transcript transcript, CancellationToken cancellationToken)
    {
        var client = target.Client;
        transcript.Section("Senar · Auth, Users, Activities, Webhooks");
        await transcript.StepAsync("Auth.LoginAsync", async () =>
        {
            var token = await (target.Probe ?? client).Auth.LoginAsync(cancellationToken);   // a short bound: see SenarTarget.Probe
            return $"{token}; later calls reuse it and log in again on a 401";
        });

        if (!target.CanWrite)
        {
            transcript.Skip("Users.AssignCollectionAsync", WritesSkipped);
        }
        else if (target is { NewUserEmail: { } email, CollectionId: > 0 })
        {
            await transcript.StepAsync("Users.AssignCollectionAsync", async () =>
            {
                var result = await client.Users.AssignCollectionAsync(
                    new UserAssignment
                    {
                        Email = email,
                        FirstName = "Quinn",
                        LastName = "Starter",
                        Password = NewPassword(),   // never printed; the user resets it in Senar Studio
                        Organization = "Quickstart Inc.",
                        CollectionId = target.CollectionId,
                    },
                    cancellationToken);
                return $"{result.Email} -> collection {result.CollectionId} ({(result.IsNewUser ? "new user" : "existing user")})";
            });
        }
        else
        {
            transcript.Skip("Users.AssignCollectionAsync", "set Quickstart:NewUserEmail and Quickstart:SenarCollectionId");
        }

        await transcript.StepAsync("Users.ListAsync", async () =>
        {
            var users = await client.Users.ListAsync(cancellationToken);
            var instructors = users.Count(u => u.Profile == SenarUserProfile.Instructor);
            var first = users.Count > 0 ? $"; first: {users[0].FirstName} {users[0].LastName} ({users[0].Profile})" : string.Empty;
            return $"{Transcript.Count(users.Count, "user")}, {instructors} instructors{first}";
        });

        await transcript.StepAsync("Activities.StreamAsync", async () =>
        {
            var count = 0;
            long points = 0;
            var scenarios = new HashSet<string>(StringComparer.Ordinal);
            DateTime? last = null;
            await foreach (var activity in client.Activities.StreamAsync(cancellationToken))
            {
                count++;
                points += activity.TotalPoints ?? 0;
                scenarios.Add(activity.ScenarioId ?? string.Empty);
                last = activity.TrainingDate ?? last;
            }

            return $"{Transcript.Count(count, "activity")} read one at a time, {scenarios.Count} scenarios, {points:N0} points, last on {last:yyyy-MM-dd}";
        });

        if (!target.CanWrite)
        {
            transcript.Skip("Webhooks.RegisterAsync", WritesSkipped);
        }
        else if (target.WebhookUrl is { } hookUrl)
        {
            await transcript.StepAsync("Webhooks.RegisterAsync", async () =>
            {
                var registration = await client.Webhooks.RegisterAsync(hookUrl, SenarWebhookEvent.Activity, cancellationToken);
                return $"activity hook {registration.Id} -> {hookUrl.GetLeftPart(UriPartial.Path)}";
            });
        }
        else
        {
            transcript.Skip("Webhooks.RegisterAsync", "set Quickstart:WebhookUrl (an https address Senar can reach)");
        }
    }

    /// <summary>A password Senar accepts (letters and digits, 6 or more characters), random each run.</summary>
    private static string NewPassword() =>
        "Qs" + RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyz", 6) + RandomNumberGenerator.GetInt32(10, 100);
}
