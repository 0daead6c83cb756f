using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Senar.Client.Tests.TestSupport;
using TrainingApis.Core;

namespace Senar.Client.Tests;

/// <summary>
/// Issue 14, a stranger's probes of "secrets outside the body" and redirects with the Senar client: the password and the
/// token echoed where no test looked (a reason phrase, WWW-Authenticate, a lower-cased request id, HTML named entities,
/// a wrapped Base64 text, a refused redirect's target), short passwords, checked in the exception, logs and spans.
/// </summary>
public sealed class Stranger14SecretsTests
{
    private const string Password = "S\u00EBcret+Pass&word1";

    private const string Token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhcGkifQ.Tok3nSignature4711";

    [Fact]
    public async Task A_refused_login_echoing_the_password_in_a_reason_phrase_www_authenticate_and_html_keeps_it_nowhere()
    {
        var (collector, loggerFactory) = Logs();
        using var __ = loggerFactory;
        var (activities, listener) = Listen();
        using var _ = listener;
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{SenarFake.Username}:{Password}"));
        var fake = new SenarFake(login: _ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.Unauthorized)
            {
                ReasonPhrase = $"Bad password {Password.ToUpperInvariant()}",
                Content = new StringContent($"<html><body>Wrong password S&euml;cret+Pass&amp;word1<pre>{string.Join("\r\n", base64.Chunk(20).Select(c => new string(c)))}</pre></body></html>", Encoding.UTF8, "text/html"),
            };
            response.Headers.TryAddWithoutValidation("WWW-Authenticate", $"Basic realm=\"{Password}\"");
            response.Headers.TryAddWithoutValidation("x-request-id", "gw-" + Password.ToLowerInvariant());
            return response;
        });
        using var client = fake.CreateClient(o => o.Password = Password, loggerFactory);

        var error = (await FluentActions.Awaiting(() => client.Users.ListAsync()).Should().ThrowAsync<ApiAuthenticationException>()).Which;

        error.ResponseBody.Should().Contain("Wrong password ***");
        error.ResponseBody.Should().Contain("<pre>");
        ShouldHoldNone(["word1", base64[40..52]], error, collector, activities);
    }

    [Fact]
    public async Task A_token_echoed_by_a_failing_call_in_its_reason_phrase_and_a_lower_cased_request_id_is_nowhere_after_the_retries()
    {
        var (collector, loggerFactory) = Logs();
        using var __ = loggerFactory;
        var (activities, listener) = Listen();
        using var _ = listener;
        var fake = new SenarFake(
            api: r =>
            {
                var response = new HttpResponseMessage(HttpStatusCode.BadGateway) { ReasonPhrase = $"Upstream refused {r.Authorization}", Content = new StringContent($"token={Uri.EscapeDataString(Token)}") };
                response.Headers.TryAddWithoutValidation("x-request-id", "gw-" + Token.ToLowerInvariant());
                return response;
            },
            login: _ => FakeHttpHandler.JsonResponse($$"""{"Token": "{{Token}}"}"""));
        using var client = fake.CreateClient(o => o.Retry.MaxRetries = 1, loggerFactory);

        var error = (await FluentActions.Awaiting(() => fake.Time.RunAsync(client.Activities.ListAsync())).Should().ThrowAsync<ApiException>()).Which;

        fake.ApiRequests.Should().HaveCount(2);
        collector.GetSnapshot().Should().Contain(r => r.Level == LogLevel.Warning);
        ShouldHoldNone(["Signature4711", "signature4711"], error, collector, activities);
    }

    [Fact]
    public async Task A_refused_redirect_of_the_login_naming_the_password_in_its_target_keeps_it_nowhere()
    {
        var (collector, loggerFactory) = Logs();
        using var __ = loggerFactory;
        var fake = new SenarFake(login: _ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.Found) { ReasonPhrase = "Found " + Password };
            response.Headers.Location = new Uri($"https://sso.example/{Uri.EscapeDataString(Password)}/x?p={Uri.EscapeDataString(Password)}");
            return response;
        });
        using var client = fake.CreateClient(o => o.Password = Password, loggerFactory);

        var error = (await FluentActions.Awaiting(() => client.Users.ListAsync()).Should().ThrowAsync<ApiException>()).Which;

        error.Message.Should().Contain("https://sso.example/");
        ShouldHoldNone(["word1"], error, collector, new ConcurrentQueue<Activity>());
        fake.Handler.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task A_login_answer_echoing_the_new_token_in_its_headers_keeps_it_out_of_the_trace_log()
    {
        var (collector, loggerFactory) = Logs();
        using var __ = loggerFactory;
        var fake = new SenarFake(login: _ =>
        {
            var response = FakeHttpHandler.JsonResponse($$"""{"Token": "{{Token}}"}""");
            response.Headers.TryAddWithoutValidation("x-request-id", "gw-" + Token);
            response.Headers.TryAddWithoutValidation("Server", "edge " + Token.ToLowerInvariant());
            return response;
        });
        using var client = fake.CreateClient(loggerFactory: loggerFactory);

        await client.Users.ListAsync();

        collector.GetSnapshot().Should().Contain(r => r.Level == LogLevel.Trace && r.Message.Contains("/api/auth/login", StringComparison.Ordinal));
        foreach (var record in collector.GetSnapshot())
        {
            record.Message.Should().NotContainEquivalentOf("Signature4711");
        }
    }

    [Fact]
    public async Task A_second_401_echoing_the_token_it_replaced_keeps_both_tokens_nowhere()
    {
        var (collector, loggerFactory) = Logs();
        using var __ = loggerFactory;
        var fake = new SenarFake(
            api: r => SenarFake.Status(HttpStatusCode.Unauthorized, $$"""{"message":"session {{Token}}-1 expired; {{r.Authorization}} refused"}"""),
            login: n => FakeHttpHandler.JsonResponse($$"""{"Token": "{{Token}}-{{n}}"}"""));
        using var client = fake.CreateClient(loggerFactory: loggerFactory);

        var error = (await FluentActions.Awaiting(() => client.Users.ListAsync()).Should().ThrowAsync<ApiAuthenticationException>()).Which;

        fake.LoginCount.Should().Be(2);
        error.Message.Should().Contain("session *** expired");
        ShouldHoldNone(["Signature4711"], error, collector, new ConcurrentQueue<Activity>());
    }

    [Theory]
    [InlineData("x")]
    [InlineData("Ab1")]
    [InlineData("Ab1!")]
    [InlineData("pass")]
    public async Task A_short_password_echoed_is_masked_and_the_message_stays_readable(string password)
    {
        var fake = new SenarFake(login: _ =>
        {
            var response = SenarFake.Status(HttpStatusCode.Unauthorized, $$"""{"message":"Invalid password {{password}} for this account"}""");
            response.Headers.TryAddWithoutValidation("x-request-id", $"gw-{Uri.EscapeDataString(password)}");
            return response;
        });
        using var client = fake.CreateClient(o => o.Password = password);

        var error = (await FluentActions.Awaiting(() => client.Users.ListAsync()).Should().ThrowAsync<ApiAuthenticationException>()).Which;

        error.Message.Should().Contain("Invalid password *** for this account").And.Contain("Senar login failed for user").And.Contain("/api/auth/login");
        error.RequestId.Should().Be("gw-***");
        error.ResponseBody.Should().Contain("Invalid password *** for this account");
    }

    [Theory]
    [InlineData("https://api-user:S3cret-pass!@studio.senar.io/api/auth/login/")]
    [InlineData("//studio.senar.io@evil.example/api/auth/login")]
    [InlineData("https://studio.senar.io.evil.example/api/auth/login")]
    [InlineData("http://studio.senar.io/api/auth/login/")]
    public async Task A_login_redirected_307_to_any_other_target_never_sends_the_password(string location)
    {
        var fake = new SenarFake(login: _ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.TemporaryRedirect);
            response.Headers.TryAddWithoutValidation("Location", location);
            return response;
        });
        using var client = fake.CreateClient();

        var error = (await FluentActions.Awaiting(() => client.Auth.LoginAsync()).Should().ThrowAsync<ApiException>()).Which;

        error.Message.Should().Contain("redirected (307 ").And.NotContain(SenarFake.Password);
        fake.Handler.Requests.Should().ContainSingle().Which.Uri!.Host.Should().Be("studio.senar.io");
    }

    private static (FakeLogCollector, ILoggerFactory) Logs()
    {
        var collector = new FakeLogCollector();
        return (collector, LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(collector)).SetMinimumLevel(LogLevel.Trace)));
    }

    private static (ConcurrentQueue<Activity> Stopped, ActivityListener Listener) Listen()
    {
        var stopped = new ConcurrentQueue<Activity>();
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Senar.Client",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        return (stopped, listener);
    }

    private static void ShouldHoldNone(string[] pieces, ApiException error, FakeLogCollector collector, ConcurrentQueue<Activity> activities)
    {
        var texts = new List<(string? Text, string Where)>
        {
            (error.Message, "the message"),
            (error.ToString(), "ToString()"),
            (error.ResponseBody, "the response body"),
            (error.RequestId, "the request id"),
            (error.InnerException?.Message, "the inner exception"),
        };
        foreach (var record in collector.GetSnapshot())
        {
            texts.Add((record.Message, "a log message"));
            texts.AddRange((record.StructuredState ?? []).Select(p => (p.Value, "a log's state " + p.Key)));
        }

        foreach (var activity in activities)
        {
            texts.Add((activity.StatusDescription, "a span status"));
            texts.AddRange(activity.TagObjects.Select(t => (t.Value?.ToString(), "a span tag " + t.Key)));
            texts.AddRange(activity.Events.SelectMany(e => e.Tags.Select(t => (t.Value?.ToString(), "a span event tag " + t.Key))));
        }

        foreach (var (text, where) in texts)
        {
            foreach (var piece in pieces)
            {
                (text ?? string.Empty).Should().NotContainEquivalentOf(piece, where);
            }
        }
    }
}
