using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Senar.Client;
using Senar.Client.Users;
using Senar.Client.Webhooks;
using Symtrain.Client;
using Symtrain.Client.Access;
using Symtrain.Client.Users;
using TrainingApis.Core;
using TrainingApis.Reliability.Tests.Support;
using TrainingApis.Testing;

namespace TrainingApis.Reliability.Tests;

/// <summary>
/// Hostile responses for every endpoint of both clients: whatever the server sends, the caller sees a result or the
/// <see cref="ApiException"/> family, never <see cref="NullReferenceException"/>, <see cref="InvalidCastException"/>,
/// <see cref="JsonException"/> and the like; buffered bodies stop at the configured cap; streaming does not buffer.
/// </summary>
public sealed class ResponseFuzzingTests(ITestOutputHelper output)
{
    private const int Seed = 20260108;
    private const int Cases = 12_000;
    private const int BufferCap = 16 * 1024;

    private const string ReportBody = """{"page":1,"pageSize":1000,"total":2,"results":[{"userId":"u1","username":"a@b.example","score":90.5,"completedAt":"2024-01-02T10:00:00Z","attempts":2},{"userId":"u2","score":null}]}""";
    private const string DeepLinkBody = """{"simulations":[{"simulationId":"sim-1","simulationName":"Billing","deepLink":"https://app.symtrain.example/launch?s=1","tags":["billing"]}]}""";
    private const string CompletionBody = """{"executions":[{"executionId":"e1","simulationId":"sim-1","startedAt":"2024-01-01T10:00:00Z","completedAt":"2024-01-01T10:05:00.1234567+02:00","completionTime":300,"symScore":88.5,"accuracyScore":90,"keywordScore":null,"clickScore":1,"sentimentScores":{"joy":0.5}}]}""";
    private const string LibraryBody = """{"page":1,"pageSize":50,"total":1,"simulations":[{"simulationId":"sim-1","name":"Billing","description":"D","tags":["billing"],"durationMinutes":15}]}""";
    private const string AssignBody = """{"simulationId":"sim-1","name":"Billing","deepLink":"https://app.symtrain.example/l","assigned":true}""";
    private const string UnassignBody = """{"success":true}""";
    private const string TokenBody = """{"token":"user-token","expiresAt":"2026-01-01T10:00:00Z","expiresIn":3600}""";
    private const string UserBody = """{"userId":"u1","username":"a@b.example","email":"a@b.example","firstName":"A","lastName":"B","role":"trainee","status":"ACTIVE","created":true}""";
    private const string BulkBody = """{"taskId":"t1","validUsersCount":1,"invalidUsersCount":1,"errors":[{"row":3,"errors":["email must match username"]}]}""";
    private const string StatusBody = """{"taskId":"t1","status":"COMPLETED","createdAt":"2024-01-01T10:00:00Z","updatedAt":"2024-01-01T10:01:00Z","processedCount":2,"totalCount":2}""";
    private const string LoginBody = """{"Token":"eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE5MDAwMDAwMDB9.c2ln"}""";
    private const string AssignResultBody = """{"succeed":true,"email":"a@b.example","collectionId":41,"isNewUser":true}""";
    private const string SenarUsersBody = """[{"id":"1","firstName":"A","lastName":"B","email":"a@b.example","language":"en","accountName":"acc","countryName":"NL","creationDate":"2024-01-01T10:00:00","profile":"Trainee"}]""";
    private const string ActivitiesBody = """[{"id":1,"collectionId":41,"userId":"u1","traineeId":"t1","firstName":"A","lastName":"B","company":"C","score":77.5,"startDate":"2024-01-01T10:00:00","endDate":"2024-01-01T10:30:00.123"}]""";
    private const string WebhookBody = """{"id":12345}""";

