using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using TrainingApis.Core;
using TrainingApis.Core.Http;

namespace Symtrain.Client.Tests;

/// <summary>
/// Follow-ups of issue 13 from a newcomer's walk: the docs' retry tuning keeps the SDK's telemetry, exhausted retries
/// warn, quota waits are recorded only when a request queued, and transport errors say where the request went.
/// </summary>
public sealed class Issue13FollowUpTests
{
    private static readonly DateRange Week = DateRange.FromDays(new DateOnly(2024, 1, 1), 7);

    [Fact]
    public async Task The_docs_retry_tuning_snippet_keeps_the_SDK_s_Retrying_log_retries_counter_and_span_event()
    {
        var time = FakeTime.Create();
        var handler = new FakeHttpHandler((_, _) => FakeHttpHandler.JsonResponse("{}", HttpStatusCode.ServiceUnavailable));
        var userRetries = 0;
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddMetrics();
        services.AddFakeLogging();
        var symtrain = services.AddSymtrainClient(o => (o.ApiKey, o.Retry.MaxRetries, o.Retry.BaseDelay) = ("sk_docs_retry", 5, TimeSpan.FromMilliseconds(10)));
        symtrain.ConfigurePrimaryHttpMessageHandler(() => handler);

        // docs/configuration.md, "Tuning retries and timeouts": the user's OnRetry replaces nothing of the SDK's.
        services.Configure<HttpRetryStrategyOptions>(ApiResilience.GetPipelineName(symtrain.Name, ApiResilience.CallPipelineName), retry =>
        {
            retry.MaxRetryAttempts = 2;
            retry.OnRetry = arguments =>
            {
                Interlocked.Increment(ref userRetries);
                return default;
            };
        });
        await using var provider = services.BuildServiceProvider();
        using var retries = new MetricCollector<long>(provider.GetRequiredService<IMeterFactory>(), "Symtrain.Client", "symtrain.client.retries");
        var events = new List<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Symtrain.Client",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (events)
                {
                    events.AddRange(activity.Events.Select(e => e.Name));
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        var act = () => time.RunAsync(provider.GetRequiredService<ISymtrainClient>().Reports.GetUsersAsync(Week));

        await act.Should().ThrowAsync<ApiException>();
        handler.Count.Should().Be(3, "the user's MaxRetryAttempts (2) applies");
        userRetries.Should().Be(2, "the user's callback runs");
        retries.GetMeasurementSnapshot().Should().HaveCount(2, "the SDK's retries counter still counts");
        provider.GetFakeLogCollector().GetSnapshot().Count(r => r.Category == "Symtrain.Client" && r.Id.Id == 3).Should().Be(2, "the SDK's Retrying log (event 3) is still written");
        events.Count(e => e == "trainingapis.retry").Should().Be(2, "the SDK's span event is still added");
    }

    [Fact]
    public async Task A_user_s_OnTimeout_keeps_the_SDK_s_naming_of_the_timeout_that_ended_the_call()
    {
        var time = FakeTime.Create();
        var handler = new FakeHttpHandler(async (_, _, _, cancellationToken) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, time, cancellationToken);
            return FakeHttpHandler.JsonResponse("[]");
        });
        var userTimeouts = 0;
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        var symtrain = services.AddSymtrainClient(o => (o.ApiKey, o.Retry.MaxRetries, o.Timeout, o.AttemptTimeout) = ("sk_on_timeout", 0, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan));
        symtrain.ConfigurePrimaryHttpMessageHandler(() => handler);
        services.Configure<HttpTimeoutStrategyOptions>(ApiResilience.GetPipelineName(symtrain.Name, ApiResilience.CallPipelineName), timeout => timeout.OnTimeout = _ =>
        {
            Interlocked.Increment(ref userTimeouts);
            return default;
        });
        await using var provider = services.BuildServiceProvider();

        var act = () => time.RunAsync(provider.GetRequiredService<ISymtrainClient>().Reports.GetUsersAsync(Week));

