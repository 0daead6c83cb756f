using System.Diagnostics.Metrics;
using System.Net;
using TrainingApis.Core;
using TrainingApis.Observability.Tests.TestSupport;
using TrainingApis.Testing;

namespace TrainingApis.Observability.Tests;

public sealed class MetricsTests
{
    private readonly FakeTimeProvider _time = FakeTime.Create();

    [Theory]
    [InlineData("Symtrain.Client", "symtrain.client")]
    [InlineData("Senar.Client", "senar.client")]
    public void Each_client_package_has_one_meter_with_the_documented_instruments(string meterName, string prefix)
    {
        // Touch both clients so that their static diagnostics exist.
        using (Clients.Symtrain(FakeHttpHandler.Json("{}"), _time))
        using (Clients.Senar(FakeHttpHandler.Json("{}"), _time))
        {
        }

        var published = new List<(string Name, string? Unit)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == meterName)
                {
                    published.Add((instrument.Name, instrument.Unit));
                }
            },
        };
        listener.Start();

        published.Should().BeEquivalentTo(new[]
        {
            ($"{prefix}.requests", "{request}"),
            ($"{prefix}.request.duration", "s"),
            ($"{prefix}.retries", "{retry}"),
            ($"{prefix}.quota.wait", "s"),
            ($"{prefix}.quota.rejections", "{request}"),
            ($"{prefix}.token.refreshes", "{refresh}"),
        });
    }

    [Fact]
    public async Task Every_attempt_is_counted_and_timed_by_operation_method_and_status()
    {
        using var telemetry = new Telemetry();
        using var client = Clients.Symtrain(Fakes.Symtrain(_time), _time);

        await client.Users.CreateAccessTokenAsync("org-1", "ana@example.com");
        await client.Access.GetCompletionDataAsync("org-1", "ana@example.com", "sim-1");

        var requests = telemetry.Of("symtrain.client.requests");
        requests.Should().HaveCount(2).And.OnlyContain(m => m.Value == 1 && m.Tag("http.request.method") == "POST" && m.Tag("http.response.status_code") == "200");
        requests.Select(m => m.Tag("trainingapis.operation")).Should().Equal("Users.CreateAccessToken", "Access.GetCompletionData");
        var durations = telemetry.Of("symtrain.client.request.duration");
        durations.Should().HaveCount(2).And.OnlyContain(m => m.Unit == "s" && m.Value >= 0);
        durations[0].Tag("trainingapis.operation").Should().Be("Users.CreateAccessToken");
    }

    [Fact]
    public async Task Retries_are_counted_with_their_reason_and_failed_attempts_with_their_status()
    {
        using var telemetry = new Telemetry();
        var handler = new FakeHttpHandler((_, n) => n < 2
            ? Fakes.Status(HttpStatusCode.BadGateway, "{}")
            : Fakes.Ok("""{"executions":[]}"""));
        using var client = Clients.Symtrain(handler, _time, configure: o => o.Retry = new RetryOptions { MaxRetries = 3 });

        await _time.RunAsync(client.Access.GetCompletionDataAsync("org-1", "ana@example.com", "sim-1"));

        telemetry.Of("symtrain.client.retries").Should().HaveCount(2).And.OnlyContain(m =>
            m.Tag("trainingapis.retry.reason") == "502" && m.Tag("trainingapis.operation") == "Access.GetCompletionData");
        var requests = telemetry.Of("symtrain.client.requests");
        requests.Select(m => m.Tag("http.response.status_code")).Should().Equal("502", "502", "200");
        requests.Select(m => m.Tags.ContainsKey("trainingapis.retry")).Should().Equal(false, true, true);
    }

    [Fact]
    public async Task A_transport_failure_is_counted_with_its_error_type()
    {
        using var telemetry = new Telemetry();
        var handler = new FakeHttpHandler((_, _, _, _) => Task.FromException<HttpResponseMessage>(new HttpRequestException("reset", null, HttpStatusCode.BadGateway)));
        using var client = Clients.Senar(handler, _time);

        var act = () => client.Auth.LoginAsync();

        await act.Should().ThrowAsync<ApiException>();
        var attempt = telemetry.Of("senar.client.requests").Should().ContainSingle().Subject;
        attempt.Tag("trainingapis.operation").Should().Be("Auth.Login");
        attempt.Tag("http.response.status_code").Should().Be("error");
        attempt.Tag("error.type").Should().Be(nameof(HttpRequestException));
    }

    [Fact]
    public async Task Waiting_for_the_client_side_quota_is_measured()
    {
        using var telemetry = new Telemetry();
        using var client = Clients.Symtrain(Fakes.Symtrain(_time), _time, configure: o => o.RateLimit = new RateLimitOptions { PermitLimit = 1, Window = TimeSpan.FromMinutes(1) });

        await _time.RunAsync(client.Users.CreateAccessTokenAsync("org-1", "ana@example.com"));
        await _time.RunAsync(client.Users.CreateAccessTokenAsync("org-1", "ana@example.com"));

        var wait = telemetry.Of("symtrain.client.quota.wait").Should().ContainSingle().Subject;
        wait.Value.Should().BeApproximately(60, 0.5, "the one permit of the minute frees a minute after the first call");
        wait.Unit.Should().Be("s");
        wait.Tag("trainingapis.operation").Should().Be("Users.CreateAccessToken");
    }

    [Fact]
    public async Task Requests_refused_by_a_full_quota_queue_are_counted()
    {
        using var telemetry = new Telemetry();
        using var client = Clients.Symtrain(Fakes.Symtrain(_time), _time, configure: o => o.RateLimit = new RateLimitOptions { PermitLimit = 1, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });

        await client.Users.CreateAccessTokenAsync("org-1", "ana@example.com");
        var act = () => client.Users.CreateAccessTokenAsync("org-1", "ana@example.com");

        (await act.Should().ThrowAsync<ApiRateLimitException>()).Which.IsLocal.Should().BeTrue();
        telemetry.Of("symtrain.client.quota.rejections").Should().ContainSingle().Which.Tag("trainingapis.operation").Should().Be("Users.CreateAccessToken");
    }

    [Fact]
    public async Task Every_senar_login_is_counted_as_a_token_refresh()
    {
        using var telemetry = new Telemetry();
        using var client = Clients.Senar(Fakes.Senar(_time), _time);

        await client.Users.ListAsync(); // Logs in first.
        await client.Activities.ListAsync(); // Reuses the token.
        await client.Auth.LoginAsync(); // Logs in again, on purpose.

        telemetry.Of("senar.client.token.refreshes").Should().HaveCount(2).And.OnlyContain(m => m.Tag("trainingapis.service") == "Senar");
        telemetry.Of("senar.client.requests").Select(m => m.Tag("trainingapis.operation"))
            .Should().Equal("Auth.Login", "Users.List", "Activities.List", "Auth.Login");
    }
}
