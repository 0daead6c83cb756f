using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Senar.Client;
using Senar.Client.Activities;
using Senar.Client.Auth;
using Senar.Client.Users;
using Senar.Client.Webhooks;
using TrainingApis.Core;

namespace DocSnippets;

/// <summary>The code of docs/senar.md, compiled.</summary>
internal static class SenarGuide
{
    public static void CreateClient()
    {
        #region senar-create-client
        using var client = new SenarClient(new SenarClientOptions
        {
            Username = "integration@acme.example",
            Password = Environment.GetEnvironmentVariable("SENAR_PASSWORD"),
        });
        #endregion
    }

    public static void WithDependencyInjection()
    {
        #region senar-dependency-injection
        var services = new ServiceCollection();
        services.AddSenarClient(options =>
        {
            options.Username = "integration@acme.example";
            options.Password = Environment.GetEnvironmentVariable("SENAR_PASSWORD");
        });
        // or: services.AddSenarClient(configuration.GetSection("Senar"));

        using var provider = services.BuildServiceProvider();
        var senar = provider.GetRequiredService<ISenarClient>();
        #endregion
    }

    public static async Task TourAsync(ISenarClient client, CancellationToken cancellationToken)
    {
        #region senar-login
        try
        {
            SenarToken token = await client.Auth.LoginAsync();
            Console.WriteLine(token); // "SenarToken (***)": the value is never printed
        }
        catch (ApiAuthenticationException ex)
        {
            Console.WriteLine(ex.Message); // Senar login failed for user 'integration@acme.example': …
        }
        #endregion

        #region senar-assign-collection
        UserAssignResult result = await client.Users.AssignCollectionAsync(new UserAssignment
        {
            Email = "new.user@neworg.example",
            FirstName = "New",
            LastName = "User",
            Password = "Password8",
            Organization = "NewOrg Inc.",
            CollectionId = 4242, // the number at the end of https://studio.senar.io/Collections/Edit/4242
        });

        Console.WriteLine(result.IsNewUser ? "created and assigned" : "existing user assigned");
        #endregion

        #region senar-assign-collection-errors
        try
        {
            await client.Users.AssignCollectionAsync(new UserAssignment { Email = "not-an-email", Password = "short" });
        }
        catch (UserAssignmentValidationException ex)
        {
            foreach (var error in ex.Errors)
            {
                Console.WriteLine(error); // "Email: must be an email address …", "Password: must have …", "CollectionId: …"
            }
        }
        #endregion

        #region senar-users
        IReadOnlyList<SenarUser> users = await client.Users.ListAsync();
        foreach (var user in users)
        {
            Console.WriteLine($"{user.Id} {user.FirstName} {user.LastName} {user.Email} {user.Profile} {user.CreationDate:u}");
        }

        await foreach (SenarUser user in client.Users.StreamAsync())
        {
            if (user.Profile == SenarUserProfile.Instructor)
            {
                Console.WriteLine(user.Email);
            }
        }
        #endregion

        #region senar-activities
        await foreach (SenarActivity activity in client.Activities.StreamAsync(cancellationToken))
        {
            Console.WriteLine($"{activity.Id} {activity.ScenarioId} {activity.TrainingDate:s} {activity.TotalPoints}/{activity.TotalMaxPoints}");
        }

        IReadOnlyList<SenarActivity> all = await client.Activities.ListAsync(cancellationToken);
        #endregion

        #region senar-webhook-register
        WebhookRegistration registration = await client.Webhooks.RegisterAsync(
            new Uri("https://hooks.zapier.com/hooks/catch/123/abc/"),
            SenarWebhookEvent.Activity);

        Console.WriteLine(registration.Id); // keep it: Senar says it identifies the webhook for unsubscribing
        #endregion
    }

    public static void ReceiveWebhooks(WebApplication app)
    {
        #region senar-webhook-receive
        app.MapPost("/hooks/senar", async (HttpRequest request, CancellationToken cancellationToken) =>
        {
            SenarWebhookPayload payload;
            try
            {
                payload = await SenarWebhookPayload.ParseAsync(request.Body, cancellationToken);
            }
            catch (SenarWebhookPayloadException ex)
            {
                return Results.BadRequest(ex.Message);
            }

            switch (payload.Kind)
            {
                case SenarWebhookPayloadKind.Activities:
                    foreach (var activity in payload.Activities)
                    {
                        Console.WriteLine($"activity {activity.Id} by {activity.TraineeId}");
                    }

                    break;
                case SenarWebhookPayloadKind.Users:
                    foreach (var user in payload.Users)
                    {
                        Console.WriteLine($"user {user.Email}");
                    }

                    break;
            }

            return Results.Ok();
        });
        #endregion
    }
}
