using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Symtrain.Client.Users;
using TrainingApis.Core;
using TrainingApis.Testing;

namespace Symtrain.Client.Tests.Users;

public class BulkImportTests
{
    private const string BulkImportPath = "/v2/access-api/user/bulk-import";
    private const string Header = "firstName,lastName,username,email,role,teamName,status,action";
    private const string Accepted = """{"taskId":"task-1","validUsersCount":2,"invalidUsersCount":0,"errors":[]}""";

    private static BulkImportRow User(int n) => new()
    {
        FirstName = $"First{n}",
        LastName = $"Last{n}",
        Email = $"user{n}@example.com",
    };

    private static List<BulkImportRow> Users(int count) => [.. Enumerable.Range(1, count).Select(User)];

    /// <summary>The parts of a multipart body, by name: their headers and content.</summary>
    internal static Dictionary<string, (string Headers, string Content)> Parts(RecordedRequest request)
    {
        var boundary = Regex.Match(request.ContentType!, "boundary=\"?([^\";]+)\"?").Groups[1].Value;
        var parts = new Dictionary<string, (string, string)>();
        foreach (var section in request.Body.Split("--" + boundary).Skip(1))
        {
            if (section.StartsWith("--", StringComparison.Ordinal))
            {
                break;
            }

            var split = section.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var headers = section[..split].Trim();
            var content = section[(split + 4)..];
            content = content.EndsWith("\r\n", StringComparison.Ordinal) ? content[..^2] : content;
            var name = Regex.Match(headers, "name=\"?([^\";\\r]+)\"?").Groups[1].Value;
            parts[name] = (headers, content);
        }

        return parts;
    }

    private static string Csv(RecordedRequest request) => Parts(request)["file"].Content;

    [Fact]
    public async Task BulkImport_uploads_a_multipart_form_with_the_csv_in_the_documented_column_order()
    {
        using var harness = Harness.Json(Accepted);

        var result = await harness.Client.Users.BulkImportAsync("org-1", [
            User(1) with { TeamName = "Sales, EMEA" },
            User(2) with { Username = "user2@example.com", Status = "INACTIVE", Action = "Update" },
        ]);

        var request = harness.Single;
        request.Method.Should().Be(HttpMethod.Post);
        request.Uri!.AbsoluteUri.Should().Be("https://api.symtrain.com" + BulkImportPath);
        request.Authorization.Should().Be("Bearer " + Harness.ApiKey);
        request.ContentType.Should().StartWith("multipart/form-data; boundary=");
        var parts = Parts(request);
        parts.Keys.Should().Equal("organizationId", "file");
        parts["organizationId"].Content.Should().Be("org-1");
        parts["file"].Headers.Should().Contain("filename=users.csv").And.Contain("Content-Type: text/csv");
        parts["file"].Content.Should().Be(
            Header + "\r\n" +
            "First1,Last1,user1@example.com,user1@example.com,trainee,\"Sales, EMEA\",ACTIVE,Add\r\n" +
            "First2,Last2,user2@example.com,user2@example.com,trainee,,INACTIVE,Update\r\n");
        result.TaskId.Should().Be("task-1");
        result.HasTask.Should().BeTrue();
        result.ValidUsersCount.Should().Be(2);
    }

