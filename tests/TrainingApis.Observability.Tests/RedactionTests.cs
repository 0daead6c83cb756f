using System.Collections;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Senar.Client;
using Senar.Client.Users;
using Senar.Client.Webhooks;
using Symtrain.Client;
using Symtrain.Client.Access;
using Symtrain.Client.Users;
using TrainingApis.Core;
using TrainingApis.Observability.Tests.TestSupport;
using TrainingApis.Testing;

namespace TrainingApis.Observability.Tests;

/// <summary>
/// Every endpoint of both clients, with logging at Trace, tracing and metrics on, against servers that fail in every
/// way and echo every secret back: no API key, password or token may appear in a log entry (message, structured values,
/// exception), a span (name, tags, events, status), a metric tag, an exception (message, <c>ToString()</c>, body,
/// errors) or the <c>ToString()</c> of an options, request or result object.
/// </summary>
public sealed class RedactionTests
{
    private static readonly DateRange Range = DateRange.FromDays(new DateOnly(2024, 1, 1), 30);

    private static readonly BulkImportRow Row = new() { FirstName = "Ana", LastName = "Diaz", Email = "ana@example.com" };

    private static readonly UserAssignment Assignment = new()
    {
        Email = "new@example.com",
        FirstName = "New",
        LastName = "User",
        Password = Secrets.AssignedUserPassword,
        Organization = "NewOrg Inc.",
        CollectionId = 42,
    };

    private static readonly (string Name, Func<SymtrainClient, Task<object?>> Call)[] SymtrainCalls =
    [
        ("Reports.GetSymsResult", async c => await c.Reports.GetSymsResultAsync(Range)),
        ("Reports.GetUserResults", async c => await c.Reports.GetUserResultsAsync(Range)),
        ("Reports.GetTrainingPlanResult", async c => await c.Reports.GetTrainingPlanResultAsync(Range)),
        ("Reports.GetModulesResults", async c => await c.Reports.GetModulesResultsAsync(Range)),
        ("Reports.GetSyms", async c => await c.Reports.GetSymsAsync(Range)),
        ("Reports.GetUsers", async c => await c.Reports.GetUsersAsync(Range)),
        ("Reports.GetTeamsResult", async c => await c.Reports.GetTeamsResultAsync(Range)),
        ("Reports.GetReport", async c => await c.Reports.GetReportAsync(SymtrainReport.Users, Range)),
        ("Reports.GetReport<T>", async c => await c.Reports.GetReportAsync(SymtrainReport.Users, Range, TestJsonContext.Default.TestReportRow)),
        ("Reports.StreamReport", async c => await CollectAsync(c.Reports.StreamReportAsync(SymtrainReport.UserResults, Range))),
        ("Access.CreateDeepLink", async c => await c.Access.CreateDeepLinkAsync("org-1", "ana@example.com", "sim-1")),
        ("Access.CreateDeepLinks", async c => await c.Access.CreateDeepLinksAsync(new DeepLinkRequest { OrganizationId = "org-1", UserId = "ana@example.com", Tags = ["billing"] })),
        ("Access.GetCompletionData", async c => await c.Access.GetCompletionDataAsync("org-1", "ana@example.com", "sim-1")),
        ("Access.GetLibraryPage", async c => await c.Access.GetLibraryPageAsync(new LibraryQuery { OrganizationId = "org-1", UserId = "ana@example.com" })),
        ("Access.ListLibrary", async c => await CollectAsync(c.Access.ListLibraryAsync(new LibraryQuery { OrganizationId = "org-1", UserId = "ana@example.com" }))),
        ("Access.AssignSimulation", async c => await c.Access.AssignSimulationAsync("org-1", "ana@example.com", "sim-1")),
        ("Access.UnassignSimulation", async c =>
        {
            await c.Access.UnassignSimulationAsync("org-1", "ana@example.com", "sim-1");
            return null;
        }),
        ("Users.CreateAccessToken", async c => await c.Users.CreateAccessTokenAsync("org-1", "ana@example.com")),
        ("Users.CreateUser", async c => await c.Users.CreateUserAsync(new CreateUserRequest { OrganizationId = "org-1", Email = "new@example.com", FirstName = "New" })),
        ("Users.BulkImport", async c => await c.Users.BulkImportAsync("org-1", [Row])),
        ("Users.BulkImportInBatches", async c => await CollectAsync(c.Users.BulkImportInBatchesAsync("org-1", [Row]))),
        ("Users.BulkImportCsv", async c => await c.Users.BulkImportCsvAsync("org-1", new MemoryStream(Encoding.UTF8.GetBytes(
            "firstName,lastName,username,email,role,teamName,status,action\nAna,Diaz,ana@example.com,ana@example.com,trainee,,ACTIVE,Add\n")))),
        ("Users.GetBulkImportStatus", async c => await c.Users.GetBulkImportStatusAsync("org-1", "task-1")),
        ("Users.WaitForBulkImport", async c => await c.Users.WaitForBulkImportAsync("org-1", "task-1")),
    ];

