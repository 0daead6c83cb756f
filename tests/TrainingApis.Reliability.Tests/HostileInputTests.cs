using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Senar.Client;
using Senar.Client.Users;
using Senar.Client.Webhooks;
using Symtrain.Client;
using Symtrain.Client.Access;
using Symtrain.Client.Users;
using TrainingApis.Core;
using TrainingApis.Testing;

namespace TrainingApis.Reliability.Tests;

/// <summary>
/// Hostile arguments: each is refused with an <see cref="ArgumentException"/>-family error naming the argument, before
/// anything is sent (the scripted handler sees no request). Where a value is legitimate data that never reaches a URL or
/// a header (path and query characters in ids, which travel in JSON bodies), it is sent verbatim and changes nothing else.
/// </summary>
public sealed partial class HostileInputTests(ITestOutputHelper output)
{
    private const string Key = "hostile-input-key";
    private static readonly DateRange Day = new(new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 1));

    public static TheoryData<string> SymtrainCases => [.. SymtrainRefusals.Keys];

    public static TheoryData<string> SenarCases => [.. SenarRefusals.Keys];

    /// <summary>Case → (call, the argument the error must name, a word the message must contain).</summary>
    private static Dictionary<string, (Func<SymtrainClient, Task> Call, string Param, string Mentions)> SymtrainRefusals { get; } = new()
    {
        ["CRLF in organizationId"] = (c => c.Access.CreateDeepLinkAsync("org\r\nX-Evil: 1", "u", "s"), "organizationId", "line breaks"),
        ["LF in userId"] = (c => c.Access.GetCompletionDataAsync("org", "u\nX", "s"), "userId", "line breaks"),
        ["NUL in simulationId"] = (c => c.Access.AssignSimulationAsync("org", "u", "s\0"), "simulationId", "control"),
        ["CR in simulationId (unassign)"] = (c => c.Access.UnassignSimulationAsync("org", "u", "s\r"), "simulationId", "line breaks"),
        ["CRLF in taskId"] = (c => c.Users.GetBulkImportStatusAsync("org", "t\r\n1"), "taskId", "line breaks"),
        ["CRLF in taskId (wait)"] = (c => c.Users.WaitForBulkImportAsync("org", "t\r\n1"), "taskId", "line breaks"),
        ["CRLF in userId (token)"] = (c => c.Users.CreateAccessTokenAsync("org", "u\r\n"), "userId", "line breaks"),
        ["CRLF in organizationId (bulk)"] = (c => c.Users.BulkImportAsync("o\r\nrg", [Row()]), "organizationId", "line breaks"),
        ["empty organizationId"] = (c => c.Access.CreateDeepLinkAsync(string.Empty, "u", "s"), "organizationId", "empty"),
        ["blank userId"] = (c => c.Users.CreateAccessTokenAsync("org", "   "), "userId", "empty"),
        ["null simulationId"] = (c => c.Access.CreateDeepLinkAsync("org", "u", null!), "simulationId", "null"),
        ["null organizationId (csv)"] = (c => c.Users.BulkImportCsvAsync(null!, new MemoryStream()), "organizationId", "null"),
        ["report range past the maximum: DateOnly.MinValue..MaxValue"] = (c => c.Reports.GetReportAsync(SymtrainReport.SymsResult, new DateRange(DateOnly.MinValue, DateOnly.MaxValue)), "range", "180 days"),
        ["report range of 181 days"] = (c => c.Reports.GetSymsResultAsync(DateRange.FromDays(new DateOnly(2024, 1, 1), 181)), "range", "181 days"),
        ["unknown report"] = (c => c.Reports.GetReportAsync((SymtrainReport)99, Day), "report", "Not a Symtrain report"),
        ["null row type"] = (c => c.Reports.GetReportAsync<JsonObject>(SymtrainReport.Syms, Day, null!), "rowType", "null"),
        ["library page 0 and page size -5, both named"] = (c => c.Access.GetLibraryPageAsync(new LibraryQuery { OrganizationId = "org", UserId = "u", Page = 0, PageSize = -5 }), "query", "query.PageSize"),
        ["library page -1 (listing)"] = (c => Drain(c.Access.ListLibraryAsync(new LibraryQuery { OrganizationId = "org", UserId = "u", Page = -1 })), "query", "query.Page"),
        ["library page size 0 (listing)"] = (c => Drain(c.Access.ListLibraryAsync(new LibraryQuery { OrganizationId = "org", UserId = "u", PageSize = 0 })), "query", "query.PageSize"),
        ["library tags with null, empty and CRLF"] = (c => c.Access.GetLibraryPageAsync(new LibraryQuery { OrganizationId = "org", UserId = "u", Tags = [null!, string.Empty, "a\r\nb"] }), "query", "query.Tags[2]"),
        ["library search term with CRLF"] = (c => c.Access.GetLibraryPageAsync(new LibraryQuery { OrganizationId = "org", UserId = "u", SearchTerm = "x\r\ny" }), "query", "query.SearchTerm"),
        ["null library query"] = (c => c.Access.GetLibraryPageAsync(null!), "query", "null"),
        ["deep links with null tags"] = (c => c.Access.CreateDeepLinksAsync(new DeepLinkRequest { OrganizationId = "org", UserId = "u", Tags = null! }), "request", "request.Tags"),
        ["deep links with no tags and an empty userId"] = (c => c.Access.CreateDeepLinksAsync(new DeepLinkRequest { OrganizationId = "org", UserId = string.Empty, Tags = [] }), "request", "request.UserId"),
        ["null bulk rows"] = (c => c.Users.BulkImportAsync("org", null!), "rows", "null"),
        ["bulk rows holding null"] = (c => c.Users.BulkImportAsync("org", [null!]), "rows", "null"),
        ["no bulk rows"] = (c => c.Users.BulkImportAsync("org", []), "rows", "no rows"),
        ["email starting with = (formula)"] = (c => c.Users.BulkImportAsync("org", [Row() with { Email = "=cmd@evil.example", Username = null }]), "rows", "formula"),
        ["CRLF in a CSV email"] = (c => c.Users.BulkImportCsvAsync("org", Csv("A,B,\"a\r\n@b.example\",\"a\r\n@b.example\",trainee,,ACTIVE,Add")), "csv", "email"),
        ["create user with empty email and CRLF first name"] = (c => c.Users.CreateUserAsync(new CreateUserRequest { OrganizationId = "org", Email = string.Empty, FirstName = "A\r\nB" }), "request", "request.FirstName"),
        ["null create-user request"] = (c => c.Users.CreateUserAsync(null!), "request", "null"),
    };

    private static Dictionary<string, (Func<SenarClient, Task> Call, string Param, string Mentions)> SenarRefusals { get; } = new()
    {
        ["every assignment field missing, all named"] = (c => c.Users.AssignCollectionAsync(new UserAssignment()), "request", "CollectionId"),
        ["CRLF in the assignment email"] = (c => c.Users.AssignCollectionAsync(Assignment() with { Email = "a\r\n@b.example" }), "request", "Email"),
        ["zero collection id"] = (c => c.Users.AssignCollectionAsync(Assignment() with { CollectionId = 0 }), "request", "CollectionId"),
        ["negative collection id"] = (c => c.Users.AssignCollectionAsync(Assignment() with { CollectionId = -4 }), "request", "CollectionId"),
        ["empty password"] = (c => c.Users.AssignCollectionAsync(Assignment() with { Password = string.Empty }), "request", "Password"),
        ["null assignment"] = (c => c.Users.AssignCollectionAsync(null!), "request", "null"),
        ["plain-http hook"] = (c => c.Webhooks.RegisterAsync(new Uri("http://hooks.example/x"), SenarWebhookEvent.User), "hookUrl", "https"),
        ["relative hook"] = (c => c.Webhooks.RegisterAsync(new Uri("/hooks/x", UriKind.Relative), SenarWebhookEvent.User), "hookUrl", "absolute"),
        ["ftp hook"] = (c => c.Webhooks.RegisterAsync(new Uri("ftp://hooks.example/x"), SenarWebhookEvent.User), "hookUrl", "https"),
        ["null hook"] = (c => c.Webhooks.RegisterAsync(null!, SenarWebhookEvent.User), "hookUrl", "null"),
        ["unknown webhook event"] = (c => c.Webhooks.RegisterAsync(new Uri("https://hooks.example/x"), (SenarWebhookEvent)99), "webhookEvent", "SenarWebhookEvent"),
    };

    [Theory]
    [MemberData(nameof(SymtrainCases))]
    public async Task Symtrain_refuses_before_any_io(string name)
    {
        var (call, param, mentions) = SymtrainRefusals[name];
        var handler = FakeHttpHandler.Json("{}");
        using var client = new SymtrainClient(new SymtrainClientOptions { ApiKey = Key }, handler, FakeTime.Create());

        var thrown = (await FluentActions.Awaiting(() => call(client)).Should().ThrowAsync<ArgumentException>()).Which;

        output.WriteLine($"{name}: {thrown.GetType().Name}: {thrown.Message}");
        thrown.ParamName.Should().Be(param);
        thrown.Message.Should().ContainEquivalentOf(mentions);
        handler.Count.Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(SenarCases))]
    public async Task Senar_refuses_before_any_io(string name)
    {
        var (call, param, mentions) = SenarRefusals[name];
        var handler = FakeHttpHandler.Json("""{"Token":"t"}""");
        using var client = new SenarClient(new SenarClientOptions { Username = "u@senar.example", Password = "Passw0rd" }, handler, FakeTime.Create());

        var thrown = (await FluentActions.Awaiting(() => call(client)).Should().ThrowAsync<ArgumentException>()).Which;

        output.WriteLine($"{name}: {thrown.GetType().Name}: {thrown.Message}");
        thrown.ParamName.Should().Be(param);
        thrown.Message.Should().ContainEquivalentOf(mentions);
        handler.Count.Should().Be(0);
    }

    [Fact]
    public async Task Every_missing_assignment_field_is_named_at_once_without_quoting_the_password()
    {
        var handler = FakeHttpHandler.Json("{}");
        using var client = new SenarClient(new SenarClientOptions { Username = "u@senar.example", Password = "Passw0rd" }, handler, FakeTime.Create());

        var thrown = (await FluentActions.Awaiting(() => client.Users.AssignCollectionAsync(Assignment() with { Email = null, LastName = " ", Password = "weakpw" }))
            .Should().ThrowAsync<UserAssignmentValidationException>()).Which;

        thrown.Message.Should().Contain("Email").And.Contain("LastName").And.Contain("Password").And.NotContain("weakpw");
        handler.Count.Should().Be(0);
    }

    [Theory]
    [InlineData("http://api.symtrain.com")]
    [InlineData("http://10.0.0.1")]
    [InlineData("ftp://api.symtrain.com")]
    [InlineData("file:///etc/passwd")]
    [InlineData("/v2")]
    public void Non_https_base_addresses_are_refused_for_both_clients(string address)
    {
        var uri = new Uri(address, UriKind.RelativeOrAbsolute);
        var symtrain = () => new SymtrainClient(new SymtrainClientOptions { ApiKey = Key, BaseAddress = uri }, FakeHttpHandler.Json("{}"));
        var senar = () => new SenarClient(new SenarClientOptions { Username = "u", Password = "p", BaseAddress = uri }, FakeHttpHandler.Json("{}"));

        symtrain.Should().Throw<ArgumentException>().Which.Message.Should().Contain("SymtrainClientOptions.BaseAddress");
        senar.Should().Throw<ArgumentException>().Which.Message.Should().Contain("SenarClientOptions.BaseAddress");
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080/")]
    [InlineData("http://localhost:5080/")]
    [InlineData("http://[::1]:5080/")]
    public void Plain_http_is_allowed_for_loopback_hosts(string address)
    {
        using var symtrain = new SymtrainClient(new SymtrainClientOptions { ApiKey = Key, BaseAddress = new Uri(address) }, FakeHttpHandler.Json("{}"));
        using var senar = new SenarClient(new SenarClientOptions { Username = "u", Password = "p", BaseAddress = new Uri(address) }, FakeHttpHandler.Json("{}"));

        symtrain.Should().NotBeNull();
        senar.Should().NotBeNull();
    }

    [Theory]
    [InlineData("key\r\nX-Injected: 1")]
    [InlineData("key\nX")]
    [InlineData("key with spaces")]
    [InlineData("key\0")]
    public void Line_breaks_and_blanks_in_the_api_key_header_are_refused_at_construction(string apiKey)
    {
        var create = () => new SymtrainClient(new SymtrainClientOptions { ApiKey = apiKey }, FakeHttpHandler.Json("{}"));

        var thrown = create.Should().Throw<ArgumentException>().Which;
        thrown.ParamName.Should().Be("options");
        thrown.Message.Should().Contain("SymtrainClientOptions.ApiKey").And.NotContain(apiKey);
    }

    [Fact]
    public async Task A_key_rotated_to_a_header_breaking_value_is_refused_before_sending_without_quoting_it()
    {
        var handler = FakeHttpHandler.Json("""{"token":"t"}""");
        var options = new SymtrainClientOptions { ApiKey = Key, Retry = new RetryOptions { MaxRetries = 0 } };
        using var client = new SymtrainClient(options, handler, FakeTime.Create());
        options.ApiKey = "rotated-secret\r\nX-Injected: 1";

        var thrown = (await FluentActions.Awaiting(() => client.Users.CreateAccessTokenAsync("org", "u")).Should().ThrowAsync<Exception>()).Which;

        output.WriteLine($"{thrown.GetType().Name}: {thrown.Message}");
        // The key is no argument by then: like a key removed after start-up, a configuration error naming the setting.
        thrown.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Contain("SymtrainClientOptions.ApiKey");
        thrown.ToString().Should().NotContain("rotated-secret");
        handler.Count.Should().Be(0);
    }

    [Theory]
    [InlineData("../../admin")]
    [InlineData("a?b=c&d=e")]
    [InlineData("frag#ment")]
    [InlineData("a%2Fb")]
    [InlineData("a/b\\c")]
    public async Task Path_and_query_characters_in_ids_travel_verbatim_in_the_body_and_never_change_the_url(string id)
    {
        var handler = FakeHttpHandler.Json("""{"simulations":[{"simulationId":"x","deepLink":"https://x.example/l"}]}""");
        using var client = new SymtrainClient(new SymtrainClientOptions { ApiKey = Key }, handler, FakeTime.Create());

        await client.Access.CreateDeepLinkAsync(id, id, id);

        var request = handler.Requests.Should().ContainSingle().Subject;
        request.Uri!.AbsoluteUri.Should().Be("https://api.symtrain.com/v2/access-api/simulation/deep-links");
        var body = JsonNode.Parse(request.Body)!;
        body["organizationId"]!.GetValue<string>().Should().Be(id);
        body["userId"]!.GetValue<string>().Should().Be(id);
        body["simulationId"]!.GetValue<string>().Should().Be(id);
    }

    [Fact]
    public void A_token_with_query_characters_is_escaped_into_one_deep_link_parameter()
    {
        using var client = new SymtrainClient(new SymtrainClientOptions { ApiKey = Key }, FakeHttpHandler.Json("{}"));
        var token = new UserAccessToken { Token = "a&admin=1#frag?x=%2F y", ExpiresAt = DateTimeOffset.UnixEpoch };

        var link = client.Users.WithAccessToken(new Uri("https://app.symtrain.example/launch?s=1&token=old#top"), token);

        link.Fragment.Should().Be("#top");
        var parameters = link.Query.TrimStart('?').Split('&');
        parameters.Should().HaveCount(2);
        parameters[0].Should().Be("s=1");
        Uri.UnescapeDataString(parameters[1]).Should().Be("token=" + token.Token);
    }

    [Fact]
    public void Extreme_date_ranges_are_refused_or_split_without_overflow()
    {
        var reversed = () => new DateRange(DateOnly.MaxValue, DateOnly.MinValue);
        var pastTheEnd = () => DateRange.FromDays(DateOnly.MaxValue, 2);
        var everything = new DateRange(DateOnly.MinValue, DateOnly.MaxValue);

        var windows = everything.Split(180).ToList();

        reversed.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("start");
        pastTheEnd.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("days");
        windows[0].Start.Should().Be(DateOnly.MinValue);
        windows[^1].End.Should().Be(DateOnly.MaxValue);
        windows.Sum(w => (long)w.Days).Should().Be(everything.Days);
        new DateRange(DateOnly.MaxValue, DateOnly.MaxValue).EndText.Should().Be("9999-12-31");
    }

    [Fact]
    public async Task Formula_cells_are_neutralised_in_the_uploaded_csv()
    {
        var handler = FakeHttpHandler.Json("""{"taskId":"t1","validUsersCount":5,"invalidUsersCount":0}""");
        using var client = new SymtrainClient(new SymtrainClientOptions { ApiKey = Key }, handler, FakeTime.Create());
        string[] formulas = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+SUM(1,2)", "-2+3", "@cmd|' /C calc'!A0", "\t=1+1", "\r=1"];

        await client.Users.BulkImportAsync("org", formulas.Select((f, i) => Row() with
        {
            Email = $"user{i}@example.com",
            FirstName = f,
            LastName = f,
            TeamName = f,
        }));
        await client.Users.BulkImportCsvAsync("org", Csv("\"=1+2\",\"+cmd\",a@b.example,a@b.example,trainee,\"@SUM(A1)\",ACTIVE,Add"));

        handler.Requests.Should().HaveCount(2);
        foreach (var request in handler.Requests)
        {
            var cells = CsvCells(request.Body);
            output.WriteLine(string.Join(" | ", cells));
            cells.Should().NotBeEmpty();
            cells.Should().OnlyContain(cell => cell.Length == 0 || !"=+-@\t\r".Contains(cell[0]), "every formula cell gets a leading '");
            cells.Should().Contain(cell => cell.StartsWith("'=", StringComparison.Ordinal));
        }
    }

    /// <summary>The data cells of the CSV file part of a multipart body (header line excluded, quotes removed).</summary>
    private static List<string> CsvCells(string multipart)
    {
        var start = multipart.IndexOf("firstName,lastName", StringComparison.Ordinal);
        var end = multipart.IndexOf("\r\n--", start, StringComparison.Ordinal);
        var file = multipart[start..end];
        var cells = new List<string>();
        foreach (Match match in CsvCell().Matches(file[(file.IndexOf("\r\n", StringComparison.Ordinal) + 2)..]))
        {
            var value = match.Groups["q"].Success ? match.Groups["q"].Value.Replace("\"\"", "\"", StringComparison.Ordinal) : match.Groups["p"].Value;
            cells.Add(value);
        }

        return cells;
    }

    [GeneratedRegex("(?:^|,|\\r\\n)(?:\"(?<q>(?:[^\"]|\"\")*)\"|(?<p>[^,\\r\\n]*))")]
    private static partial Regex CsvCell();

    private static BulkImportRow Row() => new() { FirstName = "A", LastName = "B", Email = "a@b.example" };

    private static UserAssignment Assignment() => new()
    {
        Email = "a@b.example", FirstName = "A", LastName = "B", Password = "Passw0rd", Organization = "Org", CollectionId = 41,
    };

    private static MemoryStream Csv(string line) =>
        new(Encoding.UTF8.GetBytes("firstName,lastName,username,email,role,teamName,status,action\r\n" + line + "\r\n"));

    private static async Task Drain<T>(IAsyncEnumerable<T> items)
    {
        await foreach (var _ in items)
        {
        }
    }
}
