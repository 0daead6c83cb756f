using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Symtrain.Client.Access;
using Symtrain.Client.Reports;
using Symtrain.Client.Users;
using TrainingApis.Core;

namespace Symtrain.Client.Tests;

/// <summary>
/// Issue 14 after its fixes, probed by a stranger on the Symtrain client: a null in every property of every model (found
/// by reflection), the same value forms read alike by the models and by <see cref="ReportRow"/>, flags and numbers as
/// strings, two byte order marks and UTF-16 on every operation, and bounded messages.
/// </summary>
public sealed class Stranger14JsonTests
{
    private static readonly DateRange Quarter = new(new DateOnly(2024, 1, 1), new DateOnly(2024, 3, 31));

    /// <summary>Each public model the client reads from answers, and how an answer holding one object of it is read.</summary>
    private static readonly Dictionary<Type, (Func<JsonObject, string> Answer, Func<ISymtrainClient, Task<object>> Read)> Readers = new()
    {
        [typeof(SimulationDeepLink)] = (o => new JsonObject { ["simulations"] = new JsonArray(o) }.ToJsonString(),
            async c => (await c.Access.CreateDeepLinksAsync(new DeepLinkRequest { OrganizationId = "o", UserId = "u", Tags = ["t"] })).Single()),
        [typeof(SimulationExecution)] = (o => new JsonObject { ["executions"] = new JsonArray(o) }.ToJsonString(),
            async c => (await c.Access.GetCompletionDataAsync("o", "u", "s")).Single()),
        [typeof(LibrarySimulation)] = (o => new JsonObject { ["page"] = 1, ["simulations"] = new JsonArray(o) }.ToJsonString(),
            async c => (await c.Access.GetLibraryPageAsync(new LibraryQuery { OrganizationId = "o", UserId = "u" })).Simulations.Single()),
        [typeof(SimulationAssignment)] = (o => o.ToJsonString(), async c => await c.Access.AssignSimulationAsync("o", "u", "s")),
        [typeof(SymtrainUser)] = (o => o.ToJsonString(), async c => await c.Users.CreateUserAsync(new CreateUserRequest { OrganizationId = "o", Email = "a@example.com" })),
        [typeof(BulkImportResult)] = (o => o.ToJsonString(), async c => await c.Users.BulkImportAsync("o", [new BulkImportRow { FirstName = "A", LastName = "B", Email = "a@example.com" }])),
        [typeof(BulkImportRejectedRow)] = (o => new JsonObject { ["taskId"] = "t", ["errors"] = new JsonArray(o) }.ToJsonString(),
            async c => (await c.Users.BulkImportAsync("o", [new BulkImportRow { FirstName = "A", LastName = "B", Email = "a@example.com" }])).Errors.Single()),
        [typeof(BulkImportStatus)] = (o => o.ToJsonString(), async c => await c.Users.GetBulkImportStatusAsync("o", "t")),
    };

    private static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    private static IEnumerable<PropertyInfo> ReadProperties(Type model) => model.GetProperties()
        .Where(p => p.CanWrite && p.GetCustomAttribute<JsonIgnoreAttribute>() is null && p.GetCustomAttribute<JsonExtensionDataAttribute>() is null);

