using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Symtrain.Client.Access;
using Symtrain.Client.Reports;
using Symtrain.Client.Users;
using TrainingApis.Core;

namespace Symtrain.Client.Tests.Json;

/// <summary>How every Symtrain operation reads what the server sends: a byte order mark, nulls where numbers go, every date form.</summary>
public sealed class ResponseReadingTests
{
    private static readonly DateRange Quarter = new(new DateOnly(2024, 1, 1), new DateOnly(2024, 3, 31));

    private const string Report = """[{"userId":"u1","score":91.5,"completedAt":"2024-02-29T12:00Z"}]""";

    /// <summary>Every operation of the client: the answer it reads, and a summary of what it read.</summary>
    private static readonly Dictionary<string, (string Answer, Func<ISymtrainClient, Task<string>> Call)> OperationTable = new()
    {
        ["Access.CreateDeepLinkAsync"] = ("""{"simulations":[{"simulationId":"sim-1","deepLink":"https://app.test/s/1"}]}""",
            async c => (await c.Access.CreateDeepLinkAsync("o", "u", "sim-1")).DeepLink!.ToString()),
        ["Access.CreateDeepLinksAsync"] = ("""{"simulations":[{"simulationId":"a","deepLink":"https://app.test/a"},{"simulationId":"b","deepLink":"https://app.test/b"}]}""",
            async c => string.Join(",", (await c.Access.CreateDeepLinksAsync(new DeepLinkRequest { OrganizationId = "o", UserId = "u", Tags = ["t"] })).Select(l => l.SimulationId))),
        ["Access.GetCompletionDataAsync"] = ("""{"executions":[{"executionId":"e1","startedAt":"2024-05-01T10:00:00.90149761","completionTime":300.5,"symScore":88.5}]}""",
            async c => (await c.Access.GetCompletionDataAsync("o", "u", "s")).Single() is var e ? $"{e.ExecutionId} {e.StartedAt:O} {e.SymScore}" : ""),
        ["Access.GetLibraryPageAsync"] = ("""{"page":1,"pageSize":10,"total":1,"simulations":[{"simulationId":"s1","durationMinutes":12.5}]}""",
            async c => (await c.Access.GetLibraryPageAsync(new LibraryQuery { OrganizationId = "o", UserId = "u" })) is var p ? $"{p.Total} {p.Simulations.Single().SimulationId}" : ""),
        ["Access.ListLibraryAsync"] = ("""[{"simulationId":"s1"}]""",
            async c => string.Join(",", (await c.Access.ListLibraryAsync(new LibraryQuery { OrganizationId = "o", UserId = "u" }).ToListAsync()).Select(s => s.SimulationId))),
        ["Access.AssignSimulationAsync"] = ("""{"simulationId":"sim-1","name":"Refunds","deepLink":"https://app.test/s/sim-1","assigned":true}""",
            async c => (await c.Access.AssignSimulationAsync("o", "u", "sim-1")).Name!),
        ["Access.UnassignSimulationAsync"] = ("""{"success":true}""",
            async c => { await c.Access.UnassignSimulationAsync("o", "u", "sim-1"); return "unassigned"; }),
        ["Users.CreateAccessTokenAsync"] = ("""{"token":"tok-1","expiresAt":"2026-01-01T10:00:00.123456789+01:00"}""",
            async c => (await c.Users.CreateAccessTokenAsync("o", "u")).ExpiresAt.ToString("O")),
        ["Users.CreateUserAsync"] = ("""{"userId":"u-42","username":"jane@example.com","created":true}""",
            async c => (await c.Users.CreateUserAsync(new CreateUserRequest { OrganizationId = "o", Email = "jane@example.com" })).UserId!),
        ["Users.BulkImportAsync"] = ("""{"taskId":"task-1","validUsersCount":1,"invalidUsersCount":0,"errors":[]}""",
            async c => (await c.Users.BulkImportAsync("o", [new BulkImportRow { FirstName = "A", LastName = "B", Email = "a@example.com" }])) is var r ? $"{r.TaskId} {r.ValidUsersCount}" : ""),
        ["Users.BulkImportInBatchesAsync"] = ("""{"taskId":"task-3","validUsersCount":1,"invalidUsersCount":0,"errors":[]}""",
            async c => string.Join(",", (await c.Users.BulkImportInBatchesAsync("o", [new BulkImportRow { FirstName = "A", LastName = "B", Email = "a@example.com" }]).ToListAsync()).Select(r => r.TaskId))),
        ["Users.BulkImportCsvAsync"] = ("""{"taskId":"task-2","validUsersCount":1,"invalidUsersCount":0,"errors":[]}""",
            async c => (await c.Users.BulkImportCsvAsync("o", new MemoryStream(Encoding.UTF8.GetBytes(
                "firstName,lastName,username,email,role,teamName,status,action\nA,B,a@example.com,a@example.com,trainee,,ACTIVE,Add\n")))).TaskId!),
        ["Users.GetBulkImportStatusAsync"] = ("""{"taskId":"task-1","status":"STARTED","createdAt":"2024-05-01T10:00:00.90149761Z","processedCount":3}""",
            async c => (await c.Users.GetBulkImportStatusAsync("o", "task-1")) is var s ? $"{s.Status} {s.CreatedAt:O} {s.ProcessedCount}" : ""),
        ["Users.WaitForBulkImportAsync"] = ("""{"taskId":"task-1","status":"COMPLETED"}""",
            async c => (await c.Users.WaitForBulkImportAsync("o", "task-1")).Status.ToString()),
        ["Reports.GetReportAsync"] = (Report,
            async c => (await c.Reports.GetReportAsync(SymtrainReport.UserResults, Quarter)).Single().GetDateTime("completedAt")!.Value.ToString("O")),
        ["Reports.GetSymsResultAsync"] = (Report, async c => (await c.Reports.GetSymsResultAsync(Quarter)).Single().RawJson),
        ["Reports.GetUserResultsAsync"] = (Report, async c => (await c.Reports.GetUserResultsAsync(Quarter)).Single().RawJson),
        ["Reports.GetTrainingPlanResultAsync"] = (Report, async c => (await c.Reports.GetTrainingPlanResultAsync(Quarter)).Single().RawJson),
        ["Reports.GetModulesResultsAsync"] = (Report, async c => (await c.Reports.GetModulesResultsAsync(Quarter)).Single().RawJson),
        ["Reports.GetSymsAsync"] = (Report, async c => (await c.Reports.GetSymsAsync(Quarter)).Single().RawJson),
        ["Reports.GetUsersAsync"] = (Report, async c => (await c.Reports.GetUsersAsync(Quarter)).Single().RawJson),
        ["Reports.GetTeamsResultAsync"] = (Report, async c => (await c.Reports.GetTeamsResultAsync(Quarter)).Single().RawJson),
        ["Reports.GetReportAsync<TRow>"] = (Report,
            async c => (await c.Reports.GetReportAsync(SymtrainReport.Users, Quarter, ResponseReadingJsonContext.Default.TypedRow)).Single() is var t ? $"{t.UserId} {t.Score} {t.CompletedAt:O}" : ""),
        ["Reports.StreamReportAsync"] = (Report,
            async c => (await c.Reports.StreamReportAsync(SymtrainReport.Syms, Quarter).ToListAsync()).Single().RawJson),
    };

