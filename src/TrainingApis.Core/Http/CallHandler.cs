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
        request.SetResilienceContext(context);
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            Log.GaveUp(settings.Logger, settings.ServiceName, request.Method.Method, request.GetSafePath(), AttemptHandler.GetAttemptCount(request), exception.GetType().Name);
            cancellationToken.ThrowIfCancellationRequested();
            switch (exception)
            {
                case TimeoutRejectedException timeout:
                    throw new TimeoutException(DescribeTimeout(request, state, context), timeout);
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

    /// <summary>The time the call took, which of the call's timeouts ended it, and the settings that bounded it.</summary>
    private string DescribeTimeout(HttpRequestMessage request, ApiRequestState state, ResilienceContext context)
    {
        var elapsed = settings.TimeProvider.GetElapsedTime(state.Started ?? 0L);
        var attempts = state.Attempts;
        if (context.Properties.GetValue(ApiResilience.TimedOutKey, ApiResilience.TotalTimeoutStrategyName) == ApiResilience.AttemptTimeoutStrategyName)
        {
            var which = attempts <= 1 ? "its only attempt" : $"the last of its {attempts} attempts";
            return TimeoutMessage.Create(
                settings.ServiceName,
                request,
                elapsed,
                $"{which} reached AttemptTimeout before the response (headers and body) arrived",
                settings.Options,
                "AttemptTimeout");
        }

        var during = attempts == 0 ? "before its first attempt was sent (waiting for the quota or a login)" : $"after {attempts} attempt(s)";
        return TimeoutMessage.Create(
            settings.ServiceName,
            request,
            elapsed,
            $"the call's Timeout ran out {during}",
            settings.Options,
            "Timeout");
    }
}
