using System.Diagnostics;
using TrainingApis.Core.Diagnostics;

namespace TrainingApis.Core.Http;

/// <summary>Takes a permit of the client-side quota for every attempt, retries and replays included.</summary>
public sealed class QuotaHandler : DelegatingHandler
{
    private readonly ApiPipelineSettings _settings;

    /// <summary>Creates the handler.</summary>
    public QuotaHandler(ApiPipelineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
    }

    /// <inheritdoc/>
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Without a quota the request passes straight through, without a state machine of its own.
        var limiter = _settings.Quota?.Invoke();
        return limiter is null ? base.SendAsync(request, cancellationToken) : SendWithinQuotaAsync(limiter, request, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendWithinQuotaAsync(RateLimiting.QuotaLimiter limiter, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var time = _settings.TimeProvider;
        var started = time.GetTimestamp();
        RateLimiting.QuotaLease lease;
        try
        {
            lease = await limiter.AcquireAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ApiRateLimitException)
        {
            _settings.Diagnostics?.QuotaRejections.Add(1, new TagList { { ApiDiagnostics.OperationTag, request.GetOperation() } });
            _settings.Diagnostics?.AddEvent("trainingapis.quota.rejected", default);
            Log.QuotaRejected(_settings.Logger, _settings.ServiceName, request.Method.Method, request.GetSafePath());
            throw;
        }

        var waited = time.GetElapsedTime(started);
        if (waited > TimeSpan.Zero)
        {
            _settings.Diagnostics?.QuotaWait.Record(waited.TotalSeconds, new TagList { { ApiDiagnostics.OperationTag, request.GetOperation() } });
            _settings.Diagnostics?.AddEvent("trainingapis.quota.wait", new TagList { { "trainingapis.quota.wait_ms", waited.TotalMilliseconds } });
            Log.QuotaWaited(_settings.Logger, _settings.ServiceName, request.Method.Method, request.GetSafePath(), waited.TotalMilliseconds);
        }

        if (cancellationToken.IsCancellationRequested)
        {
            // Granted as the caller gave up: nothing was sent, so the permit goes back whole.
            lease.ReturnUnused();
            cancellationToken.ThrowIfCancellationRequested();
        }

        using (lease)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }
}