    private static readonly (string Name, Func<SenarClient, Task<object?>> Call)[] SenarCalls =
    [
        ("Auth.Login", async c => await c.Auth.LoginAsync()),
        ("Users.AssignCollection", async c => await c.Users.AssignCollectionAsync(Assignment)),
        ("Users.List", async c => await c.Users.ListAsync()),
        ("Users.Stream", async c => await CollectAsync(c.Users.StreamAsync())),
        ("Activities.List", async c => await c.Activities.ListAsync()),
        ("Activities.Stream", async c => await CollectAsync(c.Activities.StreamAsync())),
        ("Webhooks.Register", async c => await c.Webhooks.RegisterAsync(new Uri("https://hooks.example.com/senar"), SenarWebhookEvent.Activity)),
    ];

    public static TheoryData<Fault> SymtrainFaults =>
        [Fault.None, Fault.Unauthorized, Fault.BadRequest, Fault.ServerError, Fault.BadJson, Fault.Timeout, Fault.EchoEncoded];

    public static TheoryData<Fault> SenarFaults =>
        [Fault.None, Fault.Unauthorized, Fault.BadRequest, Fault.ServerError, Fault.BadJson, Fault.Timeout,
         Fault.LoginRefused, Fault.LoginWithoutToken, Fault.LoginBadJson, Fault.AssignRefused, Fault.EchoEncoded, Fault.LoginEchoEncoded];

    [Theory]
    [MemberData(nameof(SymtrainFaults))]
    public async Task No_symtrain_endpoint_leaks_a_secret(Fault fault)
    {
        using var telemetry = new Telemetry();
        var logs = new FakeLogCollector();
        using var logging = Clients.Logging(logs);
        var texts = new List<(string Where, string? Text)>();
        var failures = 0;
        foreach (var (name, call) in SymtrainCalls)
        {
            var time = FakeTime.Create();
            var options = Clients.SymtrainOptions(Tight);
            using var client = new SymtrainClient(options, Fakes.Symtrain(time, fault), time, logging);
            var (result, error) = await RunAsync(time, call(client));
            if (fault == Fault.None)
            {
                error.Should().BeNull($"{name} succeeds against a well-behaved server");
            }
            else
            {
                error.Should().NotBeNull($"{name} fails on {fault}");
                failures++;
            }

            texts.Add(($"{name} options", options.ToString()));
            texts.AddRange(Describe(name, result, error));
        }

        AssertNoLeak(fault, texts, logs, telemetry);
        failures.Should().Be(fault == Fault.None ? 0 : SymtrainCalls.Length);
    }

    [Theory]
    [MemberData(nameof(SenarFaults))]
    public async Task No_senar_endpoint_leaks_a_secret(Fault fault)
    {
        using var telemetry = new Telemetry();
        var logs = new FakeLogCollector();
        using var logging = Clients.Logging(logs);
        var texts = new List<(string Where, string? Text)> { ("assignment", Assignment.ToString()) };
        foreach (var (name, call) in SenarCalls)
        {
            var time = FakeTime.Create();
            var options = Clients.SenarOptions(Tight);
            using var client = new SenarClient(options, Fakes.Senar(time, fault), time, logging);
            var (result, error) = await RunAsync(time, call(client));
            var shouldFail = fault switch
            {
                Fault.None => false,
                Fault.AssignRefused => name == "Users.AssignCollection",
                Fault.LoginRefused or Fault.LoginWithoutToken or Fault.LoginBadJson or Fault.LoginEchoEncoded => true,
                _ => name != "Auth.Login", // The login itself works; the API calls fail.
            };
            if (shouldFail)
            {
                error.Should().NotBeNull($"{name} fails on {fault}");
            }
            else
            {
                error.Should().BeNull($"{name} succeeds on {fault}");
            }

            texts.Add(($"{name} options", options.ToString()));
            texts.AddRange(Describe(name, result, error));
        }

        AssertNoLeak(fault, texts, logs, telemetry);
    }

