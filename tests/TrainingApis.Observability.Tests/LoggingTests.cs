using System.Net;
using Microsoft.Extensions.Logging;
using TrainingApis.Core;
using TrainingApis.Observability.Tests.TestSupport;
using TrainingApis.Testing;

namespace TrainingApis.Observability.Tests;

public sealed class LoggingTests
{
    private readonly FakeTimeProvider _time = FakeTime.Create();
    private readonly FakeLogCollector _logs = new();

    [Fact]
    public async Task Each_attempt_is_logged_with_structured_values_under_the_package_category()
    {
        using var logging = Clients.Logging(_logs);
        using var client = Clients.Symtrain(Fakes.Symtrain(_time), _time, logging);

        await client.Users.CreateAccessTokenAsync("org-1", "ana@example.com");

        var entry = _logs.GetSnapshot().Should().ContainSingle(e => e.Id.Id == 1).Subject;
        entry.Category.Should().Be("Symtrain.Client");
        entry.Level.Should().Be(LogLevel.Debug);
        entry.Id.Name.Should().Be("AttemptCompleted");
        entry.Value("Service").Should().Be("Symtrain");
        entry.Value("Method").Should().Be("POST");
        entry.Value("Path").Should().Be("/v2/access-api/user/token");
        entry.Value("Attempt").Should().Be("1");
        entry.Value("StatusCode").Should().Be("200");
        double.TryParse(entry.Value("ElapsedMs"), System.Globalization.CultureInfo.InvariantCulture, out _).Should().BeTrue("the elapsed time is a number");
        entry.Value("{OriginalFormat}").Should().Be("{Service} {Method} {Path} attempt {Attempt} answered {StatusCode} in {ElapsedMs:0.0} ms");
        entry.Message.Should().StartWith("Symtrain POST /v2/access-api/user/token attempt 1 answered 200 in ");
    }

    [Fact]
    public async Task At_trace_level_headers_are_logged_allow_listed_values_only()
    {
        using var logging = Clients.Logging(_logs);
        using var client = Clients.Senar(Fakes.Senar(_time), _time, logging);

        await client.Users.ListAsync();

        var headers = _logs.GetSnapshot().Where(e => e.Id.Id == 8).ToList();
        headers.Should().HaveCount(2, "the login and the list");
        headers.Should().OnlyContain(e => e.Level == LogLevel.Trace && e.Category == "Senar.Client");
        var list = headers.Single(e => e.Value("Path") == "/integration/data/users");
        var request = list.Value("RequestHeaders")!;
        request.Should().Contain("Authorization: ***").And.Contain("Accept: application/json");
        request.Should().NotContain(Secrets.SenarToken);
        list.Value("ResponseHeaders")!.Should().Contain("Content-Type: application/json; charset=utf-8");
    }

    [Fact]
    public async Task Retries_and_giving_up_are_logged_with_the_reason_and_the_attempt_count()
    {
        using var logging = Clients.Logging(_logs);
        var handler = FakeHttpHandler.Json("{}", HttpStatusCode.ServiceUnavailable);
        using var client = Clients.Symtrain(handler, _time, logging, o => o.Retry = new RetryOptions { MaxRetries = 2 });

        var act = () => _time.RunAsync(client.Users.GetBulkImportStatusAsync("org-1", "task-1"));

        await act.Should().ThrowAsync<ApiException>();
        var retries = _logs.GetSnapshot().Where(e => e.Id.Id == 3).ToList();
        retries.Should().HaveCount(2).And.OnlyContain(e => e.Level == LogLevel.Information && e.Value("Reason") == "503");
        retries.Select(e => e.Value("Retry")).Should().Equal("1", "2");
        _logs.GetSnapshot().Where(e => e.Id.Id == 1).Should().HaveCount(3);
    }

    [Fact]
    public async Task A_transport_failure_logs_the_failed_attempt_and_the_outcome()
    {
        using var logging = Clients.Logging(_logs);
        var handler = new FakeHttpHandler((_, _, _, _) => Task.FromException<HttpResponseMessage>(new HttpRequestException("reset")));
        using var client = Clients.Symtrain(handler, _time, logging);

        var act = () => client.Access.GetCompletionDataAsync("org-1", "ana@example.com", "sim-1");

        await act.Should().ThrowAsync<ApiException>();
        _logs.GetSnapshot().Should().ContainSingle(e => e.Id.Id == 2).Which.Value("ErrorType").Should().Be(nameof(HttpRequestException));
        var gaveUp = _logs.GetSnapshot().Should().ContainSingle(e => e.Id.Id == 7).Subject;
        gaveUp.Level.Should().Be(LogLevel.Warning);
        gaveUp.Value("Attempts").Should().Be("1");
    }

    [Fact]
    public async Task A_replay_after_401_is_logged()
    {
        using var logging = Clients.Logging(_logs);
        var handler = new FakeHttpHandler((request, n) => request.Path switch
        {
            "/api/auth/login" => Fakes.Ok($$"""{"Token":{{Json.Quote(Secrets.SenarToken)}}}"""),
            _ when n == 1 => Fakes.Status(HttpStatusCode.Unauthorized, "{}"),
            _ => Fakes.Ok("[]"),
        });
        using var client = Clients.Senar(handler, _time, logging);

        await client.Users.ListAsync();

        _logs.GetSnapshot().Should().ContainSingle(e => e.Id.Id == 6).Which.Value("Path").Should().Be("/integration/data/users");
    }
}
