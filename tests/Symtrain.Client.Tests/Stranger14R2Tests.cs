using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Symtrain.Client.Access;
using Symtrain.Client.Users;
using TrainingApis.Testing;

namespace Symtrain.Client.Tests;

/// <summary>
/// Issue 14, second stranger round: this morning's text rule for names (no control character, U+FFFD, U+FEFF) tried
/// on its siblings: a lone surrogate (which UTF-8 cannot carry: it would reach the vendor as U+FFFD), the ids every
/// operation sends, and CreateUser's additional fields. Each refusal sends nothing.
/// </summary>
public sealed class Stranger14R2Tests
{
    private const string User = """{"id":"u-1","email":"ann@example.com"}""";
    private const string Accepted = """{"taskId":"task-1","validUsersCount":1,"invalidUsersCount":0,"errors":[]}""";

    private static CreateUserRequest Valid() => new() { OrganizationId = "org-1", Email = "ann@example.com", FirstName = "Ann", LastName = "Lee" };

    private static BulkImportRow Row() => new() { FirstName = "Ann", LastName = "Lee", Email = "ann@example.com", TeamName = "Ops" };

    // Lone surrogates are built here, not passed as theory data: the test runner carries theory data as UTF-8, which
    // turns them into U+FFFD on the way.
    private static readonly string[] Surrogates = ["Zo\uD800", "\uDC00Ann", "Lee\uDBFF", "ann\uD800@example.com", "org-1\uD800", "x\uD800"];

    [Theory]
    [InlineData("FirstName", 0)]
    [InlineData("FirstName", 1)]
    [InlineData("LastName", 2)]
    [InlineData("Email", 3)]
    public async Task CreateUser_refuses_a_lone_surrogate_naming_the_field(string field, int which)
    {
        var value = Surrogates[which];
        // Fails on main: sent, and UTF-8 turned it into U+FFFD on the wire (the damage the rule exists to stop).
        using var harness = Harness.Json(User);
        var request = field switch
        {
            "FirstName" => Valid() with { FirstName = value },
            "LastName" => Valid() with { LastName = value },
            _ => Valid() with { Email = value, Username = null },
        };

        var act = () => harness.Client.Users.CreateUserAsync(request);

        var error = (await act.Should().ThrowAsync<ArgumentException>()).Which;
        error.Message.Should().Contain("request." + field).And.Contain("surrogate");
        harness.Handler.Count.Should().Be(0);
    }

    [Fact]
    public async Task CreateUser_sends_a_valid_surrogate_pair_as_it_is()
    {
        using var harness = Harness.Json(User);

        await harness.Client.Users.CreateUserAsync(Valid() with { FirstName = "Ann \U0001F600" });

        Harness.Body(harness.Single)["firstName"]!.GetValue<string>().Should().Be("Ann \U0001F600");
    }

    [Theory]
    [InlineData("firstName")]
    [InlineData("lastName")]
    [InlineData("teamName")]
    [InlineData("username")]
    public async Task BulkImport_refuses_a_lone_surrogate_naming_row_and_field(string field)
    {
        // Fails on main: the CSV writer encoded it as U+FFFD and uploaded it.
        using var harness = Harness.Json(Accepted);
        var row = field switch
        {
            "firstName" => Row() with { FirstName = "Zo\uD800" },
            "lastName" => Row() with { LastName = "Lee\uDFFF" },
            "teamName" => Row() with { TeamName = "Ops\uD83D" },
            _ => Row() with { Username = "ann\uDE00" },
        };

        var act = () => harness.Client.Users.BulkImportAsync("org-1", [Row() with { Email = "bob@example.com" }, row]);

        var error = (await act.Should().ThrowAsync<BulkImportValidationException>()).Which;
        error.Errors.Should().Contain(e => e.Row == 2 && e.Field == field && e.Message.Contains("surrogate"));
        harness.Handler.Count.Should().Be(0);
    }