    public static TheoryData<string, string> NullCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var model in Readers.Keys)
        {
            foreach (var property in ReadProperties(model))
            {
                data.Add(model.Name, property.Name);
            }
        }

        return data;
    }

    [Fact]
    public void The_null_cases_cover_every_public_model_the_context_reads()
    {
        var read = typeof(SymtrainJsonContext).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => p.PropertyType).Where(t => t.IsGenericType).Select(t => t.GetGenericArguments()[0])
            .Where(t => t.IsPublic && t.Namespace!.StartsWith("Symtrain.Client", StringComparison.Ordinal) && t.GetProperty("AdditionalProperties") is not null)
            .ToHashSet();

        read.Should().BeEquivalentTo(Readers.Keys.Append(typeof(LibraryPage)));
        Readers.Should().NotContainKey(typeof(LibraryPage), "the client builds the page from the answer's top-level values, read as JSON");
        NullCases().Count.Should().BeGreaterThan(35);
    }

    [Theory]
    [MemberData(nameof(NullCases))]
    public async Task A_null_in_any_property_reads_as_null_or_empty_never_as_an_error(string modelName, string propertyName)
    {
        var model = Readers.Keys.Single(t => t.Name == modelName);
        var property = model.GetProperty(propertyName)!;
        var (answer, read) = Readers[model];
        var item = new JsonObject { ["simulationId"] = "s", ["taskId"] = "t", ["status"] = "STARTED", ["executionId"] = "e" };
        item[JsonName(property)] = null;
        using var harness = Harness.Json(answer(item));

        var value = property.GetValue(await read(harness.Client));

        if (new NullabilityInfoContext().Create(property).ReadState == NullabilityState.NotNull && !property.PropertyType.IsValueType)
        {
            value.Should().BeAssignableTo<System.Collections.IEnumerable>().Which.Cast<object>().Should().BeEmpty();
        }
        else
        {
            value.Should().BeNull();
        }
    }

    [Fact]
    public async Task A_null_tag_is_left_out_of_a_deep_link_and_a_library_simulation()
    {
        using var links = Harness.Json("""{"simulations":[{"simulationId":"s","tags":["a",null,"b"]}]}""");

        var link = (await links.Client.Access.CreateDeepLinksAsync(new DeepLinkRequest { OrganizationId = "o", UserId = "u", Tags = ["t"] })).Single();
        var page = await links.Client.Access.GetLibraryPageAsync(new LibraryQuery { OrganizationId = "o", UserId = "u" });

        link.Tags.Should().Equal("a", "b");
        page.Simulations.Single().Tags.Should().Equal("a", "b");
    }

    [Theory]
    [InlineData("\"true\"", true)]
    [InlineData("\"False\"", false)]
    [InlineData("\" TRUE \"", true)]
    public async Task A_flag_sent_as_a_word_reads_in_every_model_as_in_report_rows(string flag, bool expected)
    {
        using var assignment = Harness.Json($$"""{"simulationId":"s","assigned":{{flag}}}""");
        using var user = Harness.Json($$"""{"userId":"u","created":{{flag}}}""");

        (await assignment.Client.Access.AssignSimulationAsync("o", "u", "s")).Assigned.Should().Be(expected);
        (await user.Client.Users.CreateUserAsync(new CreateUserRequest { OrganizationId = "o", Email = "a@example.com" })).Created.Should().Be(expected);
        ReportRow.Parse($$"""{"f":{{flag}}}""").GetBoolean("f").Should().Be(expected);
    }

    // The same value forms through a model (read by the context) and through ReportRow: read alike, or refused alike.
    public static TheoryData<string> NumberForms => ["12", "-12", "\"12\"", "\"-12\"", "12.5", "\"12.5\"", "12.0", "1e2", "\"1e2\"", "1e400", "-1e400", "\"1e400\"",
        "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\" 12\"", "\"12 \"", "\"+12\"", "\"0x10\"", "\"1,000\"", "\"\"", "9223372036854775808", "true", "{}"];

    [Theory]
    [MemberData(nameof(NumberForms))]
    public void A_number_form_reads_alike_in_the_models_and_in_report_rows(string form)
    {
        var row = ReportRow.Parse($$"""{"n":{{form}}}""");
        var asDouble = Model(form, "symScore", SymtrainJsonContext.Default.SimulationExecution, e => e.SymScore);
        var asLong = Model(form, "processedCount", SymtrainJsonContext.Default.BulkImportStatus, s => s.ProcessedCount);

        (row.TryGetDouble("n", out var d) ? d : (double?)null).Should().Be(asDouble, "a double read from {0}", form);
        (row.TryGetInt64("n", out var l) ? l : (long?)null).Should().Be(asLong, "an integer read from {0}", form);
    }

    public static TheoryData<string> DateForms => ["2024-02-29", "2024-02-29T12:00", "2024-02-29t12:00z", "2024-02-29 12:00:00.123456789-05:30", "2024-02-29T12:00:00+05",
        "2024-02-29T12:00:00.1234567890Z", "2024-02-29T24:00:00", "2016-12-31T23:59:60Z", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59.9999999Z", " 2024-02-29 ", "12/31/2024"];

    [Theory]
    [MemberData(nameof(DateForms))]
    public void A_date_form_reads_alike_in_every_date_of_every_model_and_in_report_rows(string form)
    {
        var json = JsonSerializer.Serialize(form);
        DateTime? row = ReportRow.Parse($$"""{"d":{{json}}}""").TryGetDateTime("d", out var parsed) ? parsed : null;
        var models = new[]
        {
            Model(json, "createdAt", SymtrainJsonContext.Default.BulkImportStatus, s => s.CreatedAt),
            Model(json, "updatedAt", SymtrainJsonContext.Default.BulkImportStatus, s => s.UpdatedAt),
            Model(json, "startedAt", SymtrainJsonContext.Default.SimulationExecution, e => e.StartedAt),
            Model(json, "completedAt", SymtrainJsonContext.Default.SimulationExecution, e => e.CompletedAt),
        };

        models.Should().AllSatisfy(value =>
        {
            value.Should().Be(row, form);
            value?.Kind.Should().Be(row!.Value.Kind, form);
        });
    }

    private static TValue? Model<TModel, TValue>(string value, string name, System.Text.Json.Serialization.Metadata.JsonTypeInfo<TModel> type, Func<TModel, TValue?> get)
        where TValue : struct
    {
        try
        {
            return get(JsonSerializer.Deserialize($$"""{"{{name}}":{{value}}}""", type)!);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [Theory]
    [InlineData("symScore", "1e400")]
    [InlineData("completionTime", "\"NaN\"")]
    [InlineData("symScore", "{}")]
    public async Task A_number_that_is_no_finite_number_names_the_row_and_the_path(string name, string value)
    {
        using var harness = Harness.Json($$"""{"executions":[{"executionId":"e1"},{"executionId":"e2","{{name}}":{{value}}}]}""");

        var act = () => harness.Client.Access.GetCompletionDataAsync("o", "u", "s");

        (await act.Should().ThrowAsync<ApiException>()).Which.Message.Should().Contain($"row 2: a type mismatch at $.{name}").And.NotContain("invalid JSON");
    }

    [Fact]
    public async Task An_answer_or_a_row_of_the_wrong_JSON_type_names_the_model_not_its_NET_type()
    {
        using var user = Harness.Json("[1,2]");
        using var executions = Harness.Json("""{"executions":[{"executionId":"e1"},5]}""");

        var create = () => user.Client.Users.CreateUserAsync(new CreateUserRequest { OrganizationId = "o", Email = "a@example.com" });
        var completion = () => executions.Client.Access.GetCompletionDataAsync("o", "u", "s");

        (await create.Should().ThrowAsync<ApiException>()).Which.Message.Should().EndWith("(a type mismatch at $: expected a JSON object (SymtrainUser)).");
        (await completion.Should().ThrowAsync<ApiException>()).Which.Message.Should().EndWith("(row 2: a type mismatch at $: expected a JSON object (SimulationExecution)).");
    }

    [Fact]
    public void ReportRow_refuses_what_is_no_finite_number()
    {
        var row = ReportRow.Parse("""{"a":1e400,"b":"NaN","c":"-Infinity","d":"1e400","e":1.5}""");

        foreach (var name in new[] { "a", "b", "c", "d" })
        {
            row.TryGetDouble(name, out _).Should().BeFalse(name);
            row.Invoking(r => r.GetDouble(name)).Should().Throw<FormatException>().WithMessage($"*'{name}' is not a number*");
        }

        row.GetDouble("e").Should().Be(1.5);
    }

    private static readonly Dictionary<string, Func<ISymtrainClient, Task>> Operations = new()
    {
        ["Access.CreateDeepLinkAsync"] = c => c.Access.CreateDeepLinkAsync("o", "u", "s"),
        ["Access.GetCompletionDataAsync"] = c => c.Access.GetCompletionDataAsync("o", "u", "s"),
        ["Access.GetLibraryPageAsync"] = c => c.Access.GetLibraryPageAsync(new LibraryQuery { OrganizationId = "o", UserId = "u" }),
        ["Access.ListLibraryAsync"] = c => c.Access.ListLibraryAsync(new LibraryQuery { OrganizationId = "o", UserId = "u" }).ToListAsync().AsTask(),
        ["Access.AssignSimulationAsync"] = c => c.Access.AssignSimulationAsync("o", "u", "s"),
        ["Access.UnassignSimulationAsync"] = c => c.Access.UnassignSimulationAsync("o", "u", "s"),
        ["Users.CreateAccessTokenAsync"] = c => c.Users.CreateAccessTokenAsync("o", "u"),
        ["Users.CreateUserAsync"] = c => c.Users.CreateUserAsync(new CreateUserRequest { OrganizationId = "o", Email = "a@example.com" }),
        ["Users.BulkImportAsync"] = c => c.Users.BulkImportAsync("o", [new BulkImportRow { FirstName = "A", LastName = "B", Email = "a@example.com" }]),
        ["Users.GetBulkImportStatusAsync"] = c => c.Users.GetBulkImportStatusAsync("o", "t"),
        ["Reports.GetUsersAsync"] = c => c.Reports.GetUsersAsync(Quarter),
        ["Reports.GetReportAsync<TRow>"] = c => c.Reports.GetReportAsync(SymtrainReport.Users, Quarter, SymtrainJsonContext.Default.JsonElement),
        ["Reports.StreamReportAsync"] = c => c.Reports.StreamReportAsync(SymtrainReport.Syms, Quarter).ToListAsync().AsTask(),
    };

    public static TheoryData<string, byte[]> ForeignStarts => new()
    {
        { "two byte order marks", [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, .. """{"simulationId":"s","token":"t","taskId":"t","success":true,"results":[]}"""u8] },
        { "two byte order marks before an array", [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, .. """[]"""u8] },
        { "UTF-16", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("""{"simulationId":"s","token":"t","taskId":"t","success":true,"results":[]}""")] },
    };

    [Theory]
    [MemberData(nameof(ForeignStarts))]
    public async Task A_body_with_two_byte_order_marks_or_in_UTF16_is_an_ApiException_on_every_operation_and_a_report_names_the_cause(string what, byte[] body)
    {
        foreach (var (operation, call) in Operations)
        {
            using var harness = new Harness((_, _) => Raw(body));

            var act = () => call(harness.Client);

            var message = (await act.Should().ThrowAsync<ApiException>("{0}: {1}", what, operation)).Which.Message;
            message.Should().Contain("returned a response that is not", operation);
            // Every reader names the cause: lists, pages and single answers alike.
            message.Should().Contain(what.StartsWith("two", StringComparison.Ordinal) ? "two byte order marks" : "is UTF-16 text", operation);
        }
    }

    [Theory]
    [MemberData(nameof(ForeignStarts))]
    public async Task An_error_body_with_two_byte_order_marks_or_in_UTF16_keeps_its_status_on_every_operation(string what, byte[] body)
    {
        foreach (var (operation, call) in Operations)
        {
            using var harness = new Harness((_, _) => new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new ByteArrayContent(body) });

            var act = () => call(harness.Client);

            var exception = (await act.Should().ThrowAsync<ApiValidationException>("{0}: {1}", what, operation)).Which;
            exception.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            exception.Message.Should().Contain("failed with 400").And.NotContain("returned a response that is not");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task An_answer_whose_byte_order_mark_is_split_across_reads_of_1_2_or_3_bytes_is_read_by_every_operation(int size)
    {
        const string Answer = """{"simulationId":"s","deepLink":"https://app.test/s","token":"t","taskId":"t","status":"STARTED","success":true,"results":[{"userId":"u"}],"executions":[{"executionId":"e"}]}""";
        var body = Encoding.UTF8.GetBytes("\uFEFF \r\n" + Answer);
        foreach (var (operation, call) in Operations)
        {
            using var harness = new Harness((_, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new SplitStream(body, size)) });

            var act = () => call(harness.Client);

            await act.Should().NotThrowAsync(operation);
        }
    }

    [Fact]
    public async Task A_ten_megabyte_answer_that_does_not_fit_gives_a_short_message_on_every_operation()
    {
        var name = new string('k', 10 * 1024 * 1024);
        var bodies = new[]
        {
            $$"""{"simulations":[{"simulationId":"s","{{name}}":[1,}]}""",
            $$"""[{"userId":"u"},{"{{name}}":[1,}]""",
            $$"""{"simulationId":"s","taskId":"t","token":"t","status":"STARTED","symScore":{"{{name}}":1},"{{name}}x":[}""",
        };
        foreach (var body in bodies)
        {
            foreach (var (operation, call) in Operations)
            {
                using var harness = Harness.Json(body);

                var act = () => call(harness.Client);

                var exception = (await act.Should().ThrowAsync<ApiException>(operation)).Which;
                exception.Message.Length.Should().BeLessThan(1000, operation);
                (exception.ResponseBody?.Length ?? 0).Should().BeLessThanOrEqualTo(4096 + 20, operation);
            }
        }
    }

    [Fact]
    public async Task An_answer_that_does_not_fit_never_quotes_the_api_key_it_echoes()
    {
        using var harness = Harness.Json($$"""{"executions":[{"executionId":"{{Harness.ApiKey}}","symScore":"{{Harness.ApiKey}}"}]}""");

        var act = () => harness.Client.Access.GetCompletionDataAsync("o", "u", "s");

        var exception = (await act.Should().ThrowAsync<ApiException>()).Which;
        exception.Message.Should().Contain("a type mismatch at $.symScore").And.NotContain(Harness.ApiKey);
        (exception.ResponseBody ?? string.Empty).Should().NotContain(Harness.ApiKey);
    }

    /// <summary>A body that arrives <paramref name="size"/> bytes per read.</summary>
    private sealed class SplitStream(byte[] data, int size) : MemoryStream(data, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, size));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, size)]);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, size), cancellationToken);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, size)], cancellationToken);
    }

    private static HttpResponseMessage Raw(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }
}
