using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SenarWebhookReceiver;
using Symtrain.Client;
using Symtrain.Client.Users;
using TrainingApis.Testing;

namespace TrainingApis.Sandbox.Tests;

/// <summary>
/// Issue 14, a second stranger after the morning's fixes: the loopback <c>Host</c> gate now on every endpoint, spelled
/// as clients and curl really spell loopback; the 1 MiB JSON read beside a legal bulk import of 750 rows near 16 MiB;
/// webhook addresses with user info in the delivery log and list; scripted faults that drop the connection; the
/// webhook receiver sample's 64 KiB bound at its exact edge.
/// </summary>
public sealed class Stranger14R2Tests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private async Task<ApiResult> WithHostAsync(string host, string path, string json, string? bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Host = host;
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await fixture.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json2 = text.Length > 0 && text[0] == '{' ? JsonDocument.Parse(text).RootElement.Clone() : default;
        return new ApiResult(response.StatusCode, json2, response.Headers, response.Content.Headers.ContentType?.MediaType, text);
    }

    [Theory]
    [InlineData("LOCALHOST")]
    [InlineData("localhost:{port}")]
    [InlineData("127.000.000.001:{port}")]
    [InlineData("127.255.255.254")]
    [InlineData("[::1]:{port}")]
    [InlineData("[0:0:0:0:0:0:0:1]")]
    [InlineData("[0:0:0:0:0:0:0:1]:{port}")]
    [InlineData("[::ffff:127.0.0.1]:{port}")]
    public async Task The_api_endpoints_answer_every_spelling_of_a_loopback_host(string host)
    {
        host = host.Replace("{port}", fixture.Sandbox.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        var report = await WithHostAsync(host, "v2/report/syms", """{"startDate":"2024-03-01","endDate":"2024-03-02","pageSize":1}""", fixture.Key);
        var login = await WithHostAsync(host, "api/auth/login", $$"""{"username":"{{fixture.Sandbox.SenarUsername}}","password":"{{fixture.Sandbox.SenarPassword}}"}""", null);

        report.Status.Should().Be(HttpStatusCode.OK, $"{host}: {report.Text}");
        login.Status.Should().Be(HttpStatusCode.OK, $"{host}: {login.Text}");
    }

    [Theory]
    [InlineData("127.0.0.1.nip.io")]
    [InlineData("localtest.me")]
    [InlineData("[::ffff:10.0.0.1]")]
    [InlineData("[fe80::1]")]
    public async Task A_name_or_address_that_is_not_loopback_is_refused_on_the_api_too(string host)
    {
        var login = await WithHostAsync(host, "api/auth/login", $$"""{"username":"{{fixture.Sandbox.SenarUsername}}","password":"{{fixture.Sandbox.SenarPassword}}"}""", null);

        login.Status.Should().Be(HttpStatusCode.Forbidden, $"{host}: {login.Text}");
        login.Text.Should().NotContain("Token");
    }

    [Theory]
    [InlineData("")]
    [InlineData("Host:\r\n")]
    public async Task An_http_1_0_login_without_a_host_is_refused_and_carries_no_token(string hostLine)
    {
        var body = $$"""{"username":"{{fixture.Sandbox.SenarUsername}}","password":"{{fixture.Sandbox.SenarPassword}}"}""";
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(fixture.Sandbox.BaseAddress.Host, fixture.Sandbox.BaseAddress.Port);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST /api/auth/login HTTP/1.0\r\n{hostLine}Content-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n{body}"));

        var answer = await new StreamReader(stream, Encoding.UTF8).ReadToEndAsync();

        answer.Should().StartWith("HTTP/1.1 403 ").And.Contain("loopback host").And.NotContain("Token");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_json_body_of_exactly_1_MiB_is_read_and_one_byte_more_is_refused(bool chunked)
    {
        const string Json = """{"startDate":"2024-03-01","endDate":"2024-03-02","pageSize":1}""";

        async Task<ApiResult> PostAsync(int size)
        {
            var bytes = Encoding.UTF8.GetBytes(Json + new string(' ', size - Json.Length));
            HttpContent content = chunked ? new StreamContent(new MemoryStream(bytes)) : new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, "v2/report/syms") { Content = content };
            request.Headers.TransferEncodingChunked = chunked;
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Key);
            using var response = await fixture.Client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return new ApiResult(response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), response.Headers, null, text);
        }

        var edge = await PostAsync(1024 * 1024);
        var over = await PostAsync((1024 * 1024) + 1);

        edge.Status.Should().Be(HttpStatusCode.OK, edge.Text);
        ((int)over.Status).Should().BeInRange(400, 413, over.Text);
        over.Text.Should().Contain("larger than 1048576 bytes");
    }

    [Fact]
    public async Task A_legal_bulk_import_of_750_rows_near_16_MiB_goes_through_beside_the_1_MiB_json_bound()
    {
        using var symtrain = new SymtrainClient(new SymtrainClientOptions { BaseAddress = fixture.Sandbox.BaseAddress, ApiKey = fixture.Key });
        var name = new string('L', 21_500);
        var rows = Enumerable.Range(0, 750).Select(i => new BulkImportRow
        {
            FirstName = "R2",
            LastName = name,
            Email = FormattableString.Invariant($"r2big{i}@r2.example"),
            Username = FormattableString.Invariant($"r2big{i}@r2.example"),
            Role = BulkImportRow.TraineeRole,
            Status = BulkImportRow.ActiveStatus,
            Action = BulkImportRow.AddAction,
        }).ToList();
        using var measured = new MemoryStream();
        BulkImportCsv.Write(rows, measured);
        measured.Length.Should().BeGreaterThan(15 * 1024 * 1024).And.BeLessThan(16 * 1024 * 1024);

        var result = await symtrain.Users.BulkImportAsync(fixture.Org, rows);

        result.ValidUsersCount.Should().Be(750);
        result.InvalidUsersCount.Should().Be(0);
        result.TaskId.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task A_hooks_user_info_is_in_no_log_line_and_not_in_the_delivery_list()
    {
        // Fails on main: GetLeftPart(Authority) keeps user info, so 'delivered to http://ops:<password>@127.0.0.1:…/…'
        // was logged, and /_sandbox/senar/deliveries listed the password.
        const string Password = "R2HookPassw0rd";
        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));
        await using var receiver = await HookReceiver.StartAsync();
        await using var sandbox = await TrainingSandbox.StartAsync(new TrainingSandboxOptions { LoggerFactory = loggerFactory });
        using var client = ApiCall.ClientFor(sandbox);
        var token = await ApiCall.SenarLoginAsync(client, sandbox);
        var hook = new UriBuilder(receiver.Url("r2hook")) { UserName = "ops", Password = Password }.Uri;
        var registered = await ApiCall.PostAsync(client, "integration/data/webhook_register", $$"""{"hookUrl":"{{hook}}","method":"activity"}""", token);
        registered.Status.Should().Be(HttpStatusCode.OK, registered.Text);
        var broken = await ApiCall.PostAsync(client, "integration/data/webhook_register", $$"""{"hookUrl":"http://ops:{{Password}}@127.0.0.1:9/r2","method":"activity"}""", token);
        broken.Status.Should().Be(HttpStatusCode.OK, broken.Text);

        var added = await ApiCall.PostAsync(client, "_sandbox/senar/activities", "{}");

        added.Status.Should().Be(HttpStatusCode.Created, added.Text);
        (await receiver.NextAsync()).Name.Should().Be("r2hook");
        added.Text.Should().NotContain(Password).And.Contain("127.0.0.1");
        (await ApiCall.GetAsync(client, "_sandbox/senar/deliveries")).Text.Should().NotContain(Password).And.Contain("/r2hook");
        var records = logs.GetSnapshot();
        records.Should().Contain(r => r.Message.Contains("delivered to")).And.Contain(r => r.Message.Contains("failed"));
        records.Should().NotContain(r => r.Message.Contains(Password) || r.Message.Contains("ops:") || (r.Exception != null && r.Exception.ToString().Contains(Password)));
    }

    [Theory]
    [InlineData("/api/auth/login", "api/auth/login")]
    [InlineData("/integration/data/users", "integration/data/users")]
    [InlineData("/v2/report", "v2/report/syms")]
    public async Task A_fault_that_drops_the_connection_drops_it_once_and_then_answers(string faultPath, string path)
    {
        await using var sandbox = await TrainingSandbox.StartAsync();
        using var client = ApiCall.ClientFor(sandbox);
        var fault = await ApiCall.PostAsync(client, "_sandbox/faults", $$"""{"path":"{{faultPath}}","statusCode":503,"count":1,"abort":true}""");
        fault.Status.Should().Be(HttpStatusCode.Created, fault.Text);
        var body = path.StartsWith("v2", StringComparison.Ordinal) ? """{"startDate":"2024-03-01","endDate":"2024-03-02"}""" : "{}";
        var method = path.Contains("users", StringComparison.Ordinal) ? HttpMethod.Get : HttpMethod.Post;

        var dropped = async () => await ApiCall.SendAsync(client, method, path, method == HttpMethod.Get ? null : new StringContent(body, Encoding.UTF8, "application/json"), sandbox.SymtrainApiKey);
        await dropped.Should().ThrowAsync<HttpRequestException>();
        var next = await ApiCall.SendAsync(client, method, path, method == HttpMethod.Get ? null : new StringContent(body, Encoding.UTF8, "application/json"), sandbox.SymtrainApiKey);

        next.Status.Should().NotBe(HttpStatusCode.ServiceUnavailable, next.Text);
        ((int)next.Status).Should().BeLessThan(500, next.Text);
        (await ApiCall.GetAsync(client, "_sandbox/faults")).Text.Should().Be("[]");
    }
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_receiver_takes_a_body_of_exactly_64_KiB_and_refuses_one_byte_more(bool chunked)
    {
        const string Activity = """{"id":81001,"scenarioId":"S03","scenarioName":"Edge","traineeEmail":"a@example.com","totalPoints":1,"totalMaxPoints":2}""";
        var logs = new FakeLogCollector();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        builder.Logging.AddProvider(new FakeLoggerProvider(logs));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning); // as the sample's appsettings.json
        builder.Services.AddSingleton<DeliveryLog>();
        await using var app = builder.Build();
        var token = HookEndpoint.NewToken();
        var hook = new HookEndpoint(token);
        app.MapPost(HookEndpoint.PathPrefix + "{token}", (HttpContext context, DeliveryLog log) => hook.HandleAsync(context, log));
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        using var client = new HttpClient { BaseAddress = address };

        async Task<HttpStatusCode> PostAsync(int size)
        {
            var bytes = Encoding.UTF8.GetBytes(Activity + new string(' ', size - Activity.Length));
            HttpContent content = chunked ? new StreamContent(new MemoryStream(bytes)) : new ByteArrayContent(bytes);
            using var request = new HttpRequestMessage(HttpMethod.Post, HookEndpoint.PathPrefix + token) { Content = content };
            request.Headers.TransferEncodingChunked = chunked;
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        // Fails on main for a chunked body: 65,535 and 65,536 bytes were refused with 413.
        (await PostAsync(HookEndpoint.MaxBodyBytes - 1)).Should().Be(HttpStatusCode.OK);
        (await PostAsync(HookEndpoint.MaxBodyBytes)).Should().Be(HttpStatusCode.OK);
        (await PostAsync(HookEndpoint.MaxBodyBytes + 1)).Should().Be(HttpStatusCode.RequestEntityTooLarge);
        await app.StopAsync();

        var records = logs.GetSnapshot();
        var tokenStart = token[..12];
        records.Should().Contain(r => r.Message.Contains("Activity 81001")).And.Contain(r => r.Message.Contains("Refused a delivery"));
        records.Should().NotContain(r => r.Exception != null || r.Message.Contains(tokenStart));
    }
}