        (await act.Should().ThrowAsync<TimeoutException>()).Which.Message.Should().Contain("the call's Timeout ran out").And.NotContain("reached AttemptTimeout");
        userTimeouts.Should().Be(1);
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable, 3)]
    [InlineData(HttpStatusCode.TooManyRequests, 3)]
    [InlineData(HttpStatusCode.ServiceUnavailable, 0)]
    public async Task Retries_ending_on_a_retried_status_log_GaveUp_once(HttpStatusCode status, int maxRetries)
    {
        var collector = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(collector)).SetMinimumLevel(LogLevel.Trace));
        var time = FakeTime.Create();
        var handler = new FakeHttpHandler((_, _) => FakeHttpHandler.JsonResponse("{}", status));
        using var client = new SymtrainClient(new SymtrainClientOptions { ApiKey = Harness.ApiKey, Retry = new RetryOptions { MaxRetries = maxRetries, BaseDelay = TimeSpan.FromMilliseconds(10) } }, handler, time, loggerFactory);

        var act = () => time.RunAsync(client.Reports.GetUsersAsync(Week));

        await act.Should().ThrowAsync<ApiException>();
        handler.Count.Should().Be(1 + maxRetries);
        var gaveUp = collector.GetSnapshot().Where(r => r.Category == "Symtrain.Client" && r.Id.Id == 7).ToList();
        gaveUp.Should().ContainSingle().Which.Level.Should().Be(LogLevel.Warning);
        gaveUp[0].Message.Should().Contain($"gave up after {1 + maxRetries} attempts: {(int)status}");
    }

    [Fact]
    public async Task A_status_the_SDK_never_retries_is_not_a_GaveUp()
    {
        var collector = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(collector)).SetMinimumLevel(LogLevel.Trace));
        var time = FakeTime.Create();
        var handler = new FakeHttpHandler((_, _) => FakeHttpHandler.JsonResponse("""{"message":"bad"}""", HttpStatusCode.BadRequest));
        using var client = new SymtrainClient(new SymtrainClientOptions { ApiKey = Harness.ApiKey }, handler, time, loggerFactory);

        var act = () => time.RunAsync(client.Reports.GetUsersAsync(Week));

        await act.Should().ThrowAsync<ApiValidationException>();
        collector.GetSnapshot().Should().NotContain(r => r.Category == "Symtrain.Client" && r.Id.Id == 7);
    }

    [Fact]
    public async Task A_quota_wait_is_recorded_only_when_the_limiter_queued_the_request()
    {
        // The clock moves while the limiter grants at once (a high-resolution clock always does): not a wait.
        var time = FakeTime.Create();
        var limiter = new TickingLimiter(time);
        var handler = FakeHttpHandler.Json("[]");
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddMetrics();
        services.AddFakeLogging();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug)); // QuotaWaited is a Debug event.
        services.AddSymtrainClient(o => o.ApiKey = "sk_quota_wait").UseQuotaLimiter(_ => limiter).ConfigurePrimaryHttpMessageHandler(() => handler);
        await using var provider = services.BuildServiceProvider();
        using var waits = new MetricCollector<double>(provider.GetRequiredService<IMeterFactory>(), "Symtrain.Client", "symtrain.client.quota.wait");
        var client = provider.GetRequiredService<ISymtrainClient>();

        await time.RunAsync(client.Reports.GetUsersAsync(Week));
        await time.RunAsync(client.Reports.GetUsersAsync(Week));
        waits.GetMeasurementSnapshot().Should().BeEmpty("both leases were granted at once");
        provider.GetFakeLogCollector().GetSnapshot().Should().NotContain(r => r.Category == "Symtrain.Client" && r.Id.Id == 4);

        limiter.Queue = true;
        await time.RunAsync(client.Reports.GetUsersAsync(Week));

        waits.GetMeasurementSnapshot().Should().ContainSingle().Which.Value.Should().BeApproximately(5, 0.001, "the queued request waited 5 s");
        provider.GetFakeLogCollector().GetSnapshot().Should().ContainSingle(r => r.Category == "Symtrain.Client" && r.Id.Id == 4);
        handler.Count.Should().Be(3);
    }

    [Theory]
    [InlineData(HttpRequestError.NameResolutionError, "could not be resolved")]
    [InlineData(HttpRequestError.ConnectionError, "No connection could be made to https://api.symtrain.com:443")]
    [InlineData(HttpRequestError.SecureConnectionError, "The TLS connection to https://api.symtrain.com:443 failed")]
    [InlineData(HttpRequestError.ProxyTunnelError, "The proxy did not open a tunnel to https://api.symtrain.com:443")]
    [InlineData(HttpRequestError.ResponseEnded, "The connection to https://api.symtrain.com:443 ended before a complete response arrived.")]
    [InlineData(HttpRequestError.InvalidResponse, "The answer from https://api.symtrain.com:443 was not valid HTTP: check the BaseAddress setting")]
    [InlineData(HttpRequestError.Unknown, "Check the BaseAddress setting and that https://api.symtrain.com:443 answers")]
    public async Task A_transport_failure_names_where_the_request_went_and_the_BaseAddress_setting(HttpRequestError error, string hint)
    {
        using var harness = new Harness((_, _) => throw new HttpRequestException(error, "failed (api.symtrain.com:443)"));

        var act = () => harness.Time.RunAsync(harness.Client.Reports.GetUsersAsync(Week));

        var message = (await act.Should().ThrowAsync<ApiException>()).Which.Message;
        message.Should().StartWith("Symtrain POST /v2/report/users failed without a usable response from https://api.symtrain.com:443: ")
            .And.Contain(hint).And.NotContain(Harness.ApiKey);
    }

    /// <summary>Grants every lease, at once (the clock ticks 1 ms meanwhile) or, when <see cref="Queue"/> is set, after 5 s in a queue.</summary>
    private sealed class TickingLimiter(FakeTimeProvider time) : RateLimiter
    {
        public bool Queue { get; set; }

        public override TimeSpan? IdleDuration => null;

        public override RateLimiterStatistics? GetStatistics() => null;

        protected override RateLimitLease AttemptAcquireCore(int permitCount) => new Granted();

        protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
        {
            if (!Queue)
            {
                time.Advance(TimeSpan.FromMilliseconds(1));
                return new ValueTask<RateLimitLease>(new Granted());
            }

            return new ValueTask<RateLimitLease>(QueuedAsync(cancellationToken));
        }

        private async Task<RateLimitLease> QueuedAsync(CancellationToken cancellationToken)
        {
            await Task.Delay(TimeSpan.FromSeconds(5), time, cancellationToken);
            return new Granted();
        }

        private sealed class Granted : RateLimitLease
        {
            public override bool IsAcquired => true;

            public override IEnumerable<string> MetadataNames => [];

            public override bool TryGetMetadata(string metadataName, out object? metadata)
            {
                metadata = null;
                return false;
            }
        }
    }
}
