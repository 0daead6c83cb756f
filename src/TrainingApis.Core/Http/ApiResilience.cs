using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;
using TrainingApis.Core.Diagnostics;

namespace TrainingApis.Core.Http;

/// <summary>
/// The SDK's resilience strategies on Microsoft.Extensions.Http.Resilience: the <c>call</c> pipeline (total timeout
/// around retries), with the SDK's own retry predicate, delays and budget plugged into the library's
/// <see cref="HttpRetryStrategyOptions"/> and <see cref="HttpTimeoutStrategyOptions"/>. The attempt timeout is the
/// SDK's <see cref="AttemptHandler"/>.
/// </summary>
/// <remarks>
/// Through dependency injection the pipeline is registered with <c>AddResilienceHandler</c> under the name
/// <c>{HttpClient name}-call</c> (the library's own naming); the strategies' options are the named options of that name
/// (<see cref="GetPipelineName"/>), so <c>services.Configure&lt;HttpRetryStrategyOptions&gt;("Symtrain.Client-call", …)</c>
/// tunes them after the SDK has set its defaults.
/// </remarks>
public static class ApiResilience
{
    /// <summary>The outer pipeline: total timeout, then retry. Its handler sits above authentication and the quota.</summary>
    public const string CallPipelineName = "call";

    /// <summary>The name of the total timeout strategy in telemetry.</summary>
    public const string TotalTimeoutStrategyName = "total-timeout";

    /// <summary>The name of the retry strategy in telemetry.</summary>
    public const string RetryStrategyName = "retry";

    /// <summary>The name of the attempt timeout, recorded when it ends a call.</summary>
    public const string AttemptTimeoutStrategyName = "attempt-timeout";

    /// <summary>Set by the timeout that fired last: <see cref="TotalTimeoutStrategyName"/> (the strategy) or <see cref="AttemptTimeoutStrategyName"/> (the attempt handler).</summary>
    internal static readonly ResiliencePropertyKey<string> TimedOutKey = new("TrainingApis.TimedOut");

    private static readonly ResiliencePropertyKey<TimeSpan> DelayKey = new("TrainingApis.Delay");
    private static readonly ResiliencePropertyKey<string> ReasonKey = new("TrainingApis.Reason");

    /// <summary>
    /// The full name of a pipeline of the HttpClient <paramref name="httpClientName"/>, as the library names it
    /// (<c>{httpClientName}-{pipelineName}</c>), and the name of the options that tune its strategies.
    /// </summary>
    public static string GetPipelineName(string httpClientName, string pipelineName)
    {
        ArgumentNullException.ThrowIfNull(httpClientName);
        ArgumentException.ThrowIfNullOrEmpty(pipelineName);
        return $"{httpClientName}-{pipelineName}";
    }

    /// <summary>Sets the SDK's total timeout (<see cref="ApiClientOptions.Timeout"/>) on <paramref name="options"/>.</summary>
    internal static void ConfigureTotalTimeout(HttpTimeoutStrategyOptions options, ApiPipelineSettings settings)
    {
        // A generator, not Timeout: the library's Timeout cannot be infinite, and a generator reads the value per call.
        options.Name = TotalTimeoutStrategyName;
        options.TimeoutGenerator = args => new ValueTask<TimeSpan>(OptionsOf(args.Context, settings).Timeout);
    }

    /// <summary>
    /// Whether the SDK retries a response of <paramref name="status"/>: a 429 for any request (the server did not process
    /// it); 408 and 5xx unless the request is not idempotent.
    /// </summary>
    internal static bool IsRetriedStatus(HttpStatusCode status, bool nonIdempotent) =>
        status == HttpStatusCode.TooManyRequests || (ApiErrorMapper.IsTransientStatus(status) && !nonIdempotent);

    // The options the call handler read when the call began (the request's state); the settings' for a request it did not see.
    private static ApiClientOptions OptionsOf(ResilienceContext context, ApiPipelineSettings settings) =>
        ApiRequestState.Find(context.GetRequestMessage())?.Budget ?? settings.Current;

    // The exception does not say which strategy threw it; the call's message names the setting that ended the call.
    private static void RecordTimeout(ResilienceContext context, string strategy) => context.Properties.Set(TimedOutKey, strategy);