    private static readonly DateRange Day = new(new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 1));

    [Fact]
    public async Task Every_endpoint_answers_hostile_bodies_with_a_result_or_an_ApiException()
    {
        using var fixture = new Fixture();
        var operations = Operations(fixture);
        var bodies = new HostileBodies(new Random(Seed), BufferCap);
        var failures = new List<string>();
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        var oversizeChecked = 0;
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < Cases; i++)
        {
            var operation = operations[i % operations.Count];
            var response = bodies.Next(operation.Template);
            fixture.Current = response;
            var hostileLogin = operation.Name == "Senar.Auth.Login";
            if (fixture.LoginIsHostile && !hostileLogin)
            {
                // A login refused by a hostile answer is remembered, and any other failed one is shared for a backoff:
                // an explicit, good login clears it so that the next operation reaches its own endpoint.
                fixture.LoginIsHostile = false;
                await fixture.Senar.Auth.LoginAsync();
            }

            fixture.LoginIsHostile = hostileLogin;
            Exception? caught = null;
            try
            {
                await operation.Run(fixture);
            }
            catch (Exception ex)
            {
                caught = ex;
            }

            var outcome = caught is null ? "success" : caught.GetType().Name;
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            var allowed = caught is null or ApiException || operation.AlsoAllowed?.Invoke(caught) == true;
            if (!allowed)
            {
                failures.Add($"#{i} {operation.Name} {response.Kind} {response.Status} {response.ContentType}: {caught}");
            }

            if (response.Kind == "oversize" && response.Status == 200 && operation.Buffered)
            {
                oversizeChecked++;
                if (caught is not ApiException { Message: var message } || !message.Contains("MaxResponseBufferSize", StringComparison.Ordinal))
                {
                    failures.Add($"#{i} {operation.Name}: a {response.Body.Length}-byte body over the {BufferCap}-byte cap gave {outcome}");
                }
            }
        }

        stopwatch.Stop();
        output.WriteLine(
            $"FIGURE fuzzing: {Cases} hostile responses (seed {Seed}) over {operations.Count} operations ({HostileBodies.AllKinds.Count} kinds), " +
            $"buffer cap {BufferCap} bytes: {failures.Count} unexpected exceptions, {oversizeChecked} oversize buffered bodies refused; " +
            $"outcomes {string.Join(", ", outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key} {o.Value}"))}; {stopwatch.Elapsed.TotalSeconds:0.0} s");
        foreach (var failure in failures.GroupBy(f => string.Join(" ", f.Split(" ").Skip(1).Take(1)) + " " + f.Split(": ").ElementAtOrDefault(1)).Select(g => $"{g.Count()} x {g.Key} e.g. {g.First()[..Math.Min(400, g.First().Length)]}"))
        {
            output.WriteLine(failure);
        }

        failures.Should().BeEmpty();
        oversizeChecked.Should().BeGreaterThan(100);
        outcomes.Keys.Should().Contain("success").And.Contain(nameof(ApiException));
    }

    [Fact]
    public async Task A_streaming_call_reads_a_body_far_over_the_cap_without_buffering_it_and_a_buffered_call_refuses_it()
    {
        using var fixture = new Fixture();
        const int Rows = 20_000;
        var row = ActivitiesBody[1..^1];
        var stream = new GeneratedJsonArrayStream(row, Rows);
        fixture.Respond = _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(stream) };

        var count = 0;
        long readWhenFirstRowArrived = -1;
        await foreach (var activity in fixture.Senar.Activities.StreamAsync())
        {
            if (count++ == 0)
            {
                readWhenFirstRowArrived = stream.BytesRead;
            }

            activity.CollectionId.Should().Be(41);
        }

        fixture.Respond = _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new GeneratedJsonArrayStream(row, Rows)) };
        var buffered = () => fixture.Senar.Activities.ListAsync();

        output.WriteLine(
            $"FIGURE streaming: {Rows} rows, {stream.Length} bytes ({stream.Length / BufferCap}x the {BufferCap}-byte cap) streamed; " +
            $"{readWhenFirstRowArrived} bytes read when the first row arrived; the buffered call refused the same body");
        count.Should().Be(Rows);
        stream.BytesRead.Should().Be(stream.Length);
        stream.Length.Should().BeGreaterThan(100 * BufferCap);
        readWhenFirstRowArrived.Should().BeLessThan(BufferCap, "rows are yielded as they arrive, not after the body is read");
        (await buffered.Should().ThrowAsync<ApiException>()).Which.Message.Should().Contain("MaxResponseBufferSize");
    }

    [Fact]
    public async Task The_buffer_cap_is_configurable()
    {
        var body = HostileBodies.Pad(UserBody, 40_000);
        using var small = new Fixture(cap: 32 * 1024);
        small.Respond = _ => Json(body);
        using var large = new Fixture(cap: 64 * 1024);
        large.Respond = _ => Json(body);

        var refused = () => small.Symtrain.Users.CreateUserAsync(new CreateUserRequest { OrganizationId = "org", Email = "a@b.example" });
        var accepted = await large.Symtrain.Users.CreateUserAsync(new CreateUserRequest { OrganizationId = "org", Email = "a@b.example" });

        (await refused.Should().ThrowAsync<ApiException>()).Which.Message.Should().Contain("32768");
        accepted.Email.Should().Be("a@b.example");
    }

    private static HttpResponseMessage Json(byte[] body) =>
        new(HttpStatusCode.OK) { Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } } };

    private static List<Operation> Operations(Fixture f)
    {
        const string Org = "org";
        var ops = new List<Operation>();
        foreach (var report in Enum.GetValues<SymtrainReport>())
        {
            ops.Add(new($"Symtrain.Reports.Get{report}", ReportBody, x => x.Symtrain.Reports.GetReportAsync(report, Day), Buffered: false));
        }

        ops.AddRange(
        [
            new("Symtrain.Reports.GetSymsResult", ReportBody, x => x.Symtrain.Reports.GetSymsResultAsync(Day), false),
            new("Symtrain.Reports.GetUserResults", ReportBody, x => x.Symtrain.Reports.GetUserResultsAsync(Day), false),
            new("Symtrain.Reports.GetTrainingPlanResult", ReportBody, x => x.Symtrain.Reports.GetTrainingPlanResultAsync(Day), false),
            new("Symtrain.Reports.GetModulesResults", ReportBody, x => x.Symtrain.Reports.GetModulesResultsAsync(Day), false),
            new("Symtrain.Reports.GetSyms", ReportBody, x => x.Symtrain.Reports.GetSymsAsync(Day), false),
            new("Symtrain.Reports.GetUsers", ReportBody, x => x.Symtrain.Reports.GetUsersAsync(Day), false),
            new("Symtrain.Reports.GetTeamsResult", ReportBody, x => x.Symtrain.Reports.GetTeamsResultAsync(Day), false),
            new("Symtrain.Reports.GetReport<T>", ReportBody, x => x.Symtrain.Reports.GetReportAsync(SymtrainReport.UserResults, Day, FuzzRowType), false),
            new("Symtrain.Reports.StreamReport", ReportBody, x => Drain(x.Symtrain.Reports.StreamReportAsync(SymtrainReport.SymsResult, Day)), false),
            new("Symtrain.Access.CreateDeepLink", DeepLinkBody, x => x.Symtrain.Access.CreateDeepLinkAsync(Org, "u1", "sim-1"), true),
            new("Symtrain.Access.CreateDeepLinks", DeepLinkBody, x => x.Symtrain.Access.CreateDeepLinksAsync(new DeepLinkRequest { OrganizationId = Org, UserId = "u1", Tags = ["billing"] }), true),
            new("Symtrain.Access.GetCompletionData", CompletionBody, x => x.Symtrain.Access.GetCompletionDataAsync(Org, "u1", "sim-1"), true),
            new("Symtrain.Access.GetLibraryPage", LibraryBody, x => x.Symtrain.Access.GetLibraryPageAsync(new LibraryQuery { OrganizationId = Org, UserId = "u1" }), true),
            new("Symtrain.Access.ListLibrary", LibraryBody, x => Drain(x.Symtrain.Access.ListLibraryAsync(new LibraryQuery { OrganizationId = Org, UserId = "u1" })), true),
            new("Symtrain.Access.AssignSimulation", AssignBody, x => x.Symtrain.Access.AssignSimulationAsync(Org, "u1", "sim-1"), true),
            new("Symtrain.Access.UnassignSimulation", UnassignBody, x => x.Symtrain.Access.UnassignSimulationAsync(Org, "u1", "sim-1"), true),
            new("Symtrain.Users.CreateAccessToken", TokenBody, x => x.Symtrain.Users.CreateAccessTokenAsync(Org, "u1"), true),
            new("Symtrain.Users.CreateUser", UserBody, x => x.Symtrain.Users.CreateUserAsync(new CreateUserRequest { OrganizationId = Org, Email = "a@b.example" }), true),
            new("Symtrain.Users.BulkImport", BulkBody, x => x.Symtrain.Users.BulkImportAsync(Org, [Row()]), true),
            new("Symtrain.Users.BulkImportInBatches", BulkBody, x => Drain(x.Symtrain.Users.BulkImportInBatchesAsync(Org, [Row()])), true),
            new("Symtrain.Users.BulkImportCsv", BulkBody, x => x.Symtrain.Users.BulkImportCsvAsync(Org, Csv()), true),
            new("Symtrain.Users.GetBulkImportStatus", StatusBody, x => x.Symtrain.Users.GetBulkImportStatusAsync(Org, "t1"), true),
            new("Symtrain.Users.WaitForBulkImport", StatusBody, x => x.Time.RunAsync(x.Symtrain.Users.WaitForBulkImportAsync(Org, "t1")), true,
                ex => ex is TimeoutException), // Documented: the task did not finish within BulkImportWaitTimeout.
            new("Senar.Auth.Login", LoginBody, x => x.Senar.Auth.LoginAsync(), true),
            new("Senar.Users.AssignCollection", AssignResultBody, x => x.Senar.Users.AssignCollectionAsync(Assignment()), true),
            new("Senar.Users.List", SenarUsersBody, x => x.Senar.Users.ListAsync(), true),
            new("Senar.Users.Stream", SenarUsersBody, x => Drain(x.Senar.Users.StreamAsync()), false),
            new("Senar.Activities.List", ActivitiesBody, x => x.Senar.Activities.ListAsync(), true),
            new("Senar.Activities.Stream", ActivitiesBody, x => Drain(x.Senar.Activities.StreamAsync()), false),
            new("Senar.Webhooks.Register", WebhookBody, x => x.Senar.Webhooks.RegisterAsync(new Uri("https://hooks.example/senar"), SenarWebhookEvent.Activity), true),
            new("Senar.WebhookPayload.Parse", ActivitiesBody, x => Task.FromResult(SenarWebhookPayload.Parse(x.Current!.Body)), false,
                ex => ex is SenarWebhookPayloadException), // Documented: a payload that is not a user or activity.
        ]);
        return ops;
    }

    private static JsonTypeInfo<FuzzRow> FuzzRowType => (JsonTypeInfo<FuzzRow>)JsonSerializerOptions.Web.GetTypeInfo(typeof(FuzzRow));

    private static BulkImportRow Row() => new() { FirstName = "A", LastName = "B", Email = "a@b.example" };

    private static MemoryStream Csv() => new(Encoding.UTF8.GetBytes("firstName,lastName,username,email,role,teamName,status,action\r\nA,B,a@b.example,a@b.example,trainee,,ACTIVE,Add\r\n"));

    private static UserAssignment Assignment() => new()
    {
        Email = "a@b.example", FirstName = "A", LastName = "B", Password = "Passw0rd", Organization = "Org", CollectionId = 41,
    };

    private static async Task Drain<T>(IAsyncEnumerable<T> items)
    {
        await foreach (var _ in items)
        {
        }
    }

    /// <summary>A user's row type for <c>GetReportAsync&lt;TRow&gt;</c>.</summary>
    public sealed record FuzzRow(string? UserId, double? Score, DateTimeOffset? CompletedAt, int Attempts);

    private sealed record Operation(string Name, string Template, Func<Fixture, Task> Run, bool Buffered, Func<Exception, bool>? AlsoAllowed = null);

    /// <summary>Both clients over one scripted handler and one fake clock; retries off, a small buffer cap.</summary>
    private sealed class Fixture : IDisposable
    {
        public Fixture(int cap = BufferCap)
        {
            Handler = new FakeHttpHandler((request, recorded, _, _) => Task.FromResult(Answer(recorded)));
            Symtrain = new SymtrainClient(
                new SymtrainClientOptions
                {
                    ApiKey = "fuzz-key",
                    Retry = new RetryOptions { MaxRetries = 0 },
                    MaxResponseBufferSize = cap,
                    RateLimit = new RateLimitOptions { Enabled = false },
                    BulkImportPollInterval = TimeSpan.FromSeconds(5),
                    BulkImportWaitTimeout = TimeSpan.FromSeconds(12),
                },
                Handler,
                Time);
            Senar = new SenarClient(
                new SenarClientOptions
                {
                    Username = "fuzz@senar.example",
                    Password = "Fuzz-passw0rd",
                    Retry = new RetryOptions { MaxRetries = 0 },
                    MaxResponseBufferSize = cap,
                },
                Handler,
                Time);
        }

        public FakeTimeProvider Time { get; } = FakeTime.Create();

        public FakeHttpHandler Handler { get; }

        public SymtrainClient Symtrain { get; }

        public SenarClient Senar { get; }

        public HostileResponse? Current { get; set; }

        public bool LoginIsHostile { get; set; }

        public Func<RecordedRequest, HttpResponseMessage>? Respond { get; set; }

        public void Dispose()
        {
            Symtrain.Dispose();
            Senar.Dispose();
        }

        private HttpResponseMessage Answer(RecordedRequest recorded)
        {
            if (recorded.Path.EndsWith("/api/auth/login", StringComparison.Ordinal) && !LoginIsHostile)
            {
                return FakeHttpHandler.JsonResponse(LoginBody);
            }

            if (Respond is not null)
            {
                return Respond(recorded);
            }

            var current = Current!;
            var content = new ByteArrayContent(current.Body);
            if (current.ContentType is not null)
            {
                content.Headers.TryAddWithoutValidation("Content-Type", current.ContentType);
            }

            var response = new HttpResponseMessage((HttpStatusCode)current.Status) { Content = content };
            if (current.RetryAfter is not null)
            {
                response.Headers.TryAddWithoutValidation("Retry-After", current.RetryAfter);
            }

            return response;
        }
    }
}
