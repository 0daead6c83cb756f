using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using TrainingApis.Core.Authentication;
using TrainingApis.Core.Diagnostics;
using TrainingApis.Core.Http;
using TrainingApis.Core.RateLimiting;
using TrainingApis.Core.Tests.TestSupport;
using TrainingApis.Testing;

namespace TrainingApis.Core.Tests.Diagnostics;

public sealed class ApiDiagnosticsTests
{
    [Fact]
    public void The_source_meter_and_instruments_exist_under_the_package_name()
    {
        var name = UniqueName();
        using var diagnostics = new ApiDiagnostics(name, "1.2.3");
        var published = new List<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter == diagnostics.Meter)
                {
                    published.Add(instrument.Name);
                }
            },
        };

        listener.Start();

        var prefix = name.ToLowerInvariant();
        diagnostics.Name.Should().Be(name);
        diagnostics.ActivitySource.Name.Should().Be(name);
        diagnostics.ActivitySource.Version.Should().Be("1.2.3");
        diagnostics.Meter.Name.Should().Be(name);
        published.Should().BeEquivalentTo(
            $"{prefix}.requests",
            $"{prefix}.request.duration",
            $"{prefix}.retries",
            $"{prefix}.quota.wait",
            $"{prefix}.quota.rejections",
            $"{prefix}.token.refreshes");
        diagnostics.Requests.Unit.Should().Be("{request}");
        diagnostics.RequestDuration.Unit.Should().Be("s");
    }

    [Fact]
    public void A_name_is_required()
    {
        FluentActions.Invoking(() => new ApiDiagnostics(string.Empty)).Should().Throw<ArgumentException>();
    }

    [Fact]
    public async Task ApiConnection_starts_a_span_per_operation_with_safe_tags()
    {
        using var diagnostics = new ApiDiagnostics(UniqueName());
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = Listen(diagnostics, stopped);
        using var pipeline = TestPipeline.Create(_ => TestPipeline.Status(HttpStatusCode.OK, "{\"id\":1}"), diagnostics: diagnostics);

        await pipeline.Time.RunAsync(pipeline.Connection.SendAsync(TestPipeline.Get("v1/things/1?token=query-secret"), TestJsonContext.Default.TestRow, CancellationToken.None));

        var span = stopped.Should().ContainSingle().Subject;
        span.OperationName.Should().Be("Things.Get");
        span.Kind.Should().Be(ActivityKind.Client);
        span.GetTagItem("trainingapis.operation").Should().Be("Things.Get");
        span.GetTagItem("http.request.method").Should().Be("GET");
        span.GetTagItem("url.path").Should().Be("/v1/things/1");
        span.GetTagItem("http.response.status_code").Should().Be(200);
        span.Status.Should().Be(ActivityStatusCode.Unset);
        span.Tags.Select(t => t.Value).Should().NotContain(v => v != null && v.Contains("query-secret"));
    }

    [Fact]
    public async Task A_failed_operation_marks_its_span_with_the_error_type()
    {
        using var diagnostics = new ApiDiagnostics(UniqueName());
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = Listen(diagnostics, stopped);
        using var pipeline = TestPipeline.Create(_ => TestPipeline.Status(HttpStatusCode.NotFound, "{\"message\":\"gone\"}"), diagnostics: diagnostics);

        var act = () => pipeline.Time.RunAsync(pipeline.Connection.SendAsync(TestPipeline.Get(), CancellationToken.None));

        await act.Should().ThrowAsync<ApiNotFoundException>();
        var span = stopped.Should().ContainSingle().Subject;
        span.Status.Should().Be(ActivityStatusCode.Error);
        span.StatusDescription.Should().Be(nameof(ApiNotFoundException));
        span.GetTagItem("error.type").Should().Be(typeof(ApiNotFoundException).FullName);
        span.GetTagItem("http.response.status_code").Should().Be(404);
    }

    [Fact]
    public async Task A_cancelled_operation_is_not_an_error_span()
    {
        using var diagnostics = new ApiDiagnostics(UniqueName());
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = Listen(diagnostics, stopped);
        using var pipeline = TestPipeline.Create(_ => TestPipeline.Status(HttpStatusCode.OK), diagnostics: diagnostics);

        var act = () => pipeline.Connection.SendAsync(TestPipeline.Get(), new CancellationToken(canceled: true));

        await act.Should().ThrowAsync<OperationCanceledException>();
        stopped.Should().ContainSingle().Which.Status.Should().Be(ActivityStatusCode.Unset);
    }

    [Fact]
    public async Task Without_a_listener_no_span_is_created()
    {
        using var diagnostics = new ApiDiagnostics(UniqueName());

        diagnostics.StartOperation("Nobody.Listens").Should().BeNull();
        ApiDiagnostics.RecordError(null, new InvalidOperationException());
        using var pipeline = TestPipeline.Create(_ => TestPipeline.Status(HttpStatusCode.OK, "{}"), diagnostics: diagnostics);
        (await pipeline.Time.RunAsync(pipeline.Connection.SendAsync(TestPipeline.Get(), TestJsonContext.Default.TestRow, CancellationToken.None))).Should().NotBeNull();
    }

    [Fact]
    public async Task Attempts_retries_token_refreshes_and_quota_waits_are_measured()
    {
        using var diagnostics = new ApiDiagnostics(UniqueName());
        using var requestsCollector = new MetricCollector<long>(diagnostics.Requests);
        using var durations = new MetricCollector<double>(diagnostics.RequestDuration);
        using var retries = new MetricCollector<long>(diagnostics.Retries);
        using var refreshes = new MetricCollector<long>(diagnostics.TokenRefreshes);
        using var quotaWaits = new MetricCollector<double>(diagnostics.QuotaWait);
        var time = FakeTime.Create();
        using var quota = new QuotaLimiter(2, TimeSpan.FromMinutes(1), 10, time);
        var cache = new AccessTokenCache(time);
        using var pipeline = TestPipeline.Create(
            n => TestPipeline.Status(n == 0 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK),
            time: time,
            quota: quota,
            diagnostics: diagnostics,
            authentication: s => new TokenAuthHandler(cache, _ => Task.FromResult(new AccessToken("t-1")), s));

        await pipeline.SendAsync(TestPipeline.Get());
        await pipeline.SendAsync(TestPipeline.Get()); // The quota (2 per minute) is used up: this one waits.

        var requests = requestsCollector.GetMeasurementSnapshot();
        requests.Select(m => m.Tags["http.response.status_code"]).Should().Equal("503", "200", "200");
        requests.Should().OnlyContain(m => (string?)m.Tags["trainingapis.operation"] == "Things.Get" && (string?)m.Tags["http.request.method"] == "GET");
        requests[1].Tags.Should().ContainKey("trainingapis.retry");
        durations.GetMeasurementSnapshot().Should().HaveCount(3);
        retries.GetMeasurementSnapshot().Should().ContainSingle().Which.Tags["trainingapis.retry.reason"].Should().Be("503");
        refreshes.GetMeasurementSnapshot().Should().ContainSingle().Which.Tags["trainingapis.service"].Should().Be("Test");
        quotaWaits.GetMeasurementSnapshot().Should().ContainSingle().Which.Value.Should().BeApproximately(59.5, 0.001, "the first permit, used at 0 s, frees at 60 s; the call began at 0.5 s");
    }

    [Fact]
    public async Task A_full_quota_queue_is_counted()
    {
        using var diagnostics = new ApiDiagnostics(UniqueName());
        using var rejections = new MetricCollector<long>(diagnostics.QuotaRejections);
        var time = FakeTime.Create();
        using var quota = new QuotaLimiter(1, TimeSpan.FromMinutes(1), 0, time);
        using var pipeline = TestPipeline.Create(_ => TestPipeline.Status(HttpStatusCode.OK), time: time, quota: quota, diagnostics: diagnostics);

        await pipeline.SendAsync(TestPipeline.Get());
        (await pipeline.SendFailingAsync(TestPipeline.Get())).Should().BeOfType<ApiRateLimitException>();

        rejections.GetMeasurementSnapshot().Sum(m => m.Value).Should().Be(1);
    }

    [Fact]
    public async Task Logs_name_method_path_and_status_but_never_a_secret()
    {
        const string key = "sk-live-abcdef123456";
        var logger = new FakeLogger();
        var time = FakeTime.Create();
        var handler = new FakeHttpHandler((_, n) => n switch
        {
            0 => TestPipeline.Status(HttpStatusCode.ServiceUnavailable, $"{{\"message\":\"{key}\"}}"),
            _ => TestPipeline.Status(HttpStatusCode.OK, $"{{\"echo\":\"{key}\"}}"),
        });
        var settings = new ApiPipelineSettings { ServiceName = "Test", Options = new TestOptions(), TimeProvider = time, Logger = logger, Jitter = () => 0 };
        using var client = new HttpClient(ApiPipeline.CreateChain(handler, settings, new BearerKeyHandler(() => key, "TestOptions.ApiKey"))) { BaseAddress = new Uri("https://api.test/") };

        using var response = await time.RunAsync(client.SendAsync(TestPipeline.Get($"v1/things?apiKey={key}")));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        Messages(logger).Should().Contain(m => m.Contains("Test GET /v1/things attempt 1 answered 503", StringComparison.Ordinal));
        Messages(logger).Should().Contain(m => m.Contains("retry 1 in 500 ms after 503", StringComparison.Ordinal));
        Messages(logger).Should().NotContain(m => m.Contains(key, StringComparison.Ordinal) || m.Contains("apiKey", StringComparison.Ordinal));
    }

    private static string UniqueName() => "TrainingApis.Tests." + Guid.NewGuid().ToString("N");

    private static ActivityListener Listen(ApiDiagnostics diagnostics, ConcurrentQueue<Activity> stopped)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => ReferenceEquals(source, diagnostics.ActivitySource),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    // Each record as the hand-written logger wrote it: message | structured values | exception.
    private static List<string> Messages(FakeLogger logger) =>
    [
        .. logger.Collector.GetSnapshot().Select(r => r.Message + " | " + string.Join(";", (r.StructuredState ?? []).Select(p => $"{p.Key}={p.Value}")) + " | " + r.Exception),
    ];
}
