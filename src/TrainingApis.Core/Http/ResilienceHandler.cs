using System.Diagnostics;
using System.Net;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using TrainingApis.Core.Diagnostics;

namespace TrainingApis.Core.Http;

/// <summary>
/// The outer handler of the pipeline: a total timeout around Polly.Core retries. Retries 408, 429, 5xx and
/// transient network failures with exponential backoff and jitter, or the server's <c>Retry-After</c> (capped, and
/// never past the total budget). A request marked non-idempotent is retried only when it provably was not processed.
/// Caller cancellation surfaces as <see cref="OperationCanceledException"/>, a timeout as <see cref="TimeoutException"/>,
/// a failure without a usable response as <see cref="ApiException"/>.
/// </summary>
public sealed class ResilienceHandler : DelegatingHandler
{
    private static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("TrainingApis.Request");
    private static readonly ResiliencePropertyKey<long> StartedKey = new("TrainingApis.Started");
    private static readonly ResiliencePropertyKey<TimeSpan> DelayKey = new("TrainingApis.Delay");
    private static readonly ResiliencePropertyKey<string> ReasonKey = new("TrainingApis.Reason");

    private readonly ApiPipelineSettings _settings;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly TimeSpan _timeout;
    private readonly TimeoutSources _timeouts;

    /// <summary>Creates the handler.</summary>
    public ResilienceHandler(ApiPipelineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        var options = settings.Options;
        _timeout = options.Timeout;
        _timeouts = new TimeoutSources(settings.TimeProvider);
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = settings.TimeProvider };
        if (options.Retry.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.Retry.MaxRetries,
                ShouldHandle = args => new ValueTask<bool>(ShouldRetry(args.Context, args.Outcome, args.AttemptNumber)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(args.Context.Properties.GetValue(DelayKey, TimeSpan.Zero)),
                OnRetry = args =>
                {
                    OnRetry(args.Context, args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            });
        }

        _pipeline = builder.Build();
    }

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        // The total timeout is a timer on the call's own token, around the retries, as Polly's timeout strategy does it
        // but without a pipeline stage of its own: this runs for every call. The source is reused by later calls.
        using var timeout = _timeouts.Start(_timeout, cancellationToken);
        var context = ResilienceContextPool.Shared.Get(timeout.Token);
        context.Properties.Set(RequestKey, request);
        context.Properties.Set(StartedKey, _settings.TimeProvider.GetTimestamp());
        Outcome<HttpResponseMessage> outcome;
        try
        {
            outcome = await _pipeline.ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    try
                    {
                        return Outcome.FromResult(await state.handler.SendCoreAsync(state.request, ctx.CancellationToken).ConfigureAwait(false));
                    }
                    catch (Exception ex)
                    {
                        return Outcome.FromException<HttpResponseMessage>(ex);
                    }
                },
                context,
                (handler: this, request)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        if (outcome.Exception is null)
        {
            return outcome.Result!;
        }

        var exception = outcome.Exception;
        Log.GaveUp(_settings.Logger, _settings.ServiceName, request.Method.Method, request.GetSafePath(), AttemptHandler.GetAttemptCount(request), exception.GetType().Name);
        cancellationToken.ThrowIfCancellationRequested();
        throw exception switch
        {
            OperationCanceledException when timeout.TimedOut => TimedOut(request, _timeout, exception),
            TimeoutRejectedException attempt => TimedOut(request, attempt.Timeout, attempt),
            HttpRequestException or IOException or OperationCanceledException => ApiErrorMapper.CreateTransportException(request, _settings.ServiceName, exception),
            _ => Rethrow(exception),
        };
    }

    private TimeoutException TimedOut(HttpRequestMessage request, TimeSpan timeout, Exception cause) =>
        new($"{_settings.ServiceName} {request.Method} {request.GetSafePath()} did not complete within {timeout} ({AttemptHandler.GetAttemptCount(request)} attempt(s)). Raise Timeout or AttemptTimeout if the service is slow.", cause);

    private static Exception Rethrow(Exception exception)
    {
        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(exception);
        return exception;
    }

    private Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);

    private bool ShouldRetry(ResilienceContext context, Outcome<HttpResponseMessage> outcome, int attemptNumber)
    {
        if (context.CancellationToken.IsCancellationRequested || !context.Properties.TryGetValue(RequestKey, out var request))
        {
            return false;
        }

        var nonIdempotent = request.IsNonIdempotent();
        TimeSpan? retryAfter = null;
        string reason;
        if (outcome.Exception is { } exception)
        {
            switch (exception)
            {
                case HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError }:
                    reason = "connection failure"; // Nothing reached the server: safe for any request.
                    break;
                case HttpRequestException { HttpRequestError: HttpRequestError.ConfigurationLimitExceeded or HttpRequestError.UserAuthenticationError }:
                    return false;
                case HttpRequestException or IOException or TimeoutRejectedException or OperationCanceledException when !nonIdempotent:
                    reason = exception.GetType().Name;
                    break;
                default:
                    return false; // ApiException (too large, quota queue full), argument errors, or a request whose fate is unknown.
            }
        }
        else
        {
            var response = outcome.Result!;
            var status = response.StatusCode;
            if (status == HttpStatusCode.TooManyRequests)
            {
                // A 429 means the server did not process the request: safe for any request.
                retryAfter = ApiErrorMapper.GetRetryAfter(response, _settings.TimeProvider);
            }
            else if (ApiErrorMapper.IsTransientStatus(status) && !nonIdempotent)
            {
                retryAfter = status == HttpStatusCode.ServiceUnavailable ? ApiErrorMapper.GetRetryAfter(response, _settings.TimeProvider) : null;
            }
            else
            {
                return false;
            }

            reason = ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var retry = _settings.Options.Retry;
        var delay = retryAfter is { } serverDelay
            ? (serverDelay > retry.MaxRetryAfter ? retry.MaxRetryAfter : serverDelay)
            : Backoff(retry, attemptNumber);

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

    private TimeSpan Backoff(RetryOptions retry, int attemptNumber)
    {
        // Exponential with "equal jitter": half fixed, half random, so retries of many clients spread out.
        var exponential = retry.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attemptNumber, 30));
        var capped = Math.Min(exponential, retry.MaxDelay.TotalMilliseconds);
        var jitter = _settings.Jitter?.Invoke() ?? Random.Shared.NextDouble();
        return TimeSpan.FromMilliseconds((capped / 2) + (capped / 2 * jitter));
    }

    private TimeSpan RemainingBudget(ResilienceContext context)
    {
        var total = _settings.Options.Timeout;
        if (total == Timeout.InfiniteTimeSpan)
        {
            return TimeSpan.MaxValue;
        }

        var started = context.Properties.GetValue(StartedKey, 0L);
        return total - _settings.TimeProvider.GetElapsedTime(started);
    }

    private void OnRetry(ResilienceContext context, int retry, TimeSpan delay)
    {
        if (!context.Properties.TryGetValue(RequestKey, out var request))
        {
            return;
        }

        var reason = context.Properties.GetValue(ReasonKey, "unknown");
        _settings.Diagnostics?.Retries.Add(1, new TagList { { "operation", request.GetOperation() }, { "reason", reason } });
        _settings.Diagnostics?.AddEvent("trainingapis.retry", new TagList { { "trainingapis.retry.number", retry }, { "trainingapis.retry.reason", reason }, { "trainingapis.retry.delay_ms", delay.TotalMilliseconds } });
        Log.Retrying(_settings.Logger, _settings.ServiceName, request.Method.Method, request.GetSafePath(), retry, delay.TotalMilliseconds, reason);
    }
}