    [Fact]
    public async Task No_request_of_either_client_carries_a_query_string()
    {
        // A query is the one part of an address that logs and spans of other libraries (IHttpClientFactory's, the
        // HttpClient instrumentation) may keep: the SDK sends its parameters, e-mail addresses included, in bodies.
        var requests = new List<RecordedRequest>();
        foreach (var (_, call) in SymtrainCalls)
        {
            var time = FakeTime.Create();
            var handler = Fakes.Symtrain(time);
            using var client = new SymtrainClient(Clients.SymtrainOptions(Tight), handler, time);
            await time.RunAsync(call(client));
            requests.AddRange(handler.Requests);
        }

        foreach (var (_, call) in SenarCalls)
        {
            var time = FakeTime.Create();
            var handler = Fakes.Senar(time);
            using var client = new SenarClient(Clients.SenarOptions(Tight), handler, time);
            await time.RunAsync(call(client));
            requests.AddRange(handler.Requests);
        }

        requests.Should().HaveCountGreaterThanOrEqualTo(SymtrainCalls.Length + SenarCalls.Length);
        requests.Should().OnlyContain(r => r.Uri != null && r.Uri.Query.Length == 0 && r.Uri.UserInfo.Length == 0);
    }

    [Theory]
    [InlineData(Fault.None)]
    [InlineData(Fault.Unauthorized)]
    [InlineData(Fault.ServerError)]
    [InlineData(Fault.EchoEncoded)]
    [InlineData(Fault.LoginRefused)]
    [InlineData(Fault.LoginEchoEncoded)]
    public async Task Clients_from_dependency_injection_carry_none_of_the_http_client_factory_loggers_and_leak_nothing(Fault fault)
    {
        using var telemetry = new Telemetry();
        var logs = new FakeLogCollector();
        var time = FakeTime.Create();
        var services = new ServiceCollection();
        services.AddLogging(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));
        services.AddSingleton<TimeProvider>(time);
        services.AddSymtrainClient(o =>
        {
            o.ApiKey = Secrets.SymtrainApiKey;
            Tight(o);
        }).ConfigurePrimaryHttpMessageHandler(() => Fakes.Symtrain(time, fault));
        services.AddSenarClient(o =>
        {
            o.Username = "api@senar.example";
            o.Password = Secrets.SenarPassword;
            Tight(o);
        }).ConfigurePrimaryHttpMessageHandler(() => Fakes.Senar(time, fault));
        await using var provider = services.BuildServiceProvider();
        telemetry.Include(provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var symtrain = provider.GetRequiredService<ISymtrainClient>();
        var senar = provider.GetRequiredService<ISenarClient>();
        var texts = new List<(string Where, string? Text)>();
        var senarLoginFails = fault is Fault.LoginRefused or Fault.LoginEchoEncoded;

        foreach (var (name, call, succeeds) in new (string, Func<Task<object?>>, bool)[]
        {
            ("Symtrain token", async () => await symtrain.Users.CreateAccessTokenAsync("org-1", "ana@example.com"), fault is Fault.None or Fault.LoginRefused or Fault.LoginEchoEncoded),
            ("Symtrain report", async () => await CollectAsync(symtrain.Reports.StreamReportAsync(SymtrainReport.Syms, Range)), fault is Fault.None or Fault.LoginRefused or Fault.LoginEchoEncoded),
            ("Senar login", async () => await senar.Auth.LoginAsync(), !senarLoginFails),
            ("Senar users", async () => await senar.Users.ListAsync(), fault == Fault.None),
            ("Senar assign", async () => await senar.Users.AssignCollectionAsync(Assignment), fault == Fault.None),
        })
        {
            var (result, error) = await RunAsync(time, call());
            (error is null).Should().Be(succeeds, name);
            texts.AddRange(Describe(name, result, error));
        }

        // The factory's default loggers (LogicalHandler, ClientHandler) list raw header values in their structured state.
        logs.GetSnapshot().Should().NotContain(
            e => e.Category != null && e.Category.StartsWith("System.Net.Http.HttpClient.", StringComparison.Ordinal),
            "the SDK's clients carry none of the factory's loggers");
        logs.GetSnapshot().Should().Contain(e => e.Category == "Symtrain.Client", "the SDK logs each attempt itself");
        logs.GetSnapshot().Should().Contain(e => e.Category == "Senar.Client");
        AssertNoLeak(fault, texts, logs, telemetry);
    }

