using System.Net.Http.Json;
using System.Text.Json;
using TrainingApis.Sandbox;

namespace SenarWebhookReceiver;

/// <summary>
/// On the sandbox, adds one activity and one user through its control endpoints; the sandbox then POSTs each to the
/// registered hooks (this app) before it answers.
/// </summary>
internal static class SandboxDemo
{
    public static async Task TriggerDeliveriesAsync(TrainingSandbox sandbox, ILogger logger)
    {
        using var control = new HttpClient { BaseAddress = sandbox.BaseAddress };
        await AddAsync(control, "_sandbox/senar/activities", new { scenarioName = "Night shift lift", totalPoints = 1850 }, logger);
        await AddAsync(control, "_sandbox/senar/users", new { firstName = "Dana", lastName = "Receiver", email = "dana.receiver@hooks.example" }, logger);
    }

    private static async Task AddAsync(HttpClient control, string path, object body, ILogger logger)
    {
        using var response = await control.PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var delivered = json.RootElement.GetProperty("deliveries").EnumerateArray().Count(d => d.GetProperty("succeeded").GetBoolean());
        logger.LogInformation("Sandbox: POST /{Path} added one and delivered it to {Count} hook(s)", path, delivered);
    }
}