    [Theory]
    [InlineData("a byte order mark pasted from a file", "\uFEFForg-1", "U+FEFF")]
    [InlineData("a replacement character", "org\uFFFD1", "U+FFFD")]
    [InlineData("a lone surrogate", null, "surrogate")]
    public async Task Every_operation_refuses_a_damaged_id_before_sending(string because, string? given, string expected)
    {
        var id = given ?? Surrogates[4];
        // Fails on main: ids were only checked for control characters; "\uFEFForg-1" (the first cell of a file saved
        // with a byte order mark) went to the vendor, which answers 404 or stores the wrong organization.
        using var harness = Harness.Json(User);
        var calls = new (string Name, Func<Task> Call)[]
        {
            ("organizationId", () => harness.Client.Users.CreateAccessTokenAsync(id, "u-1")),
            ("userId", () => harness.Client.Users.CreateAccessTokenAsync("org-1", id)),
            ("request.OrganizationId", () => harness.Client.Users.CreateUserAsync(Valid() with { OrganizationId = id })),
            ("organizationId", () => harness.Client.Users.BulkImportAsync(id, [Row()])),
            ("taskId", () => harness.Client.Users.GetBulkImportStatusAsync("org-1", id)),
            ("simulationId", () => harness.Client.Access.AssignSimulationAsync("org-1", "u-1", id)),
            ("simulationId", () => harness.Client.Access.CreateDeepLinkAsync("org-1", "u-1", id)),
            ("simulationId", () => harness.Client.Access.GetCompletionDataAsync("org-1", "u-1", id)),
        };

        foreach (var (name, call) in calls)
        {
            var error = (await call.Should().ThrowAsync<ArgumentException>(because)).Which;
            error.Message.Should().Contain(name, because).And.Contain(expected, because);
        }

        harness.Handler.Count.Should().Be(0, because);
    }