    /// <summary>
    /// Sets the SDK's retry rules on <paramref name="options"/>: 408, 429, 5xx and transient network failures, the
    /// server's <c>Retry-After</c> (capped by <see cref="RetryOptions.MaxRetryAfter"/>) or exponential backoff with
    /// jitter, never a wait past the call's budget, and requests marked non-idempotent only when provably not processed.
    /// </summary>
    internal static void ConfigureRetry(HttpRetryStrategyOptions options, ApiPipelineSettings settings)
    {
        var retry = new RetryRules(settings);
        options.Name = RetryStrategyName;

        // The library's Retry-After generator is uncapped and unaware of the budget: the SDK's replaces it.
        options.ShouldRetryAfterHeader = false;
        options.MaxRetryAttempts = Math.Max(1, settings.Current.Retry.MaxRetries);
        options.ShouldHandle = args => new ValueTask<bool>(retry.ShouldRetry(args.Context, args.Outcome, args.AttemptNumber));
        options.DelayGenerator = args => new ValueTask<TimeSpan?>(retry.GetDelay(args.Context, args.Outcome, args.AttemptNumber));
    }

    /// <summary>
    /// Chains the SDK's telemetry before the callback a user set, if any, so that replacing <c>OnRetry</c> or
    /// <c>OnTimeout</c> never drops the SDK's <c>Retrying</c> log, retries counter and span event, or the timeout's name
    /// in the message. Called on the options the pipeline is built from, after every configuration.
    /// </summary>
    private static void ChainTelemetry(HttpRetryStrategyOptions options, ApiPipelineSettings settings)
    {
        var rules = new RetryRules(settings);
        var user = options.OnRetry;
        options.OnRetry = args =>
        {
            rules.OnRetry(args.Context, args.AttemptNumber + 1, args.RetryDelay);
            return user?.Invoke(args) ?? default;
        };
    }

    private static HttpTimeoutStrategyOptions ChainTelemetry(HttpTimeoutStrategyOptions options, string strategy)
    {
        var user = options.OnTimeout;
        options.OnTimeout = args =>
        {
            RecordTimeout(args.Context, strategy);
            return user?.Invoke(args) ?? default;
        };
        return options;
    }

