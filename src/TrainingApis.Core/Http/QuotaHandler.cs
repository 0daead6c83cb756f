using System.Diagnostics;
using System.Globalization;
using System.Threading.RateLimiting;
using TrainingApis.Core.Diagnostics;
using TrainingApis.Core.RateLimiting;
using RateLimiter = System.Threading.RateLimiting.RateLimiter;

namespace TrainingApis.Core.Http;

/// <summary>
/// Takes a permit of the quota's <see cref="RateLimiter"/> for every attempt, retries and replays included, and holds it
/// until the response is read: disposing the lease marks the request completed. A refused lease becomes
/// <see cref="ApiRateLimitException"/> (<see cref="ApiRateLimitException.IsLocal"/>, with the lease's
/// <see cref="MetadataName.RetryAfter"/>), whichever limiter refused it — the SDK's <see cref="QuotaLimiter"/> or a user's.
/// </summary>
internal sealed class QuotaHandler : DelegatingHandler
{
    private readonly ApiPipelineSettings _settings;

    /// <summary>Creates the handler.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="settings"/> is null.</exception>
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

    private async Task<HttpResponseMessage> SendWithinQuotaAsync(RateLimiter limiter, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (limiter is QuotaLimiter quota)
        {
            ReportConflicts(quota);
        }

        var time = _settings.TimeProvider;
        var started = time.GetTimestamp();
        RateLimitLease lease;
        bool queued;
        try
        {
            // A lease granted (or refused) at once comes back completed: only a queued request waited.
            var pending = limiter.AcquireAsync(1, cancellationToken);
            queued = !pending.IsCompleted;
            lease = await pending.ConfigureAwait(false);
        }
        catch (ApiRateLimitException)
        {
            // A limiter may refuse by throwing the SDK's own exception (a shared quota that gave up, say).
            RecordRejection(request);
            throw;
        }

        if (!lease.IsAcquired)
        {
            using (lease)
            {
                RecordRejection(request);
                throw CreateRejection(lease);
            }
        }

        if (queued)
        {
            var waited = time.GetElapsedTime(started);
            _settings.Diagnostics?.QuotaWait.Record(waited.TotalSeconds, new TagList { { ApiDiagnostics.OperationTag, request.GetOperation() } });
            _settings.Diagnostics?.AddEvent("trainingapis.quota.wait", new TagList { { "trainingapis.quota.wait_ms", waited.TotalMilliseconds } });
            Log.QuotaWaited(_settings.Logger, _settings.ServiceName, request.Method.Method, request.GetSafePath(), waited.TotalMilliseconds);
        }

        if (cancellationToken.IsCancellationRequested)
        {
            // Granted as the caller gave up: nothing was sent, so the SDK's permit goes back whole (another limiter's
            // lease can only be disposed).
            if (lease is QuotaLease unused)
            {
                unused.ReturnUnused();
            }
            else
            {
                lease.Dispose();
            }

            cancellationToken.ThrowIfCancellationRequested();
        }

        using (lease)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    private ApiRateLimitException CreateRejection(RateLimitLease lease)
    {
        TimeSpan? retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : null;
        var because = lease.TryGetMetadata(MetadataName.ReasonPhrase, out var reason) && !string.IsNullOrWhiteSpace(reason)
            ? ": " + reason.TrimEnd('.') + "."
            : retryAfter is { } after ? string.Create(CultureInfo.InvariantCulture, $". Try again in about {after}.") : ".";
        return new ApiRateLimitException($"The quota limiter of the {_settings.ServiceName} client refused the request{because}", retryAfter);
    }

    private void RecordRejection(HttpRequestMessage request)
    {
        _settings.Diagnostics?.QuotaRejections.Add(1, new TagList { { ApiDiagnostics.OperationTag, request.GetOperation() } });
        _settings.Diagnostics?.AddEvent("trainingapis.quota.rejected", default);
        Log.QuotaRejected(_settings.Logger, _settings.ServiceName, request.Method.Method, request.GetSafePath());
    }

    private void ReportConflicts(QuotaLimiter quota)
    {
        while (quota.TryTakeConflict(out var conflict))
        {
            QuotaLog.DifferentLimits(
                _settings.Logger,
                _settings.ServiceName,
                conflict.Partition,
                conflict.InForce.ToString(),
                conflict.Requested.ToString(),
                conflict.Applied.ToString());
        }
    }
}
