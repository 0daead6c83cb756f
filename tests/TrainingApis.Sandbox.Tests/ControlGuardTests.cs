using System.Text;

namespace TrainingApis.Sandbox.Tests;

/// <summary>
/// The control endpoints answer only loopback hosts, and a POST only as JSON: a web page in the developer's browser (a
/// text/plain POST needs no permission; a rebound DNS name arrives as its Host) cannot drive them.
/// </summary>
public sealed class ControlGuardTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    public static TheoryData<string, string> Endpoints => new()
    {
        { "GET", "_sandbox" },
        { "POST", "_sandbox/senar/activities" },
        { "POST", "_sandbox/senar/users" },
        { "GET", "_sandbox/senar/webhooks" },
        { "GET", "_sandbox/senar/deliveries" },
        { "GET", "_sandbox/symtrain/assignments" },
        { "GET", "_sandbox/faults" },
        { "POST", "_sandbox/faults" },
        { "DELETE", "_sandbox/faults" },
        { "GET", "_sandbox/launch/sim-1001" },
    };

    public static TheoryData<string> PostEndpoints => new() { "_sandbox/senar/activities", "_sandbox/senar/users", "_sandbox/faults" };

    private const string FaultBody = """{"path":"/v2/","statusCode":503,"count":1000}""";

    private Task<ApiResult> SendAsync(string method, string path, string? host = null, string? origin = null, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = content ?? (method == "POST" ? Json(path) : null) };
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return SendAsync(request);
    }

    private async Task<ApiResult> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await fixture.Client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var json = string.IsNullOrWhiteSpace(text) ? default : JsonDocument.Parse(text).RootElement.Clone();
            return new ApiResult(response.StatusCode, json, response.Headers, response.Content.Headers.ContentType?.MediaType, text);
        }
    }

    private static StringContent Json(string path) => new(
        path.EndsWith("faults", StringComparison.Ordinal) ? FaultBody : path.EndsWith("users", StringComparison.Ordinal) ? """{"email":"guard@example.com"}""" : "{}",
        Encoding.UTF8,
        "application/json");

    private async Task ShouldBeUntouchedAsync()
    {
        (await ApiCall.GetAsync(fixture.Client, "_sandbox/faults")).Json.GetArrayLength().Should().Be(0);
        var report = await fixture.SymtrainAsync("v2/report/syms", """{"startDate":"2024-03-01","endDate":"2024-03-02"}""");
        report.Status.Should().Be(HttpStatusCode.OK, "no fault was added");
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Every_control_endpoint_refuses_a_host_that_is_not_loopback(string method, string path)
    {
        foreach (var host in new[] { "evil.example", "evil.example:5080", "localhost.evil.example", "127.0.0.1.nip.io", "127.0.0.1.evil.example", "10.0.0.1", "[::2]" })
        {
            var result = await SendAsync(method, path, host);

            result.Status.Should().Be(HttpStatusCode.Forbidden, $"{method} /{path} with Host {host}");
            result.Message.Should().Contain("loopback");
        }

        await ShouldBeUntouchedAsync();
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Every_control_endpoint_refuses_a_page_from_another_origin(string method, string path)
    {
        foreach (var origin in new[] { "https://evil.example", "null", "http://192.168.1.10:8080" })
        {
            var result = await SendAsync(method, path, origin: origin);

            result.Status.Should().Be(HttpStatusCode.Forbidden, $"{method} /{path} from {origin}");
        }

        await ShouldBeUntouchedAsync();
    }

    [Theory]
    [MemberData(nameof(PostEndpoints))]
    public async Task Every_control_post_refuses_a_body_that_is_not_json(string path)
    {
        var plain = await SendAsync("POST", path, content: new StringContent(FaultBody, Encoding.UTF8, "text/plain"));
        var form = await SendAsync("POST", path, content: new StringContent("path=/v2/", Encoding.UTF8, "application/x-www-form-urlencoded"));
        var none = await SendAsync("POST", path, content: new ByteArrayContent([]));

        foreach (var result in new[] { plain, form, none })
        {
            result.Status.Should().Be(HttpStatusCode.UnsupportedMediaType);
            result.Message.Should().Contain("application/json");
        }

        await ShouldBeUntouchedAsync();
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("LocalHost:5080")]
    [InlineData("127.0.0.1:1")]
    [InlineData("127.8.9.10")]
    [InlineData("[::1]:5080")]
    [InlineData("[::1]")]
    public async Task Loopback_hosts_with_or_without_a_port_are_answered(string host)
    {
        var info = await SendAsync("GET", "_sandbox", host, origin: "http://" + host);
        var faults = await SendAsync("GET", "_sandbox/faults", host);

        info.Status.Should().Be(HttpStatusCode.OK, info.Text);
        faults.Status.Should().Be(HttpStatusCode.OK, faults.Text);
    }

    [Fact]
    public void Only_localhost_and_loopback_address_literals_count_as_loopback()
    {
        Control.ControlEndpoints.IsLoopbackHost("127.0.0.1").Should().BeTrue();
        Control.ControlEndpoints.IsLoopbackHost("[::ffff:127.0.0.1]").Should().BeTrue();
        Control.ControlEndpoints.IsLoopbackHost("0x7f.0.0.1").Should().BeTrue("it is 127.0.0.1 in another notation");
        Control.ControlEndpoints.IsLoopbackHost("127.1").Should().BeTrue();
        Control.ControlEndpoints.IsLoopbackHost("localhost.").Should().BeFalse();
        Control.ControlEndpoints.IsLoopbackHost("sub.localhost").Should().BeFalse();
        Control.ControlEndpoints.IsLoopbackHost("::2").Should().BeFalse();
        Control.ControlEndpoints.IsLoopbackHost("").Should().BeFalse();
        Control.ControlEndpoints.IsLoopbackHost(null).Should().BeFalse();
    }

    public static TheoryData<string, string, string> ApiEndpoints => new()
    {
        { "POST", "api/auth/login", "{}" },
        { "GET", "integration/data/users", "" },
        { "GET", "integration/data/activities", "" },
        { "POST", "integration/data/webhook_register", """{"url":"http://127.0.0.1:9/hook","event":"user"}""" },
        { "POST", "v2/report/users", """{"from":"2024-01-01","to":"2024-01-31"}""" },
        { "POST", "v2/access-api/user/token", """{"organizationId":"sandbox-org","userId":"ana@example.com"}""" },
        { "GET", "nowhere", "" },
    };

    [Theory]
    [MemberData(nameof(ApiEndpoints))]
    public async Task Every_endpoint_refuses_a_host_that_is_not_loopback_before_reading_credentials_or_the_body(string method, string path, string body)
    {
        // A page reached through a rebound DNS name would otherwise log in with the published sandbox credentials and
        // register hooks to addresses of the developer's network.
        var webhooksBefore = await SendAsync("GET", "_sandbox/senar/webhooks");
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = body.Length == 0 ? null : new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Host = "attacker.example";
        request.Headers.TryAddWithoutValidation("x-api-key", fixture.Sandbox.SymtrainApiKey);

        var result = await SendAsync(request);

        result.Status.Should().Be(HttpStatusCode.Forbidden, result.Text);
        result.Text.Should().Contain("loopback host");
        (await SendAsync("GET", "_sandbox/senar/webhooks")).Text.Should().Be(webhooksBefore.Text);
    }

    [Fact]
    public async Task The_api_endpoints_answer_a_loopback_host()
    {
        var login = await SendAsync(
            "POST",
            "api/auth/login",
            host: "localhost:5080",
            content: new StringContent($$"""{"username":"{{fixture.Sandbox.SenarUsername}}","password":"{{fixture.Sandbox.SenarPassword}}"}""", Encoding.UTF8, "application/json"));

        login.Status.Should().Be(HttpStatusCode.OK);
    }
}
