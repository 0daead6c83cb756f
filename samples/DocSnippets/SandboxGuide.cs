using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Senar.Client;
using Senar.Client.Webhooks;
using Symtrain.Client;
using TrainingApis.Sandbox;

namespace DocSnippets;

/// <summary>The code of docs/sandbox.md, compiled.</summary>
internal static class SandboxGuide
{
    public static async Task NamedClientsAsync()
    {
        #region sandbox-named-clients
        await using var emeaSandbox = await TrainingSandbox.StartAsync(new TrainingSandboxOptions { SymtrainApiKey = "emea-sandbox-key" });
        await using var americasSandbox = await TrainingSandbox.StartAsync(new TrainingSandboxOptions { SymtrainApiKey = "americas-sandbox-key" });

        var services = new ServiceCollection();
        services.AddSymtrainClient("emea", options =>
        {
            options.BaseAddress = emeaSandbox.BaseAddress;
            options.ApiKey = emeaSandbox.SymtrainApiKey;
        });
        services.AddSymtrainClient("americas", options =>
        {
            options.BaseAddress = americasSandbox.BaseAddress;
            options.ApiKey = americasSandbox.SymtrainApiKey;
        });
        services.AddSenarClient("academy", options =>
        {
            options.BaseAddress = emeaSandbox.BaseAddress;
            options.Username = emeaSandbox.SenarUsername;
            options.Password = emeaSandbox.SenarPassword;
        });
        await using var provider = services.BuildServiceProvider();

        var emea = provider.GetRequiredKeyedService<ISymtrainClient>("emea");
        var executions = await emea.Access.GetCompletionDataAsync(emeaSandbox.OrganizationId, emeaSandbox.TraineeUsername, emeaSandbox.SimulationId);
        var activities = await provider.GetRequiredKeyedService<ISenarClient>("academy").Activities.ListAsync();
        #endregion
        Console.WriteLine($"{executions.Count} executions, {activities.Count} activities");
    }

    public static async Task EmbedAsync()
    {
        #region sandbox-embed
        await using var sandbox = await TrainingSandbox.StartAsync(new TrainingSandboxOptions
        {
            SymtrainQuotaLimit = 10,                        // a scaled-down quota…
            SymtrainQuotaWindow = TimeSpan.FromSeconds(30), // …and window
            BulkImportQueueDelay = TimeSpan.FromMilliseconds(100),
            BulkImportProcessingTime = TimeSpan.FromMilliseconds(100),
        });

        using var symtrain = new SymtrainClient(new SymtrainClientOptions
        {
            BaseAddress = sandbox.BaseAddress,   // plain http is accepted for loopback addresses
            ApiKey = sandbox.SymtrainApiKey,
            BulkImportPollInterval = TimeSpan.FromMilliseconds(50),
        });
        using var senar = new SenarClient(new SenarClientOptions
        {
            BaseAddress = sandbox.BaseAddress,
            Username = sandbox.SenarUsername,
            Password = sandbox.SenarPassword,
        });

        var executions = await symtrain.Access.GetCompletionDataAsync(
            sandbox.OrganizationId, sandbox.TraineeUsername, sandbox.SimulationId);   // three attempts, the second incomplete
        var activities = await senar.Activities.ListAsync();                          // 1,000 seeded activities, ids from 80001
        #endregion
    }

    public static async Task WebhookAsync(TrainingSandbox sandbox, ISenarClient senar, Uri receiverBaseAddress)
    {
        #region sandbox-webhook
        WebhookRegistration registration = await senar.Webhooks.RegisterAsync(new Uri(receiverBaseAddress, "hooks/senar"), SenarWebhookEvent.Activity);

        using var control = new HttpClient { BaseAddress = sandbox.BaseAddress };
        using var added = await control.PostAsJsonAsync("_sandbox/senar/activities", new { scenarioName = "Night shift lift", totalPoints = 3100 });
        added.EnsureSuccessStatusCode();   // 201 once every delivery has finished; your receiver has the activity

        // In the receiver: SenarWebhookPayload payload = await SenarWebhookPayload.ParseAsync(request.Body);
        #endregion
    }

    public static async Task PlainHttpAsync(TrainingSandbox sandbox)
    {
        #region sandbox-plain-http
        using var http = new HttpClient { BaseAddress = sandbox.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "v2/access-api/user/token")
        {
            Content = JsonContent.Create(new { organizationId = sandbox.OrganizationId, userId = sandbox.TraineeUsername }),
        };
        request.Headers.Authorization = new("Bearer", sandbox.SymtrainApiKey);
        using var response = await http.SendAsync(request);   // {"token": "...", "expiresAt": "..."}
        #endregion
    }

    public static async Task FakeTimeAsync()
    {
        #region sandbox-fake-time
        var time = new FakeTimeProvider();
        await using var sandbox = await TrainingSandbox.StartAsync(new TrainingSandboxOptions
        {
            TimeProvider = time,
            SenarTokenLifetime = TimeSpan.FromMinutes(10),
        });
        // … log in, then:
        time.Advance(TimeSpan.FromMinutes(10));   // the token is now expired: the next Senar call answers 401
        #endregion
    }
}