    [Fact]
    public async Task The_documented_result_with_refused_rows_is_read()
    {
        using var harness = Harness.Json("""{"taskId":"t-9","validUsersCount":2,"invalidUsersCount":1,"errors":[{"row":3,"errors":["email must match username"]}],"batch":"b1"}""");

        var result = await harness.Client.Users.BulkImportAsync("org-1", Users(3));

        result.InvalidUsersCount.Should().Be(1);
        result.Errors.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Row = 3, Errors = new[] { "email must match username" } });
        result.AdditionalProperties!["batch"].GetString().Should().Be("b1");
    }

    [Fact]
    public async Task A_result_without_a_task_has_none()
    {
        using var harness = Harness.Json("""{"validUsersCount":0,"invalidUsersCount":1,"errors":null}""");

        var result = await harness.Client.Users.BulkImportAsync("org-1", Users(1));

        result.HasTask.Should().BeFalse();
        result.Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task Values_a_spreadsheet_would_run_as_formulas_are_neutralised()
    {
        using var harness = Harness.Json(Accepted);

        await harness.Client.Users.BulkImportAsync("org-1", [
            User(1) with { FirstName = "=HYPERLINK(\"http://x\")", LastName = "+1", TeamName = "-team" },
            User(2) with { FirstName = "@cmd", LastName = "\tTab", TeamName = "\rCR" },
        ]);

        var lines = Csv(harness.Single).Split("\r\n");
        lines[1].Should().Be("\"'=HYPERLINK(\"\"http://x\"\")\",\"'+1\",user1@example.com,user1@example.com,trainee,\"'-team\",ACTIVE,Add");
        lines[2].Should().Be("\"'@cmd\",\"'\tTab\",user2@example.com,user2@example.com,trainee,\"'\rCR\",ACTIVE,Add");
    }

    [Fact]
    public async Task More_than_750_rows_are_refused_before_any_request()
    {
        using var harness = Harness.Json(Accepted);

        var act = () => harness.Client.Users.BulkImportAsync("org-1", Users(751));

        var error = (await act.Should().ThrowAsync<BulkImportValidationException>()).Which;
        error.ParamName.Should().Be("rows");
        error.Errors.Should().ContainSingle().Which.Message.Should().Contain("751").And.Contain("750").And.Contain("BulkImportInBatchesAsync");
        harness.Handler.Count.Should().Be(0);
    }

    [Fact]
    public async Task Exactly_750_rows_are_one_upload()
    {
        using var harness = Harness.Json(Accepted);

        await harness.Client.Users.BulkImportAsync("org-1", Users(750));

        Csv(harness.Single).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(751);
    }

    [Fact]
    public async Task No_rows_are_refused()
    {
        using var harness = Harness.Json(Accepted);

        var act = () => harness.Client.Users.BulkImportAsync("org-1", []);

        await act.Should().ThrowAsync<BulkImportValidationException>().WithMessage("*no rows*");
        harness.Handler.Count.Should().Be(0);
    }

    [Fact]
    public async Task Every_problem_of_every_row_is_reported_at_once_with_row_and_field()
    {
        using var harness = Harness.Json(Accepted);
        var rows = new List<BulkImportRow>
        {
            User(1),
            User(2) with { FirstName = " " },
            User(3) with { Username = "USER3@example.com" },
            User(4) with { Role = "admin", Status = "active" },
            User(5) with { Email = "not-an-email", Action = "Delete" },
            User(6) with { Email = "-user6@example.com" },
            User(7) with { Email = "user1@example.com" },
        };

        var act = () => harness.Client.Users.BulkImportAsync("org-1", rows);

        var errors = (await act.Should().ThrowAsync<BulkImportValidationException>()).Which.Errors;
        errors.Select(e => (e.Row, e.Field)).Should().Equal(
            (2, "firstName"),
            (3, "username"),
            (4, "role"),
            (4, "status"),
            (5, "email"),
            (5, "action"),
            (6, "email"),
            (7, "username"));
        errors[3].Message.Should().Contain("ACTIVE or INACTIVE").And.Contain("'active'");
        errors[6].Message.Should().Contain("formula");
        errors[7].Message.Should().Contain("row 1");
        harness.Handler.Count.Should().Be(0);
    }

    [Fact]
    public void The_exception_message_lists_the_problems()
    {
        var error = new BulkImportValidationException([new BulkImportRowError(2, "email", "is required."), new BulkImportRowError(null, null, "Too many.")], "rows");

        error.Message.Should().Contain("2 problems").And.Contain("row 2, email: is required; Too many.").And.NotContain("..");
        error.Should().BeAssignableTo<ArgumentException>();
    }

    [Fact]
    public void A_result_prints_its_refused_rows_and_their_reasons_not_their_list_types()
    {
        // Fails on main: "Errors = System.Collections.Generic.List`1[…]".
        var result = new BulkImportResult
        {
            TaskId = "t-1",
            ValidUsersCount = 1,
            InvalidUsersCount = 1,
            Errors = [new BulkImportRejectedRow { Row = 3, Errors = ["email is invalid", "role is unknown"] }],
        };

        result.ToString().Should().Be(
            "BulkImportResult { TaskId = t-1, ValidUsersCount = 1, InvalidUsersCount = 1, Errors = [BulkImportRejectedRow { Row = 3, Errors = [email is invalid; role is unknown] }], HasTask = True }");
    }

    [Fact]
    public async Task The_upload_is_not_retried_after_a_server_error()
    {
        using var harness = new Harness(
            (_, _) => FakeHttpHandler.JsonResponse("""{"message":"boom"}""", HttpStatusCode.InternalServerError),
            o => o.Retry = new RetryOptions { MaxRetries = 3, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(2) });

        var act = () => harness.Time.RunAsync(harness.Client.Users.BulkImportAsync("org-1", Users(2)));

        (await act.Should().ThrowAsync<ApiException>()).Which.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        harness.Requests.Should().HaveCount(1);
    }

    [Fact]
    public async Task The_upload_is_retried_after_a_429_with_the_same_form()
    {
        using var harness = new Harness(
            (_, n) =>
            {
                if (n > 0)
                {
                    return FakeHttpHandler.JsonResponse(Accepted);
                }

                var limited = FakeHttpHandler.JsonResponse("""{"message":"Too many requests"}""", HttpStatusCode.TooManyRequests);
                limited.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(2));
                return limited;
            },
            o => o.Retry = new RetryOptions { MaxRetries = 2 });

        var result = await harness.Time.RunAsync(harness.Client.Users.BulkImportAsync("org-1", Users(2)));

        result.TaskId.Should().Be("task-1");
        harness.Requests.Should().HaveCount(2);
        Csv(harness.Requests[1]).Should().Be(Csv(harness.Requests[0]));
    }

    [Fact]
    public async Task BulkImportInBatches_uploads_consecutive_files_of_750_and_returns_one_result_per_file()
    {
        using var harness = new Harness((_, n) => FakeHttpHandler.JsonResponse($$"""{"taskId":"task-{{n + 1}}","validUsersCount":1,"invalidUsersCount":0}"""));

        var results = new List<BulkImportResult>();
        await foreach (var result in harness.Client.Users.BulkImportInBatchesAsync("org-1", Users(1600)))
        {
            results.Add(result);
        }

        results.Select(r => r.TaskId).Should().Equal("task-1", "task-2", "task-3");
        var files = harness.Requests.Select(Csv).Select(csv => csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries)).ToList();
        files.Select(f => f.Length - 1).Should().Equal(750, 750, 100);
        files.Should().OnlyContain(f => f[0] == Header);
        files[0][1].Should().StartWith("First1,");
        files[1][1].Should().StartWith("First751,");
        files[2][^1].Should().StartWith("First1600,");
    }

    [Fact]
    public async Task BulkImportInBatches_validates_every_row_before_the_first_upload_numbering_rows_across_the_set()
    {
        using var harness = Harness.Json(Accepted);
        var rows = Users(1600);
        rows[799] = rows[799] with { Status = "GONE" };

        var act = () => harness.Client.Users.BulkImportInBatchesAsync("org-1", rows);

        act.Should().Throw<BulkImportValidationException>().Which.Errors.Should().ContainSingle().Which.Row.Should().Be(800);
        harness.Handler.Count.Should().Be(0);
        await Task.CompletedTask;
    }

    [Fact]
    public void Chunk_splits_into_files_of_at_most_750()
    {
        BulkImportCsv.Chunk(Users(1501)).Select(c => c.Count).Should().Equal(750, 750, 1);
        BulkImportCsv.Columns.Should().Equal("firstName", "lastName", "username", "email", "role", "teamName", "status", "action");
        BulkImportCsv.Validate(Users(3)).Should().BeEmpty();
    }

    [Fact]
    public async Task BulkImportCsv_validates_and_uploads_a_callers_file_in_canonical_form()
    {
        using var harness = Harness.Json(Accepted);
        var csv = "\uFEFFemail,username,firstName,lastName,role,teamName,status,action\r\n" +
                  "jane@example.com,jane@example.com,Jane,Doe,trainee,,ACTIVE,Add\n" +
                  "\n" +
                  "joe@example.com,joe@example.com,=Joe,\"Smith, Jr\",trainee,Ops,INACTIVE,Update\n";
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));

        var result = await harness.Client.Users.BulkImportCsvAsync("org-1", stream);

        result.TaskId.Should().Be("task-1");
        Parts(harness.Single)["organizationId"].Content.Should().Be("org-1");
        Csv(harness.Single).Should().Be(
            Header + "\r\n" +
            "Jane,Doe,jane@example.com,jane@example.com,trainee,,ACTIVE,Add\r\n" +
            "\"'=Joe\",\"Smith, Jr\",joe@example.com,joe@example.com,trainee,Ops,INACTIVE,Update\r\n");
        stream.CanRead.Should().BeTrue("the caller's stream is left open");
    }

    [Fact]
    public async Task A_csv_with_five_bad_rows_reports_all_five()
    {
        using var harness = Harness.Json(Accepted);
        var csv = Header + "\n" +
                  "Ann,Lee,ann@example.com,ann@example.com,trainee,,ACTIVE,Add\n" +
                  ",Lee,bob@example.com,bob@example.com,trainee,,ACTIVE,Add\n" +
                  "Cy,Lee,cy@example.com,CY@example.com,trainee,,ACTIVE,Add\n" +
                  "Di,Lee,di@example.com,di@example.com,manager,,ACTIVE,Add\n" +
                  "Ed,Lee,ed@example.com,ed@example.com,trainee,,PENDING,Add\n" +
                  "Fay,Lee,fay@example.com,fay@example.com,trainee,,ACTIVE,Remove\n" +
                  "Gus,Lee,gus@example.com,gus@example.com,trainee,,ACTIVE,Add\n";

        var act = () => harness.Client.Users.BulkImportCsvAsync("org-1", new MemoryStream(Encoding.UTF8.GetBytes(csv)));

        var error = (await act.Should().ThrowAsync<BulkImportValidationException>()).Which;
        error.ParamName.Should().Be("csv");
        error.Errors.Select(e => (e.Row, e.Field)).Should().Equal((2, "firstName"), (3, "username"), (4, "role"), (5, "status"), (6, "action"));
        error.Message.Should().Contain("5 problems");
        harness.Handler.Count.Should().Be(0);
    }

    [Fact]
    public async Task A_csv_header_is_checked_naming_each_bad_column()
    {
        using var harness = Harness.Json(Accepted);
        var csv = "FirstName,lastName,username,email,role,teamName,status,phone\nA,B,a@x.com,a@x.com,trainee,,ACTIVE,Add\n";

        var act = () => harness.Client.Users.BulkImportCsvAsync("org-1", new MemoryStream(Encoding.UTF8.GetBytes(csv)));

        var errors = (await act.Should().ThrowAsync<BulkImportValidationException>()).Which.Errors;
        errors.Select(e => e.Field).Should().BeEquivalentTo(["phone", "action"], "the header's case does not matter: the SDK writes its own");
        errors.Should().OnlyContain(e => e.Row == null && e.Line == 1);
        harness.Handler.Count.Should().Be(0);
    }

    [Fact]
    public async Task A_csv_row_with_the_wrong_number_of_fields_is_reported_with_the_others()
    {
        using var harness = Harness.Json(Accepted);
        var csv = Header + "\nA,B,a@x.com,a@x.com,trainee,,ACTIVE\nC,D,c@x.com,c@x.com,trainee,,ACTIVE,Add,extra\nE,F,e@x.com,e@x.com,trainee,,ACTIVE,Nope\n";

        var act = () => harness.Client.Users.BulkImportCsvAsync("org-1", new MemoryStream(Encoding.UTF8.GetBytes(csv)));

        var errors = (await act.Should().ThrowAsync<BulkImportValidationException>()).Which.Errors;
        errors.Should().Contain(e => e.Row == 1 && e.Message.Contains("7 fields"));
        errors.Should().Contain(e => e.Row == 1 && e.Field == "action");
        errors.Should().Contain(e => e.Row == 2 && e.Message.Contains("9 fields"));
        errors.Should().Contain(e => e.Row == 3 && e.Field == "action");
    }

    [Fact]
    public async Task A_csv_with_751_rows_is_refused_before_upload()
    {
        using var harness = Harness.Json(Accepted);
        var csv = new StringBuilder(Header).Append('\n');
        for (var i = 1; i <= 751; i++)
        {
            csv.Append(CultureInvariant($"F{i},L{i},u{i}@x.com,u{i}@x.com,trainee,,ACTIVE,Add\n"));
        }

        var act = () => harness.Client.Users.BulkImportCsvAsync("org-1", new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())));

        (await act.Should().ThrowAsync<BulkImportValidationException>()).Which.Message.Should().Contain("751 rows");
        harness.Handler.Count.Should().Be(0);

        static string CultureInvariant(FormattableString s) => FormattableString.Invariant(s);
    }

    [Fact]
    public async Task An_empty_csv_is_refused()
    {
        using var harness = Harness.Json(Accepted);

        var act = () => harness.Client.Users.BulkImportCsvAsync("org-1", new MemoryStream());

        await act.Should().ThrowAsync<BulkImportValidationException>().WithMessage("*empty*");
    }

    [Fact]
    public async Task Bulk_import_arguments_are_checked_before_sending()
    {
        using var harness = Harness.Json(Accepted);

        (await ((Func<Task>)(() => harness.Client.Users.BulkImportAsync("org\r\n", Users(1)))).Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("organizationId");
        (await ((Func<Task>)(() => harness.Client.Users.BulkImportAsync("org", null!))).Should().ThrowAsync<ArgumentNullException>()).Which.ParamName.Should().Be("rows");
        (await ((Func<Task>)(() => harness.Client.Users.BulkImportCsvAsync("org", null!))).Should().ThrowAsync<ArgumentNullException>()).Which.ParamName.Should().Be("csv");
        ((Action)(() => harness.Client.Users.BulkImportInBatchesAsync("", Users(1)))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("organizationId");
        harness.Handler.Count.Should().Be(0);
    }
}
