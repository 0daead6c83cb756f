using System.Globalization;
using AotSmoke;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Senar.Client;
using Senar.Client.Webhooks;
using Symtrain.Client;
using Symtrain.Client.Access;
using TrainingApis.Core;

// Calls both clients, built both ways (dependency injection with configuration binding, and by hand), against a
// running sandbox; exits 0 when every call returned data and telemetry was recorded.
var settings = SmokeSettings.FromEnvironment();
Console.WriteLine($"aot-smoke: {settings}");
using var telemetry = new Telemetry();

// Options bound from configuration by the binding source generator of the client packages.
var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Symtrain:BaseAddress"] = settings.SandboxUrl.ToString(),
    ["Symtrain:ApiKey"] = settings.ApiKey,
    ["Symtrain:Retry:MaxRetries"] = "2",
    ["Symtrain:RateLimit:PermitLimit"] = "100",
    ["Symtrain:Timeout"] = "00:01:00",
    ["Senar:BaseAddress"] = settings.SandboxUrl.ToString(),
    ["Senar:Username"] = settings.SenarUsername,
    ["Senar:Password"] = settings.SenarPassword,
    ["Senar:AttemptTimeout"] = "00:00:30",
}).Build();
var services = new ServiceCollection();
services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(telemetry));
services.AddSymtrainClient(configuration.GetSection("Symtrain"));
services.AddSenarClient(configuration.GetSection("Senar"));
await using var provider = services.BuildServiceProvider(validateScopes: true);
var symtrain = provider.GetRequiredService<ISymtrainClient>();
var senar = provider.GetRequiredService<ISenarClient>();

var token = await symtrain.Users.CreateAccessTokenAsync(settings.OrganizationId, settings.UserId);
Console.WriteLine($"symtrain: Users.CreateAccessTokenAsync -> {token}");
var library = await symtrain.Access.GetLibraryPageAsync(new LibraryQuery { OrganizationId = settings.OrganizationId, UserId = settings.UserId, PageSize = 5 });
Console.WriteLine($"symtrain: Access.GetLibraryPageAsync -> {library.Simulations.Count} simulations of {library.Total}");
var today = DateOnly.FromDateTime(DateTime.UtcNow);
var rows = 0;
await foreach (var row in symtrain.Reports.StreamReportAsync(SymtrainReport.Users, new DateRange(today.AddDays(-200), today)))
{
    rows += row.FieldNames.Count > 0 ? 1 : 0;
}

Console.WriteLine($"symtrain: Reports.StreamReportAsync (200 days, 2 windows) -> {rows} rows");

var users = await senar.Users.ListAsync();
Console.WriteLine($"senar: Users.ListAsync -> {users.Count} users");
var activities = 0;
ActivitySummary? first = null;
await foreach (var activity in senar.Activities.StreamAsync())
{
    activities++;
    first ??= new ActivitySummary(activity.Id, activity.ScenarioName);
}

Console.WriteLine($"senar: Activities.StreamAsync -> {activities} activities (first {first})");
var payload = SenarWebhookPayload.Parse("""[{"id": 7, "userEmail": "ana@example.com", "totalPoints": 8, "trainingDate": "2024-05-01T10:00:00"}]""");
Console.WriteLine($"senar: SenarWebhookPayload.Parse -> {payload.Kind}, {payload.Count} item(s)");

// A hand-built client, without dependency injection.
using (var handBuilt = new SymtrainClient(new SymtrainClientOptions { BaseAddress = settings.SandboxUrl, ApiKey = settings.ApiKey }))
{
    var page = await handBuilt.Access.GetLibraryPageAsync(new LibraryQuery { OrganizationId = settings.OrganizationId, UserId = settings.UserId, PageSize = 1 });
    Console.WriteLine($"symtrain (hand-built): Access.GetLibraryPageAsync -> {page.Simulations.Count} simulation");
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"telemetry: {telemetry.Spans} spans, {telemetry.Measurements} measurements, {telemetry.Logs} log entries"));
var ok = !string.IsNullOrEmpty(token.Token) && library.Simulations.Count > 0 && rows > 0 && users.Count > 0 && activities > 0
    && payload.Count == 1 && telemetry.Spans > 0 && telemetry.Measurements > 0 && telemetry.Logs > 0;
Console.WriteLine(ok ? "AOT-SMOKE-OK" : "AOT-SMOKE-FAILED");
return ok ? 0 : 1;

/// <summary>What the smoke test prints of an activity.</summary>
internal sealed record ActivitySummary(int Id, string? ScenarioName);