    [Theory]
    [InlineData("Zo\uFFFD")]
    [InlineData("nul\u0000byte")]
    [InlineData("\uFEFF+44 20")]
    [InlineData(null)]
    public async Task CreateUser_refuses_damaged_text_in_an_additional_field_naming_it(string? given)
    {
        var value = given ?? Surrogates[5];
        // Fails on main: the documented fields were checked, the additional ones (a phone, a department) sent as they were.
        using var harness = Harness.Json(User);
        var request = Valid() with { AdditionalFields = new JsonObject { ["phone"] = value, ["seats"] = 3 } };
        var nested = Valid() with { AdditionalFields = new JsonObject { ["phone"] = new JsonArray("ok", new JsonObject { ["home"] = value }) } };
        var actNested = () => harness.Client.Users.CreateUserAsync(nested);
        (await actNested.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("request.AdditionalFields['phone']");

        var act = () => harness.Client.Users.CreateUserAsync(request);

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("request.AdditionalFields['phone']");
        harness.Handler.Count.Should().Be(0);
    }

    [Fact]
    public async Task CreateUser_sends_clean_additional_fields_of_any_type()
    {
        using var harness = Harness.Json(User);

        await harness.Client.Users.CreateUserAsync(Valid() with { AdditionalFields = new JsonObject { ["phone"] = "+44 20 7946 0000", ["note"] = "two\r\nlines\tand a tab", ["seats"] = 3, ["tags"] = new JsonArray("a", "b") } });

        var body = Harness.Body(harness.Single);
        body["phone"]!.GetValue<string>().Should().Be("+44 20 7946 0000");
        body["seats"]!.GetValue<int>().Should().Be(3);
        body["note"]!.GetValue<string>().Should().Be("two\r\nlines\tand a tab", "a free-form field may hold line breaks");
    }

    [Fact]
    public async Task WaitForBulkImport_timeout_message_bounds_and_masks_the_servers_status_text()
    {
        // Fails on main: the last status was quoted whole and unmasked (a 100 KB status made a 100 KB message; a status
        // echoing the API key put it in the exception).
        var status = "QUEUED behind " + Harness.ApiKey + " " + new string('x', 100_000);
        using var harness = new Harness(
            (_, _) => FakeHttpHandler.JsonResponse($$"""{"status":"{{status}}"}"""),
            o => o.BulkImportWaitTimeout = TimeSpan.FromSeconds(10));

        var act = () => harness.Time.RunAsync(harness.Client.Users.WaitForBulkImportAsync("org-1", "task-1"));

        var error = (await act.Should().ThrowAsync<TimeoutException>()).Which;
        error.Message.Should().Contain("QUEUED behind ***").And.Contain("BulkImportWaitTimeout");
        error.Message.Should().NotContain(Harness.ApiKey);
        error.Message.Length.Should().BeLessThan(1_000);
    }

    [Fact]
    public void A_bulk_import_result_prints_a_bounded_text_whatever_the_servers_reasons()
    {
        // Fails on main: every reason of a refused row was printed, whole (10,000 reasons of 100 characters: 1 MB).
        var reasons = Enumerable.Range(1, 10_000).Select(i => $"reason {i} " + new string('r', 100)).ToList();
        var result = new BulkImportResult
        {
            TaskId = "task-1",
            Errors = [new BulkImportRejectedRow { Row = 1, Errors = reasons }, new BulkImportRejectedRow { Row = 2, Errors = [new string('y', 1_000_000)] }],
        };

        var text = result.ToString();

        text.Should().Contain("reason 1 ").And.Contain("Row = 2").And.Contain("more");
        text.Length.Should().BeLessThan(20_000);
        result.Errors[0].ToString().Length.Should().BeLessThan(10_000);
        result.Errors[1].ToString().Length.Should().BeLessThan(1_000);
    }

    [Fact]
    public async Task A_bulk_import_answer_with_a_null_reason_reads_and_prints()
    {
        using var harness = Harness.Json("""{"taskId":null,"validUsersCount":0,"invalidUsersCount":1,"errors":[{"row":1,"errors":[null,"Invalid email"]}]}""");

        var result = await harness.Client.Users.BulkImportAsync("org-1", [Row()]);

        result.ToString().Should().Contain("Invalid email");
    }

    [Fact]
    public async Task A_bulk_import_timed_out_over_the_DI_client_says_its_outcome_is_unknown_and_is_sent_once()
    {
        var time = TrainingApis.Testing.FakeTime.Create();
        var handler = new FakeHttpHandler(async (_, _, _, ct) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, time, ct);
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK);
        });
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddSymtrainClient(o => (o.ApiKey, o.Retry.MaxRetries, o.AttemptTimeout) = (Harness.ApiKey, 2, TimeSpan.FromSeconds(5)))
            .ConfigurePrimaryHttpMessageHandler(() => handler);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<ISymtrainClient>();

        var act = () => time.RunAsync(client.Users.BulkImportAsync("org-1", [Row()]));

        var error = (await act.Should().ThrowAsync<TimeoutException>()).Which;
        error.Message.Should().Contain("outcome is unknown");
        handler.Count.Should().Be(1, "an upload that may have been processed is never sent again");
    }

    [Theory]
    [InlineData("\"\\u0074\\u0072\\u0075\\u0065\"", true)]
    [InlineData("\"\\u0046\\u0061\\u006C\\u0073\\u0065\"", false)]
    [InlineData("\"true\"", true)]
    [InlineData("\"  False  \"", false)]
    public async Task A_flag_written_with_json_escapes_reads_alike_in_a_model_and_a_report_row(string json, bool expected)
    {
        // Fails on main for the escaped forms: ReportRow read them, the models' converter refused them by their raw
        // length (a server escaping every character, as the secret masker already expects).
        using var harness = Harness.Json($$"""{"id":"u-1","created":{{json}}}""");
        using var document = System.Text.Json.JsonDocument.Parse($$"""{"flag":{{json}}}""");

        var user = await harness.Client.Users.CreateUserAsync(Valid());
        var row = new Symtrain.Client.Reports.ReportRow(document.RootElement, clone: true);

        user.Created.Should().Be(expected);
        row.GetBoolean("flag").Should().Be(expected);
    }

    [Theory]
    [InlineData("Zo\uFFFD", "U+FFFD")]
    [InlineData("\uFEFFsales", "U+FEFF")]
    [InlineData(null, "surrogate")]
    [InlineData("two\nlines", "control")]
    public async Task A_library_search_term_or_tag_with_damaged_text_is_refused_before_sending(string? given, string expected)
    {
        // Fails on main for U+FFFD, U+FEFF and a lone surrogate: only control characters were refused in a search term,
        // and tags took the id rule, which refused nothing else.
        var term = given ?? Surrogates[5];
        using var harness = Harness.Json("""{"items":[]}""");

        var search = () => harness.Client.Access.GetLibraryPageAsync(new LibraryQuery { OrganizationId = "org-1", UserId = "u-1", SearchTerm = term });
        var tags = () => harness.Client.Access.GetLibraryPageAsync(new LibraryQuery { OrganizationId = "org-1", UserId = "u-1", Tags = ["ok", term] });

        (await search.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("query.SearchTerm").And.Contain(expected);
        (await tags.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("query.Tags");
        harness.Handler.Count.Should().Be(0);
    }
}
