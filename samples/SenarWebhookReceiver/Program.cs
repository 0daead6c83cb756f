using Senar.Client;
using Senar.Client.Webhooks;
using SenarWebhookReceiver;
using TrainingApis.Sandbox;

// An ASP.NET Core app that receives Senar webhooks: it registers its own URL for activities and users
// (Webhooks.RegisterAsync) and logs each delivery, parsed into typed objects with SenarWebhookPayload.
//   dotnet run --project samples/SenarWebhookReceiver [-- --exit-after-demo]
// Without SENAR_USERNAME/SENAR_PASSWORD it uses the embedded sandbox and triggers one delivery of each kind itself.
var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddInMemoryCollection(ReceiverSettings.EnvironmentAliases());
var settings = ReceiverSettings.From(builder.Configuration, args);
if (settings.Problem is { } problem)
{
    Console.Error.WriteLine(problem);
    return 2;
}

if (builder.Configuration["urls"] is null)
{
    builder.WebHost.UseUrls("http://127.0.0.1:5090");
}

await using var sandbox = settings.UseSandbox ? await TrainingSandbox.StartAsync() : null;
builder.Services.AddSenarClient(options =>
{
    if (sandbox is null)
    {
        builder.Configuration.GetSection("Senar").Bind(options);
    }
    else
    {
        options.BaseAddress = sandbox.BaseAddress;
        options.Username = sandbox.SenarUsername;
        options.Password = sandbox.SenarPassword;
    }
});
builder.Services.AddSingleton<DeliveryLog>();

await using var app = builder.Build();

// Senar signs nothing: the secret token in the hook's path is what keeps others from posting fake deliveries.
var hook = new HookEndpoint(settings.HookToken);
app.MapPost(HookEndpoint.PathPrefix + "{token}", (HttpContext context, DeliveryLog log) => hook.HandleAsync(context, log));
app.MapGet("/", () => $"Senar webhook receiver: POST deliveries to {HookEndpoint.PathPrefix}<token>");

await app.StartAsync();
var publicBase = (settings.PublicUrl ?? new Uri(app.Urls.First())).ToString().TrimEnd('/') + "/";
var hookUrl = new Uri(new Uri(publicBase), hook.Path.TrimStart('/'));
var shownUrl = new Uri(new Uri(publicBase), HookEndpoint.PathPrefix.TrimStart('/') + "***"); // Logs never show the token.
var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SenarWebhookReceiver");
if (sandbox is not null)
{
    logger.LogInformation("Senar: the embedded sandbox at {Address} (no SENAR_USERNAME/SENAR_PASSWORD configured)", sandbox.BaseAddress);
}

try
{
    var senar = app.Services.GetRequiredService<ISenarClient>();
    foreach (var webhookEvent in new[] { SenarWebhookEvent.Activity, SenarWebhookEvent.User })
    {
        var registration = await senar.Webhooks.RegisterAsync(hookUrl, webhookEvent);
        logger.LogInformation("Registered {Event} webhook {WebhookId} -> {HookUrl}", webhookEvent, registration.Id, shownUrl);
    }

    if (sandbox is not null)
    {
        await SandboxDemo.TriggerDeliveriesAsync(sandbox, logger);
    }
}
catch (Exception ex) when (ex is TrainingApis.Core.ApiException or ArgumentException or TimeoutException or HttpRequestException)
{
    logger.LogError("Could not set up the webhooks: {Message}", ex.Message);
    await app.StopAsync();
    return 1;
}

var deliveries = app.Services.GetRequiredService<DeliveryLog>();
if (settings.ExitAfterDemo)
{
    await app.StopAsync();
    return deliveries.Count >= 2 ? 0 : 1;
}

logger.LogInformation("Listening on {Url}{Path}; press Ctrl+C to stop.", app.Urls.First(), HookEndpoint.PathPrefix + "***");
await app.WaitForShutdownAsync();
return 0;
