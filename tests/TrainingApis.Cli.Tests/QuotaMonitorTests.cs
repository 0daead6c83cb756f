using System.Net;
using TrainingApis.Cli.Output;
using TrainingApis.Testing;

namespace TrainingApis.Cli.Tests;

public sealed class QuotaMonitorTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task With_the_limit_used_in_the_window_it_shows_the_time_to_the_oldest_permit_coming_back()
    {
        var time = FakeTime.Create();
        using var monitor = new QuotaMonitor(new Answer(), limit: 2, Window, enabled: true, time);
        using var client = new HttpClient(monitor);

        await client.GetAsync(new Uri("http://127.0.0.1/a"));
        monitor.NextPermitIn().Should().BeNull("one request of two: no wait");
        time.Advance(TimeSpan.FromMinutes(1));
        await client.GetAsync(new Uri("http://127.0.0.1/b"));

        monitor.NextPermitIn().Should().Be(TimeSpan.FromMinutes(4), "the first permit comes back one window after its request");
        time.Advance(TimeSpan.FromMinutes(3));
        monitor.NextPermitIn().Should().Be(TimeSpan.FromMinutes(1));
        time.Advance(TimeSpan.FromMinutes(1));
        monitor.NextPermitIn().Should().BeNull("the first permit is back");
        monitor.Requests.Should().Be(2);
    }

    [Fact]
    public async Task A_disabled_quota_never_shows_a_wait()
    {
        var time = FakeTime.Create();
        using var monitor = new QuotaMonitor(new Answer(), limit: 1, Window, enabled: false, time);
        using var client = new HttpClient(monitor);

        await client.GetAsync(new Uri("http://127.0.0.1/a"));

        monitor.NextPermitIn().Should().BeNull();
    }

    private sealed class Answer : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
    }
}
