using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using TrainingApis.Testing;

namespace TrainingApis.Sandbox.Tests;

/// <summary>
/// Issue 14, a stranger's probes of the sandbox beyond its own tests: every report with malformed dates and the edges of
/// a range, request bodies in forms a client may really send (a byte order mark, not an object, too deep, too large),
/// and the control endpoints under content types, hosts, origins and request forms a web page or a rebound DNS name
/// could use — each checked to change nothing.
/// </summary>
public sealed class Stranger14SandboxTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private static readonly string[] Reports = ["syms-result", "user-results", "training-plan-result", "modules-results", "syms", "users", "teams-result"];

    private const string FaultBody = """{"path":"/v2/","statusCode":503,"count":1000}""";

    public static TheoryData<string> MalformedDates => new()
    {
        "\"2024-02-30\"", "\"2023-02-29\"", "\"2024-13-01\"", "\"2024-2-1\"", "\"20240201\"", "\"2024-02-01T00:00:00\"", "\"2024-02-01Z\"",
        "\" 2024-02-01\"", "\"+2024-02-01\"", "\"-0001-01-01\"", "\"0000-01-01\"", "\"10000-01-01\"", "\"٢٠٢٤-٠٢-٠١\"", "\"２０２４-０２-０１\"",
        "\"\"", "20240201", "true", "[]", "{}", "\"01/02/2024\"", "\"2024-02-01\\u0000\"",
    };

    [Theory]
    [MemberData(nameof(MalformedDates))]
    public async Task A_malformed_date_is_a_400_naming_the_field_in_every_report(string date)
    {
        foreach (var report in Reports)
        {
            var asStart = await fixture.SymtrainAsync($"v2/report/{report}", $$"""{"startDate":{{date}},"endDate":"2024-02-10"}""");
            var asEnd = await fixture.SymtrainAsync($"v2/report/{report}", $$"""{"startDate":"2024-02-01","endDate":{{date}}}""");

            asStart.Status.Should().Be(HttpStatusCode.BadRequest, $"{report} startDate {date}: {asStart.Text}");
            asStart.ErrorFields.Should().Contain("startDate");
            asEnd.Status.Should().Be(HttpStatusCode.BadRequest, $"{report} endDate {date}: {asEnd.Text}");
            asEnd.ErrorFields.Should().Contain("endDate");
        }
    }

    [Theory]
    [InlineData("2024-01-01", "2024-06-28", HttpStatusCode.OK)] // 180 days, both ends included
    [InlineData("2024-01-01", "2024-06-29", HttpStatusCode.BadRequest)] // 181
    [InlineData("2024-03-02", "2024-03-01", HttpStatusCode.BadRequest)] // from > to
    [InlineData("2999-07-05", "2999-12-31", HttpStatusCode.OK)] // the last 180 days accepted
    [InlineData("2999-07-04", "2999-12-31", HttpStatusCode.BadRequest)] // 181 ending on the last day
    [InlineData("9999-12-31", "0001-01-01", HttpStatusCode.BadRequest)] // both placeholders, reversed
    public async Task Range_edges_answer_200_or_a_400_in_every_report_never_a_500(string start, string end, HttpStatusCode expected)
    {
        foreach (var report in Reports)
        {
            var result = await fixture.SymtrainAsync($"v2/report/{report}", $$"""{"startDate":"{{start}}","endDate":"{{end}}","pageSize":1}""");

            result.Status.Should().Be(expected, $"{report} {start}/{end}: {result.Text}");
            if (expected == HttpStatusCode.BadRequest)
            {
                result.ErrorFields.Should().NotBeEmpty();
                result.Message.Should().NotBeNullOrWhiteSpace();
            }
        }
    }

    [Theory]
    [InlineData("2024-03-30", "2024-04-01")] // Europe's spring change (31 March)
    [InlineData("2024-10-26", "2024-10-28")] // Europe's autumn change (27 October)
    [InlineData("2024-03-09", "2024-03-11")] // the US spring change (10 March)
    [InlineData("2024-11-02", "2024-11-04")] // the US autumn change (3 November)
    public async Task A_range_crossing_a_daylight_saving_change_has_each_day_once(string start, string end)
    {
        foreach (var report in new[] { "syms-result", "teams-result", "user-results" })
        {
            var whole = await fixture.SymtrainAsync($"v2/report/{report}", $$"""{"startDate":"{{start}}","endDate":"{{end}}","pageSize":5000}""");
            var days = new List<int>();
            foreach (var day in new[] { start, DateOnly.Parse(start).AddDays(1).ToString("yyyy-MM-dd"), end })
            {
                var one = await fixture.SymtrainAsync($"v2/report/{report}", $$"""{"startDate":"{{day}}","endDate":"{{day}}","pageSize":5000}""");
                one.Status.Should().Be(HttpStatusCode.OK, one.Text);
                days.Add(one.Json.GetProperty("total").GetInt32());
            }

            whole.Status.Should().Be(HttpStatusCode.OK, whole.Text);
            whole.Json.GetProperty("total").GetInt32().Should().Be(days.Sum(), $"{report}: the three days' rows, none twice or lost");
            whole.Json.GetProperty("results").GetArrayLength().Should().Be(days.Sum());
        }
    }

    [Fact]
    public async Task A_body_with_a_utf8_byte_order_mark_is_read_as_json()
    {
        // What Windows PowerShell 5.1 and some .NET writers send: the sandbox reads past it, as the clients do in answers.
        byte[] body = [0xEF, 0xBB, 0xBF, .. """{"startDate":"2024-03-01","endDate":"2024-03-02"}"""u8];

        var result = await SendAsync(HttpMethod.Post, "v2/report/syms", body, "application/json", bearer: fixture.Key);

        result.Status.Should().Be(HttpStatusCode.OK, result.Text);
    }

    [Fact]
    public async Task Senar_and_control_bodies_with_a_utf8_byte_order_mark_are_read_as_json()
    {
        byte[] Bom(string json) => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(json)];
        var login = await SendAsync(
            HttpMethod.Post, "api/auth/login", Bom($$"""{"username":"{{fixture.Sandbox.SenarUsername}}","password":"{{fixture.Sandbox.SenarPassword}}"}"""), "application/json");
        var token = login.Json.GetProperty("Token").GetString()!;
        var hook = await SendAsync(
            HttpMethod.Post, "integration/data/webhook_register", Bom("""{"hookUrl":"http://127.0.0.1:9/stranger14","method":"user"}"""), "application/json", bearer: token);

        login.Status.Should().Be(HttpStatusCode.OK, login.Text);
        hook.Status.Should().Be(HttpStatusCode.OK, hook.Text);
    }

    [Fact]
    public async Task The_longest_allowed_range_at_the_end_of_the_calendar_and_the_last_page_answer_without_overflow()
    {
        await using var sandbox = await TrainingSandbox.StartAsync(new TrainingSandboxOptions
        {
            TimeProvider = FakeTime.Create(new DateTimeOffset(2999, 12, 31, 23, 59, 59, TimeSpan.Zero)),
            MaxReportRangeDays = 36_500,
            SymtrainQuotaEnabled = false,
        });
        using var client = ApiCall.ClientFor(sandbox);

        foreach (var report in Reports)
        {
            var result = await ApiCall.PostAsync(client, $"v2/report/{report}", """{"startDate":"2900-01-25","endDate":"2999-12-31","page":2147483647,"pageSize":5000}""", sandbox.SymtrainApiKey);

            result.Status.Should().Be(HttpStatusCode.OK, $"{report}: {result.Text}");
            result.Json.GetProperty("results").GetArrayLength().Should().Be(0);
        }
    }

    [Fact]
    public async Task A_hook_token_in_the_path_is_not_logged_by_the_sandbox()
    {
        // samples/SenarWebhookReceiver keeps its secret as the hook's last path segment, not in the query.
        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));
        await using var receiver = await HookReceiver.StartAsync();
        await using var sandbox = await TrainingSandbox.StartAsync(new TrainingSandboxOptions { LoggerFactory = loggerFactory });
        using var client = ApiCall.ClientFor(sandbox);
        var secret = "tok" + Guid.NewGuid().ToString("N");
        var token = await ApiCall.SenarLoginAsync(client, sandbox);
        var registered = await ApiCall.PostAsync(client, "integration/data/webhook_register", $$"""{"hookUrl":"{{receiver.Url(secret)}}","method":"activity"}""", token);
        registered.Status.Should().Be(HttpStatusCode.OK, registered.Text);
        var broken = await ApiCall.PostAsync(client, "integration/data/webhook_register", $$"""{"hookUrl":"http://127.0.0.1:9/{{secret}}","method":"activity"}""", token);
        broken.Status.Should().Be(HttpStatusCode.OK, broken.Text);

        var added = await ApiCall.PostAsync(client, "_sandbox/senar/activities", "{}");

        added.Status.Should().Be(HttpStatusCode.Created, added.Text);
        (await receiver.NextAsync()).Name.Should().Be(secret);
        var records = logs.GetSnapshot();
        records.Should().Contain(r => r.Message.Contains("delivered to")).And.Contain(r => r.Message.Contains("failed"));
        records.Should().NotContain(r => r.Message.Contains(secret) || (r.Exception != null && r.Exception.ToString().Contains(secret)));
    }

    [Fact]
    public async Task A_deep_link_token_and_the_api_key_are_not_logged_by_the_sandbox()
    {
        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));
        await using var sandbox = await TrainingSandbox.StartAsync(new TrainingSandboxOptions { LoggerFactory = loggerFactory, SymtrainApiKey = "stranger14-key-" + Guid.NewGuid().ToString("N") });
        using var client = ApiCall.ClientFor(sandbox);
        var issued = await ApiCall.PostAsync(client, "v2/access-api/user/token", $$"""{"organizationId":"{{sandbox.OrganizationId}}","userId":"{{sandbox.TraineeUsername}}"}""", sandbox.SymtrainApiKey);
        var token = issued.Json.GetProperty("token").GetString()!;

        var launch = await ApiCall.GetAsync(client, $"_sandbox/launch/{sandbox.SimulationId}?organizationId={sandbox.OrganizationId}&userId={Uri.EscapeDataString(sandbox.TraineeUsername)}&token={Uri.EscapeDataString(token)}");
        var wrongKey = await ApiCall.PostAsync(client, "v2/report/syms", """{"startDate":"2024-03-01","endDate":"2024-03-02"}""", sandbox.SymtrainApiKey + "x");

        launch.Status.Should().Be(HttpStatusCode.OK, launch.Text);
        launch.Json.GetProperty("tokenValid").GetBoolean().Should().BeTrue();
        wrongKey.Status.Should().Be(HttpStatusCode.Unauthorized);
        wrongKey.Text.Should().NotContain(sandbox.SymtrainApiKey);
        foreach (var record in logs.GetSnapshot())
        {
            record.Message.Should().NotContain(token[..Math.Min(12, token.Length)]).And.NotContain("stranger14-key-");
        }
    }

    [Theory]
    [InlineData("post", "POST", true)]
    [InlineData("Get", "GET", true)]
    [InlineData("GET", "POST", false)]
    public async Task A_faults_method_matches_ignoring_case(string faultMethod, string requestMethod, bool faulted)
    {
        var added = await SendAsync(
            HttpMethod.Post, "_sandbox/faults", Encoding.UTF8.GetBytes($$"""{"path":"/integration/data/users","statusCode":502,"method":"{{faultMethod}}"}"""), "application/json");
        added.Status.Should().Be(HttpStatusCode.Created, added.Text);

        var result = await SendAsync(new HttpMethod(requestMethod), "integration/data/users", requestMethod == "POST" ? "{}"u8.ToArray() : null, "application/json");
        (await SendAsync(HttpMethod.Delete, "_sandbox/faults", null, null)).Status.Should().Be(HttpStatusCode.NoContent);

        (result.Status == HttpStatusCode.BadGateway).Should().Be(faulted, $"{faultMethod} fault, {requestMethod} request: {result.Status}");
    }

    [Theory]
    [InlineData("multipart/form-data; boundary=abc", "--abc\r\nContent-Disposition: form-data; name=\"organizationId\"\r\n\r\nsandbox-org")]
    [InlineData("multipart/form-data; boundary=abc", "--xyz\r\n\r\n--xyz--\r\n")]
    [InlineData("multipart/form-data", "--abc\r\n\r\n--abc--\r\n")]
    [InlineData("multipart/form-data; boundary=abc", "--abc\r\nContent-Disposition: form-data; name=\"file\"; filename=\"u.csv\"\r\n\r\nfirstName\r\n--abc")]
    public async Task A_malformed_multipart_bulk_import_is_a_400_not_a_500(string contentType, string body)
    {
        var result = await SendAsync(HttpMethod.Post, "v2/access-api/user/bulk-import", Encoding.UTF8.GetBytes(body), contentType, bearer: fixture.Key);

        result.Status.Should().Be(HttpStatusCode.BadRequest, result.Text);
        result.Message.Should().NotBeNullOrWhiteSpace();
    }

    public static TheoryData<string> BodiesThatAreNotARequest => new() { "null", "[]", "\"x\"", "1", "{\"startDate\":", "{}{}", "{\"a\":1,}" };

    [Theory]
    [MemberData(nameof(BodiesThatAreNotARequest))]
    public async Task A_body_that_is_not_a_json_object_is_a_400_on_every_kind_of_endpoint(string body)
    {
        var report = await fixture.SymtrainAsync("v2/report/syms", body);
        var access = await fixture.SymtrainAsync("v2/access-api/user/token", body);
        var login = await ApiCall.PostAsync(fixture.Client, "api/auth/login", body);

        foreach (var result in new[] { report, access, login })
        {
            result.Status.Should().Be(HttpStatusCode.BadRequest, $"{body}: {result.Text}");
            result.Message.Should().NotBeNullOrWhiteSpace();
        }
    }

    [Fact]
    public async Task A_body_nested_deeper_than_json_allows_is_a_400()
    {
        var deep = """{"startDate":"2024-03-01","endDate":"2024-03-02","x":""" + new string('[', 10_000) + new string(']', 10_000) + "}";

        var result = await fixture.SymtrainAsync("v2/report/syms", deep);

        result.Status.Should().Be(HttpStatusCode.BadRequest, result.Text);
        result.Message.Should().Contain("not valid JSON");
    }

    [Fact]
    public async Task A_body_over_one_megabyte_is_refused_on_the_api_and_the_control_endpoints()
    {
        var padding = new string(' ', 1024 * 1024);
        var report = await fixture.SymtrainAsync("v2/report/syms", """{"startDate":"2024-03-01","endDate":"2024-03-02"}""" + padding);
        var fault = await SendAsync(HttpMethod.Post, "_sandbox/faults", Encoding.UTF8.GetBytes(FaultBody + padding), "application/json");

        ((int)report.Status).Should().BeInRange(400, 499, report.Text);
        ((int)fault.Status).Should().BeInRange(400, 499, fault.Text);
        await ShouldBeUntouchedAsync();
    }

    [Theory]
    [InlineData("v2/report/syms")]
    [InlineData("api/auth/login")]
    [InlineData("_sandbox/faults")]
    public async Task A_chunked_body_over_kestrels_30_MB_default_is_a_4xx_not_a_500(string path)
    {
        // Without a Content-Length, Kestrel stops at 30 MB with its own exception; the sandbox's catch-all made that a 500,
        // which a client retries. 31 chunks of 1 MiB of spaces, or until the sandbox answers and closes.
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, fixture.Sandbox.BaseAddress.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /{path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {fixture.Key}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"));
        var chunk = new byte[1024 * 1024];
        chunk.AsSpan().Fill((byte)' ');
        try
        {
            for (var i = 0; i < 31; i++)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{chunk.Length:X}\r\n"));
                await stream.WriteAsync(chunk);
                await stream.WriteAsync("\r\n"u8.ToArray());
            }

            await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
        }
        catch (IOException)
        {
            // The sandbox answered before the whole body was sent.
        }

        using var reader = new StreamReader(stream, Encoding.ASCII);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var status = await reader.ReadLineAsync(timeout.Token) ?? string.Empty;

        status.Should().MatchRegex(" 4[0-9][0-9] ");
        await ShouldBeUntouchedAsync();
    }

    [Fact]
    public async Task A_malformed_chunked_body_is_a_400_not_a_500()
    {
        var status = await SendRawAsync(
            $"POST /v2/report/syms HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {fixture.Key}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\n{{\"a\"\r\nzz\r\n");

        status.Should().Contain(" 400 ");
    }

    public static TheoryData<string?> ContentTypesThatAreNotJson => new()
    {
        "multipart/form-data; boundary=x",
        "application/json; charset=utf-7",
        "application/json; charset=iso-8859-1",
        "application/json; charset=utf-16",
        "application/jsonx",
        "application/json-patch+json",
        "text/json",
        "text/plain; charset=utf-8",
        "application/x-www-form-urlencoded",
        null,
    };

    [Theory]
    [MemberData(nameof(ContentTypesThatAreNotJson))]
    public async Task A_control_post_with_a_body_that_is_not_utf8_json_is_a_415_and_changes_nothing(string? contentType)
    {
        foreach (var path in new[] { "_sandbox/faults", "_sandbox/senar/activities", "_sandbox/senar/users" })
        {
            var body = path.EndsWith("faults", StringComparison.Ordinal) ? FaultBody : """{"email":"stranger14@example.com"}""";

            var result = await SendAsync(HttpMethod.Post, path, Encoding.UTF8.GetBytes(body), contentType);

            result.Status.Should().Be(HttpStatusCode.UnsupportedMediaType, $"POST /{path} as {contentType ?? "(none)"}: {result.Text}");
            result.Message.Should().Contain("application/json");
        }

        await ShouldBeUntouchedAsync();
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON; Charset=\"UTF-8\"")]
    [InlineData("application/json")]
    public async Task A_control_post_as_utf8_json_is_answered(string contentType)
    {
        var result = await SendAsync(HttpMethod.Post, "_sandbox/faults", """{"path":"/v2/stranger14-none","statusCode":503}"""u8.ToArray(), contentType);

        result.Status.Should().Be(HttpStatusCode.Created, result.Text);
        (await SendAsync(HttpMethod.Delete, "_sandbox/faults", null, null)).Status.Should().Be(HttpStatusCode.NoContent);
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("127.0.0.1.evil.example")]
    [InlineData("localhost.evil")]
    [InlineData("attacker.example:5080")]
    [InlineData("0.0.0.0")]
    [InlineData("[::]")]
    [InlineData("0")]
    [InlineData("localhost.")]
    public async Task A_control_post_to_a_host_that_is_not_loopback_is_a_403_and_changes_nothing(string host)
    {
        foreach (var path in new[] { "_sandbox/faults", "_sandbox/senar/activities", "_sandbox/senar/users" })
        {
            var result = await SendAsync(HttpMethod.Post, path, Encoding.UTF8.GetBytes(FaultBody), "application/json", host: host);

            // 400 is Kestrel's own answer to a Host it cannot read ("[::]" without a port it listens on).
            result.Status.Should().BeOneOf([HttpStatusCode.Forbidden, HttpStatusCode.BadRequest], $"POST /{path} Host {host}: {result.Text}");
        }

        (await SendAsync(HttpMethod.Delete, "_sandbox/faults", null, null, host: host)).Status.Should().BeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.BadRequest);
        await ShouldBeUntouchedAsync();
    }

    [Theory]
    [InlineData("http://localhost.evil")]
    [InlineData("http://127.0.0.1.evil.example")]
    [InlineData("https://evil.example, http://127.0.0.1")]
    [InlineData("file://")]
    [InlineData("")]
    public async Task A_control_post_from_a_page_of_another_origin_is_a_403_and_changes_nothing(string origin)
    {
        var result = await SendAsync(HttpMethod.Post, "_sandbox/faults", Encoding.UTF8.GetBytes(FaultBody), "application/json", origin: origin);

        result.Status.Should().Be(HttpStatusCode.Forbidden, $"Origin '{origin}': {result.Text}");
        await ShouldBeUntouchedAsync();
    }

    [Fact]
    public async Task A_loopback_page_origin_on_another_port_is_answered()
    {
        var result = await SendAsync(HttpMethod.Get, "_sandbox/faults", null, null, origin: "http://[::1]:3000");

        result.Status.Should().Be(HttpStatusCode.OK, result.Text);
    }

    [Fact]
    public async Task An_absolute_form_request_to_another_host_does_not_reach_the_control_endpoints()
    {
        // A proxy-style request line names evil.example while the Host header says loopback.
        var status = await SendRawAsync(
            $"POST http://evil.example/_sandbox/faults HTTP/1.1\r\nHost: 127.0.0.1:{fixture.Sandbox.BaseAddress.Port}\r\nContent-Type: application/json\r\nContent-Length: {FaultBody.Length}\r\nConnection: close\r\n\r\n{FaultBody}");

        status.Should().NotContain(" 201 ");
        await ShouldBeUntouchedAsync();
    }

    [Fact]
    public async Task An_http_1_0_request_without_a_host_does_not_reach_the_control_endpoints()
    {
        var status = await SendRawAsync($"POST /_sandbox/faults HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: {FaultBody.Length}\r\n\r\n{FaultBody}");

        status.Should().Contain(" 403 ");
        await ShouldBeUntouchedAsync();
    }

    [Theory]
    [InlineData("_sandbox/faults")]
    [InlineData("_sandbox/senar/activities")]
    [InlineData("_sandbox/senar/users")]
    public async Task A_get_or_head_of_a_control_post_changes_nothing(string path)
    {
        var before = await ActivityCountAsync();

        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Head })
        {
            using var request = new HttpRequestMessage(method, path + "?path=/v2/&statusCode=503&count=1000");
            request.Headers.Add("X-HTTP-Method-Override", "POST");
            using var response = await fixture.Client.SendAsync(request);
            response.StatusCode.Should().NotBe(HttpStatusCode.Created, $"{method} /{path}");
        }

        await ShouldBeUntouchedAsync();
        (await ActivityCountAsync()).Should().Be(before);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("""{"path":"/v2/","statusCode":503,"count":1000""")]
    [InlineData("""[{"path":"/v2/","statusCode":503}]""")]
    [InlineData("""{"path":"/v2/","statusCode":"503x"}""")]
    [InlineData("""{"path":"/v2/","statusCode":200}""")]
    [InlineData("""{"path":"/v2/","statusCode":503,"count":0}""")]
    [InlineData("""{"path":"v2/","statusCode":503}""")]
    [InlineData("""{"path":"/v2/","statusCode":503,"retryAfterSeconds":-1}""")]
    [InlineData("""{"path":"/v2/","statusCode":503,"abort":"yes"}""")]
    public async Task A_malformed_or_invalid_fault_is_a_400_and_adds_nothing(string body)
    {
        var result = await SendAsync(HttpMethod.Post, "_sandbox/faults", Encoding.UTF8.GetBytes(body), "application/json");

        result.Status.Should().Be(HttpStatusCode.BadRequest, result.Text);
        result.Message.Should().NotBeNullOrWhiteSpace();
        await ShouldBeUntouchedAsync();
    }

    [Fact]
    public async Task A_fault_body_with_a_byte_order_mark_is_read()
    {
        byte[] body = [0xEF, 0xBB, 0xBF, .. """{"path":"/v2/stranger14-bom","statusCode":503}"""u8];

        var result = await SendAsync(HttpMethod.Post, "_sandbox/faults", body, "application/json");

        result.Status.Should().Be(HttpStatusCode.Created, result.Text);
        (await SendAsync(HttpMethod.Delete, "_sandbox/faults", null, null)).Status.Should().Be(HttpStatusCode.NoContent);
    }

    private async Task<int> ActivityCountAsync()
    {
        var token = await ApiCall.SenarLoginAsync(fixture.Client, fixture.Sandbox);
        var activities = await ApiCall.GetAsync(fixture.Client, "integration/data/activities", token);
        return activities.Json.GetArrayLength();
    }

    private async Task ShouldBeUntouchedAsync()
    {
        var faults = (await ApiCall.GetAsync(fixture.Client, "_sandbox/faults")).Json.GetArrayLength();
        if (faults > 0)
        {
            // Clear them first, so that one failed probe does not fail every later one of the class.
            (await SendAsync(HttpMethod.Delete, "_sandbox/faults", null, null)).Status.Should().Be(HttpStatusCode.NoContent);
        }

        faults.Should().Be(0, "no fault was added");
        var users = await ApiCall.GetAsync(fixture.Client, "integration/data/users", await ApiCall.SenarLoginAsync(fixture.Client, fixture.Sandbox));
        users.Text.Should().NotContain("stranger14@example.com", "no user was added");
    }

    private async Task<ApiResult> SendAsync(HttpMethod method, string path, byte[]? body, string? contentType, string? bearer = null, string? host = null, string? origin = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            if (contentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType).Should().BeTrue();
            }
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (host is not null)
        {
            request.Headers.Host = host;
        }

        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }

        using var response = await fixture.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonElement json = default;
        if (!string.IsNullOrWhiteSpace(text))
        {
            try
            {
                json = JsonDocument.Parse(text).RootElement.Clone();
            }
            catch (JsonException)
            {
                // Kestrel's own refusals have no JSON body; the status says enough.
            }
        }

        return new ApiResult(response.StatusCode, json, response.Headers, response.Content.Headers.ContentType?.MediaType, text);
    }

    private async Task<string> SendRawAsync(string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, fixture.Sandbox.BaseAddress.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await reader.ReadLineAsync(timeout.Token) ?? string.Empty;
    }
}