    /// <summary>The call pipeline of a hand-built client: total timeout, then retry.</summary>
    internal static ResiliencePipeline<HttpResponseMessage> CreateCallPipeline(ApiPipelineSettings settings)
    {
        var total = new HttpTimeoutStrategyOptions();
        ConfigureTotalTimeout(total, settings);
        var retry = new HttpRetryStrategyOptions();
        ConfigureRetry(retry, settings);
        return AddCallStrategies(new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = settings.TimeProvider }, total, retry, settings).Build();
    }

    /// <summary>Adds the call pipeline's strategies, outer first, with the SDK's telemetry chained before any user callback.</summary>
    internal static ResiliencePipelineBuilder<HttpResponseMessage> AddCallStrategies(ResiliencePipelineBuilder<HttpResponseMessage> builder, HttpTimeoutStrategyOptions total, HttpRetryStrategyOptions retry, ApiPipelineSettings settings)
    {
        ChainTelemetry(retry, settings);
        return builder.AddTimeout(ChainTelemetry(total, TotalTimeoutStrategyName)).AddRetry(retry);
    }

    /// <summary>The SDK's retry decisions for one pipeline's settings.</summary>
    private sealed class RetryRules(ApiPipelineSettings settings)
    {
        public bool ShouldRetry(ResilienceContext context, Outcome<HttpResponseMessage> outcome, int attemptNumber)
        {
            var retry = OptionsOf(context, settings).Retry;
            if (retry.MaxRetries == 0 || context.CancellationToken.IsCancellationRequested || context.GetRequestMessage() is not { } request)
            {
                return false;
            }

            if (!TryGetDelay(context, request, outcome, attemptNumber, out var delay, out var reason))
            {
                return false;
            }

            if (delay >= RemainingBudget(context))
            {
                // Waiting would use up the call's budget, leaving no time for the retry: hand the caller the answer now
                // (a 429 becomes ApiRateLimitException) instead of a TimeoutException later.
                return false;
            }

            context.Properties.Set(DelayKey, delay);
            context.Properties.Set(ReasonKey, reason);
            return true;
        }

        public TimeSpan? GetDelay(ResilienceContext context, Outcome<HttpResponseMessage> outcome, int attemptNumber)
        {
            if (context.Properties.TryGetValue(DelayKey, out var delay))
            {
                return delay;
            }

            // The predicate was replaced by the user's: compute the SDK's delay for this outcome all the same.
            var request = context.GetRequestMessage();
            return request is not null && TryGetDelay(context, request, outcome, attemptNumber, out delay, out _) ? delay : Backoff(OptionsOf(context, settings).Retry, attemptNumber);
        }

        public void OnRetry(ResilienceContext context, int retry, TimeSpan delay)
        {
            if (context.GetRequestMessage() is not { } request)
            {
                return;
            }

            var reason = context.Properties.GetValue(ReasonKey, "unknown");
            settings.Diagnostics?.Retries.Add(1, new TagList { { ApiDiagnostics.OperationTag, request.GetOperation() }, { ApiDiagnostics.RetryReasonTag, reason } });
            settings.Diagnostics?.AddEvent("trainingapis.retry", new TagList { { "trainingapis.retry.number", retry }, { "trainingapis.retry.reason", reason }, { "trainingapis.retry.delay_ms", delay.TotalMilliseconds } });
            Log.Retrying(settings.Logger, settings.ServiceName, request.Method.Method, request.GetSafePath(), retry, delay.TotalMilliseconds, reason);
        }

        private bool TryGetDelay(ResilienceContext context, HttpRequestMessage request, Outcome<HttpResponseMessage> outcome, int attemptNumber, out TimeSpan delay, out string reason)
        {
            delay = default;
            var nonIdempotent = request.IsNonIdempotent();
            TimeSpan? retryAfter = null;
            if (outcome.Exception is { } exception)
            {
                switch (exception)
                {
                    case HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError }:
                        reason = "connection failure"; // Nothing reached the server: safe for any request.
                        break;
                    case HttpRequestException { HttpRequestError: HttpRequestError.ConfigurationLimitExceeded or HttpRequestError.UserAuthenticationError }:
                        reason = string.Empty;
                        return false;
                    case HttpRequestException or IOException or TimeoutRejectedException or OperationCanceledException when !nonIdempotent:
                        reason = exception.GetType().Name;
                        break;
                    default:
                        reason = string.Empty;
                        return false; // ApiException (too large, quota queue full), argument errors, or a request whose fate is unknown.
                }
            }
            else
            {
                var response = outcome.Result!;
                var status = response.StatusCode;
                if (!IsRetriedStatus(status, nonIdempotent))
                {
                    reason = string.Empty;
                    return false;
                }

                retryAfter = status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable ? ApiErrorMapper.GetRetryAfter(response, settings.TimeProvider) : null;
                reason = StatusText((int)status);
            }

            var retry = OptionsOf(context, settings).Retry;
            delay = retryAfter is { } serverDelay
                ? (serverDelay > retry.MaxRetryAfter ? retry.MaxRetryAfter : serverDelay)
                : Backoff(retry, attemptNumber);
            return true;
        }

        private TimeSpan Backoff(RetryOptions retry, int attemptNumber)
        {
            // Exponential with "equal jitter": half fixed, half random, so retries of many clients spread out.
            var exponential = retry.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attemptNumber, 30));
            var capped = Math.Min(exponential, retry.MaxDelay.TotalMilliseconds);
            var jitter = settings.Jitter?.Invoke() ?? Random.Shared.NextDouble();
            return TimeSpan.FromMilliseconds((capped / 2) + (capped / 2 * jitter));
        }

        private TimeSpan RemainingBudget(ResilienceContext context)
        {
            var total = OptionsOf(context, settings).Timeout;
            if (total == Timeout.InfiniteTimeSpan || ApiRequestState.Find(context.GetRequestMessage())?.Started is not { } started)
            {
                return TimeSpan.MaxValue;
            }

            return total - settings.TimeProvider.GetElapsedTime(started);
        }

        private static string StatusText(int status) => status switch
        {
            408 => "408",
            429 => "429",
            500 => "500",
            502 => "502",
            503 => "503",
            504 => "504",
            _ => status.ToString(CultureInfo.InvariantCulture),
        };
    }
}