    public static TheoryData<string> Operations => [.. OperationTable.Keys];

    [Fact]
    public void The_table_covers_every_operation_of_the_client()
    {
        var methods = new[] { typeof(ISymtrainAccessClient), typeof(ISymtrainUsersClient), typeof(ISymtrainReportsClient) }
            .SelectMany(t => t.GetMethods().Where(m => m.ReturnType != typeof(Uri)).Select(m => $"{t.Name[9..^6]}.{m.Name}"))
            .Distinct();

        OperationTable.Keys.Select(k => k.Replace("<TRow>", "", StringComparison.Ordinal)).Should().Contain(methods);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Every_operation_reads_an_answer_that_starts_with_a_byte_order_mark(string operation)
    {
        var (answer, call) = OperationTable[operation];
        using var plain = new Harness((_, _) => Answer(answer, bom: false));
        using var withBom = new Harness((_, _) => Answer(answer, bom: true));

        var expected = await call(plain.Client);
        var read = await call(withBom.Client);

        read.Should().Be(expected).And.NotBeNullOrEmpty();
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Every_operation_reads_the_server_message_of_an_error_body_that_starts_with_a_byte_order_mark(string operation)
    {
        var (_, call) = OperationTable[operation];
        using var harness = new Harness((_, _) => Answer("""{"code":"E42","message":"organization o is unknown"}""", bom: true, HttpStatusCode.BadRequest));

        var act = () => call(harness.Client);

        var exception = (await act.Should().ThrowAsync<ApiValidationException>()).Which;
        exception.Message.Should().Contain("organization o is unknown");
        exception.ErrorCode.Should().Be("E42");
    }

    [Fact]
    public async Task An_unassignment_refused_in_a_body_with_a_byte_order_mark_is_still_a_refusal()
    {
        using var harness = new Harness((_, _) => Answer("""{"success":false,"message":"Simulation is not assigned"}""", bom: true));

        var act = () => harness.Client.Access.UnassignSimulationAsync("o", "u", "s");

        (await act.Should().ThrowAsync<ApiValidationException>()).Which.Message.Should().Contain("Simulation is not assigned");
    }

    [Theory]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF })]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, (byte)' ', (byte)'\n' })]
    public async Task An_unassignment_answered_by_a_byte_order_mark_alone_is_an_empty_success(byte[] body)
    {
        using var harness = new Harness((_, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) });

        await harness.Client.Access.UnassignSimulationAsync("o", "u", "s");

        harness.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task Null_counts_read_as_null_in_every_model()
    {
        using var import = Harness.Json("""{"taskId":null,"validUsersCount":null,"invalidUsersCount":null,"errors":[{"row":null,"errors":["bad"]}]}""");
        using var status = Harness.Json("""{"taskId":"t","status":"STARTED","processedCount":null,"createdAt":null,"updatedAt":""}""");
        using var library = Harness.Json("""{"page":null,"pageSize":null,"total":null,"simulations":[{"simulationId":"s1","durationMinutes":null}]}""");
        using var completion = Harness.Json("""[{"executionId":"e","startedAt":null,"completedAt":"","completionTime":null,"symScore":null,"accuracyScore":null,"keywordScore":null,"clickScore":null}]""");

        var result = await import.Client.Users.BulkImportAsync("o", [new BulkImportRow { FirstName = "A", LastName = "B", Email = "a@example.com" }]);
        var state = await status.Client.Users.GetBulkImportStatusAsync("o", "t");
        var page = await library.Client.Access.GetLibraryPageAsync(new LibraryQuery { OrganizationId = "o", UserId = "u" });
        var execution = (await completion.Client.Access.GetCompletionDataAsync("o", "u", "s")).Single();

        result.ValidUsersCount.Should().BeNull();
        result.InvalidUsersCount.Should().BeNull();
        result.Errors.Single().Row.Should().BeNull();
        state.ProcessedCount.Should().BeNull();
        state.CreatedAt.Should().BeNull();
        state.UpdatedAt.Should().BeNull();
        page.Total.Should().BeNull();
        page.Simulations.Single().DurationMinutes.Should().BeNull();
        execution.StartedAt.Should().BeNull();
        execution.CompletedAt.Should().BeNull();
        execution.SymScore.Should().BeNull();
        execution.IsCompleted.Should().BeFalse();
    }

    [Fact]
    public async Task A_field_of_the_wrong_type_names_the_row_the_path_and_the_kind_not_invalid_JSON()
    {
        using var harness = Harness.Json("""{"executions":[{"executionId":"e1","symScore":1},{"executionId":"e2","symScore":{"value":2}}]}""");

        var act = () => harness.Client.Access.GetCompletionDataAsync("o", "u", "s");

        var message = (await act.Should().ThrowAsync<ApiException>()).Which.Message;
        message.Should().Contain("row 2").And.Contain("a type mismatch at $.symScore: expected a number, found an object").And.NotContain("invalid JSON");
    }

    [Fact]
    public async Task A_date_in_an_unknown_form_names_the_path()
    {
        using var harness = Harness.Json("""{"taskId":"t","status":"STARTED","createdAt":"01/05/2024 10:00"}""");

        var act = () => harness.Client.Users.GetBulkImportStatusAsync("o", "t");

        (await act.Should().ThrowAsync<ApiException>()).Which.Message.Should().Contain("an invalid value at $.createdAt").And.Contain("ISO 8601");
    }

    [Theory]
    [InlineData("2022-09-07T06:25:23.90149761", "2022-09-07T06:25:23.9014976", DateTimeKind.Unspecified)]
    [InlineData("2022-09-07T06:25:23.901497619Z", "2022-09-07T06:25:23.9014976Z", DateTimeKind.Utc)]
    [InlineData("2024-02-29T12:00Z", "2024-02-29T12:00:00.0000000Z", DateTimeKind.Utc)]
    [InlineData("2024-02-29T13:00+0100", "2024-02-29T12:00:00.0000000Z", DateTimeKind.Utc)]
    [InlineData("2024-02-29T13:00:00+01", "2024-02-29T12:00:00.0000000Z", DateTimeKind.Utc)]
    [InlineData("2024-02-29 12:00:00", "2024-02-29T12:00:00.0000000", DateTimeKind.Unspecified)]
    public async Task Every_date_form_reads_in_models_report_rows_and_typed_rows(string text, string expected, DateTimeKind kind)
    {
        using var status = Harness.Json($$"""{"taskId":"t","status":"STARTED","createdAt":"{{text}}","updatedAt":"{{text}}"}""");
        using var completion = Harness.Json($$"""[{"executionId":"e","startedAt":"{{text}}","completedAt":"{{text}}"}]""");
        using var report = Harness.Json($$"""[{"userId":"u","completedAt":"{{text}}"}]""");

        var state = await status.Client.Users.GetBulkImportStatusAsync("o", "t");
        var execution = (await completion.Client.Access.GetCompletionDataAsync("o", "u", "s")).Single();
        var row = (await report.Client.Reports.GetUsersAsync(Quarter)).Single();
        var typed = (await report.Client.Reports.GetReportAsync(SymtrainReport.Users, Quarter, ResponseReadingJsonContext.Default.TypedRow)).Single();

        row.TryGetDateTime("completedAt", out var fromRow).Should().BeTrue();
        var values = new[] { state.CreatedAt, state.UpdatedAt, execution.StartedAt, execution.CompletedAt, row.GetDateTime("completedAt"), fromRow, typed.CompletedAt };
        values.Should().AllSatisfy(value =>
        {
            value!.Value.ToString("O", System.Globalization.CultureInfo.InvariantCulture).Should().Be(expected);
            value.Value.Kind.Should().Be(kind);
        });
    }

    [Fact]
    public async Task An_access_token_expiry_with_nine_digits_and_a_short_offset_is_read()
    {
        using var harness = Harness.Json("""{"token":"tok-1","expiresAt":"2026-01-01T11:00:00.123456789+01"}""");

        var token = await harness.Client.Users.CreateAccessTokenAsync("o", "u");

        token.ExpiresAt.Should().Be(new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero).AddTicks(1234567));
    }

    private static HttpResponseMessage Answer(string json, bool bom, HttpStatusCode status = HttpStatusCode.OK)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var content = new ByteArrayContent(bom ? [.. Encoding.UTF8.GetPreamble(), .. bytes] : bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return new HttpResponseMessage(status) { Content = content };
    }
}

/// <summary>A user's own typed report row, read through the user's own context (which knows nothing of the SDK's converter).</summary>
public sealed record TypedRow
{
    public string? UserId { get; init; }

    public double? Score { get; init; }

    [JsonConverter(typeof(TrainingApis.Core.Json.LenientDateTimeConverter))]
    public DateTime? CompletedAt { get; init; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TypedRow))]
internal sealed partial class ResponseReadingJsonContext : JsonSerializerContext;