    private static void Tight(ApiClientOptions options)
    {
        options.Retry = new RetryOptions { MaxRetries = 1 };
        options.AttemptTimeout = TimeSpan.FromSeconds(5);
        options.Timeout = TimeSpan.FromSeconds(30);
        if (options is SymtrainClientOptions symtrain)
        {
            symtrain.RateLimit = new RateLimitOptions { Enabled = false };
            symtrain.BulkImportPollInterval = TimeSpan.FromSeconds(1);
        }
    }

    private static async Task<(object? Result, Exception? Error)> RunAsync(FakeTimeProvider time, Task<object?> call)
    {
        try
        {
            return (await time.RunAsync(call), null);
        }
        catch (Exception ex)
        {
            return (null, ex);
        }
    }

    private static async Task<object?> CollectAsync<T>(IAsyncEnumerable<T> rows)
    {
        var list = new List<T>();
        await foreach (var row in rows)
        {
            list.Add(row);
        }

        return list;
    }

    /// <summary>What a caller may print of a result or an error.</summary>
    private static IEnumerable<(string Where, string? Text)> Describe(string name, object? result, Exception? error)
    {
        if (result is not null)
        {
            yield return ($"{name} result", result.ToString());
            if (result is IEnumerable items and not string)
            {
                foreach (var item in items)
                {
                    yield return ($"{name} result item", item?.ToString());
                }
            }
        }

        for (var exception = error; exception is not null; exception = exception.InnerException)
        {
            yield return ($"{name} exception message", exception.Message);
            yield return ($"{name} exception", exception.ToString());
            foreach (DictionaryEntry entry in exception.Data)
            {
                yield return ($"{name} exception data", $"{entry.Key}={entry.Value}");
            }

            if (exception is ApiException api)
            {
                yield return ($"{name} response body", api.ResponseBody);
                yield return ($"{name} error code", api.ErrorCode);
                yield return ($"{name} request id", api.RequestId);
                yield return ($"{name} request uri", api.RequestUri?.ToString());
            }

            if (exception is ApiValidationException validation)
            {
                foreach (var fieldError in validation.Errors)
                {
                    yield return ($"{name} field error", $"{fieldError.Field} {fieldError.Message} {fieldError}");
                }
            }
        }
    }

    private static void AssertNoLeak(Fault fault, List<(string Where, string? Text)> texts, FakeLogCollector logs, Telemetry telemetry)
    {
        logs.GetSnapshot().Should().NotBeEmpty();
        if (fault == Fault.None)
        {
            logs.GetSnapshot().Should().Contain(e => e.Level == LogLevel.Trace, "logging runs at Trace");
        }

        telemetry.Spans.Should().NotBeEmpty();
        telemetry.Measurements.Should().NotBeEmpty();

        foreach (var entry in logs.GetSnapshot())
        {
            texts.AddRange(entry.Texts().Select(t => ($"log {entry.Category}#{entry.Id.Id}", (string?)t)));
        }

        texts.AddRange(logs.Scopes().Select(s => ("log scope", (string?)s)));
        foreach (var span in telemetry.Spans)
        {
            texts.AddRange(SpanTexts(span).Select(t => ($"span {span.DisplayName}", (string?)t)));
        }

        foreach (var measurement in telemetry.Measurements)
        {
            texts.AddRange(measurement.Tags.Select(t => ($"metric {measurement.Instrument}", (string?)$"{t.Key}={t.Value}")));
        }

        var leaks = texts
            .SelectMany(t => Secrets.FoundIn(t.Text).Select(secret => $"{t.Where}: '{secret}' in: {t.Text}"))
            .Distinct()
            .ToList();
        leaks.Should().BeEmpty($"no secret may leak on {fault}");
    }

    private static IEnumerable<string> SpanTexts(Activity span)
    {
        yield return span.DisplayName;
        yield return span.OperationName;
        yield return span.StatusDescription ?? string.Empty;
        foreach (var tag in span.TagObjects)
        {
            yield return $"{tag.Key}={tag.Value}";
        }

        foreach (var item in span.Baggage)
        {
            yield return $"{item.Key}={item.Value}";
        }

        foreach (var spanEvent in span.Events)
        {
            yield return spanEvent.Name;
            foreach (var tag in spanEvent.Tags)
            {
                yield return $"{tag.Key}={tag.Value}";
            }
        }
    }
}
