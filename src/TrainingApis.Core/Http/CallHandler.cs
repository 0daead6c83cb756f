using System.Net.Http;
using Polly;
using Polly.Timeout;
using TrainingApis.Core.Diagnostics;

namespace TrainingApis.Core.Http;

/// <summary>
/// The SDK's outermost handler, above the library's resilience handler: records when the call began (the retry budget
/// is measured from there), gives the call one <see cref="ResilienceContext"/> that the resilience handler and the
/// attempt handler share (each timeout records there whether it ended the call), and turns what the pipeline throws into
/// the SDK's exceptions: a timeout into <see cref="TimeoutException"/>, a network failure without a usable response into a transient
/// <see cref="ApiException"/>; the caller's cancellation stays an <see cref="OperationCanceledException"/>.
/// </summary>
internal sealed class CallHandler(ApiPipelineSettings settings) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var state = ApiRequestState.Of(request);
        state.Started = settings.TimeProvider.GetTimestamp();
        var context = ResilienceContextPool.Shared.Get(cancellationToken);

        // Read once per call: every strategy, handler and the body read of this call see the same (possibly reloaded) options.
        var options = settings.Current;
        state.Budget = options;
        request.SetResilienceContext(context);
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (ApiResilience.IsRetriedStatus(response.StatusCode, request.IsNonIdempotent()) && settings.Logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Warning))
            {
                // The retries ended on a status the SDK retries (used up, or no time left in the budget): warn, as for an exception.
                // The reason phrase is the server's free text, which may echo the request's credentials: masked, then cut as
                // in the exception's message.
                var reason = ApiErrorMapper.Shorten(SecretMasker.Mask(response.ReasonPhrase ?? response.StatusCode.ToString(), SecretMasker.SecretsOf(request)));
                Log.GaveUp(settings.Logger, settings.ServiceName, request.Method.Method, request.GetSafePath(), state.Attempts, $"{(int)response.StatusCode} {reason}");
            }

            return response;
        }
        catch (Exception exception)
        {
            Log.GaveUp(settings.Logger, settings.ServiceName, request.Method.Method, request.GetSafePath(), state.Attempts, exception.GetType().Name);
            cancellationToken.ThrowIfCancellationRequested();
            switch (exception)
            {
                case TimeoutRejectedException timeout:
                    throw new TimeoutException(DescribeTimeout(request, state, context, options) + OutcomeOf(request, state), timeout);
                case HttpRequestException or IOException or OperationCanceledException:
                    throw ApiErrorMapper.CreateTransportException(request, settings.ServiceName, exception);
                default:
                    throw;
            }
        }
        finally
        {
            request.SetResilienceContext(null);
            ResilienceContextPool.Shared.Return(context);
        }
    }

    // A request that is not idempotent (an upload) and was sent may have been processed: as for a lost connection, the
    // message says to check before sending it again.
    private static string? OutcomeOf(HttpRequestMessage request, ApiRequestState state) =>
        request.IsNonIdempotent() && state.Attempts >= 1 ? " " + ApiErrorMapper.OutcomeUnknown : null;

    /// <summary>The time the call took, which of the call's timeouts ended it, and the settings that bounded it.</summary>
    private string DescribeTimeout(HttpRequestMessage request, ApiRequestState state, ResilienceContext context, ApiClientOptions options)
    {
        var elapsed = settings.TimeProvider.GetElapsedTime(state.Started ?? 0L);
        var attempts = state.Attempts;
        if (context.Properties.GetValue(ApiResilience.TimedOutKey, ApiResilience.TotalTimeoutStrategyName) == ApiResilience.AttemptTimeoutStrategyName)
        {
            var which = attempts <= 1 ? "its only attempt" : $"the last of its {attempts} attempts";
            var notMade = TimeoutMessage.AttemptsNotMade(request, attempts, options, attemptTimedOut: true) is { } made ? "; " + made : null;
            return TimeoutMessage.Create(
                settings.ServiceName,
                request,
                elapsed,
                $"{which} reached AttemptTimeout before the response (headers and body) arrived{notMade}",
                options,
                "AttemptTimeout");
        }

        var during = attempts == 0 ? "before its first attempt was sent (waiting for the quota or a login)"
            : TimeoutMessage.AttemptsNotMade(request, attempts, options, attemptTimedOut: false) is { } fewer ? "with " + fewer
            : $"after {attempts} attempt(s)";
        return TimeoutMessage.Create(
            settings.ServiceName,
            request,
            elapsed,
            $"the call's Timeout ran out {during}",
            options,
            "Timeout");
    }
}
