using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Polly.Timeout;
using TrainingApis.Core.Diagnostics;

namespace TrainingApis.Core.Http;

/// <summary>
/// The innermost handler of the pipeline, below the quota: bounds each attempt by
/// <see cref="ApiClientOptions.AttemptTimeout"/> (the response's headers and, unless the request streams its response,
/// its body, read into memory within the attempt up to <see cref="ApiClientOptions.MaxResponseBufferSize"/>, so that a
/// body cut short or stalled is retried like any transient failure), counts attempts, and records and logs each one. An
/// attempt that runs out of time fails with Polly's <see cref="TimeoutRejectedException"/>, as the library's timeout
/// strategy would. The options are the call's (<see cref="ApiRequestState.Budget"/>, read once by the call handler, so a
/// reload applies from the next call): the caller bounds a streamed body's read with them too.
/// Redirects are followed or refused here, within the attempt, by the SDK's one rule for them.
/// </summary>
/// <remarks>
/// The attempt timeout is the SDK's own, not a second resilience handler: measured on a one-row report, a
/// <c>ResilienceHandler</c> with a Polly timeout strategy for it cost about 0.5 KB and 1 to 1.5 µs of CPU per call
/// (docs/benchmarks.md, 2026-11-30). Retries and the total timeout stay on Microsoft.Extensions.Http.Resilience.
/// </remarks>
internal sealed class AttemptHandler : DelegatingHandler
{
    private readonly ApiPipelineSettings _settings;
    private readonly TimeoutSources _timeouts;

    /// <summary>Creates the handler.</summary>
    public AttemptHandler(ApiPipelineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _timeouts = new TimeoutSources(settings.TimeProvider);
    }

    /// <summary>The number of attempts made so far for <paramref name="request"/>.</summary>
    public static int GetAttemptCount(HttpRequestMessage request) => ApiRequestState.Find(request)?.Attempts ?? 0;

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var state = ApiRequestState.Of(request);
        var attempt = ++state.Attempts;
        var time = _settings.TimeProvider;
        var started = time.GetTimestamp();
        var options = state.Budget ?? _settings.Current;
        var attemptTimeout = options.AttemptTimeout;
        using var timeout = _timeouts.Start(attemptTimeout, cancellationToken);
        cancellationToken = timeout.Token;

        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (Redirects.IsRedirect(response.StatusCode))
            {
                response = await Redirects.FollowAsync(request, response, _settings.ServiceName, (hop, token) => base.SendAsync(hop, token), cancellationToken).ConfigureAwait(false);
            }

            if (!request.IsStreaming())
            {
                try
                {
                    await BufferAsync(response, options.MaxResponseBufferSize, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    response.Dispose();
                    throw;
                }
            }

            Record(request, attempt, started, (int)response.StatusCode, null);

            // Guarded here, not only inside the logger: the path is a new string per call.
            if (_settings.Logger.IsEnabled(LogLevel.Debug))
            {
                Log.AttemptCompleted(_settings.Logger, _settings.ServiceName, request.Method.Method, request.GetSafePath(), attempt, (int)response.StatusCode, time.GetElapsedTime(started).TotalMilliseconds);
            }

            if (_settings.Logger.IsEnabled(LogLevel.Trace))
            {
                Log.AttemptHeaders(
                    _settings.Logger,
                    _settings.ServiceName,
                    request.Method.Method,
                    request.GetSafePath(),
                    attempt,
                    HeaderAllowList.Format(request.Headers, request.Content?.Headers, SecretMasker.SecretsOf(request)),
                    HeaderAllowList.Format(response.Headers, response.Content?.Headers, SecretMasker.SecretsOf(request), request.HasSecretAnswer()));
            }

            return response;
        }
        catch (Exception ex)
        {
            Record(request, attempt, started, null, ex.GetType().Name);
            Log.AttemptFailed(_settings.Logger, _settings.ServiceName, request.Method.Method, request.GetSafePath(), attempt, time.GetElapsedTime(started).TotalMilliseconds, ex.GetType().Name);
            if (ex is OperationCanceledException && timeout.TimedOut)
            {
                // The call's message names the setting that ended it; the retry strategy retries it like Polly's own.
                request.GetResilienceContext()?.Properties.Set(ApiResilience.TimedOutKey, ApiResilience.AttemptTimeoutStrategyName);
                throw new TimeoutRejectedException(
                    string.Create(CultureInfo.InvariantCulture, $"The attempt didn't complete within AttemptTimeout ({TimeoutMessage.Seconds(attemptTimeout)})."),
                    attemptTimeout,
                    ex);
            }

            throw;
        }
    }

    private async Task BufferAsync(HttpResponseMessage response, long max, CancellationToken cancellationToken)
    {
        var content = response.Content;
        if (content is null)
        {
            return;
        }

        if (content.Headers.ContentLength is { } declared && declared > max)
        {
            throw TooLarge(response, max);
        }

        using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        byte[] body;
        int length;
        if (content.Headers.ContentLength is { } declaredLength)
        {
            // The usual case: read straight into a buffer of the declared size (a short body is an IOException).
            body = new byte[declaredLength];
            await stream.ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false);
            length = body.Length;
        }
        else
        {
            (body, length) = await ReadUnknownLengthAsync(response, stream, max, cancellationToken).ConfigureAwait(false);
        }

        var buffered = new BufferedContent(body, length);
        foreach (var header in content.Headers)
        {
            buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = buffered;
        content.Dispose();
    }

    private async Task<(byte[] Body, int Length)> ReadUnknownLengthAsync(HttpResponseMessage response, Stream stream, long max, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > max)
                {
                    throw TooLarge(response, max);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }

        return (buffer.GetBuffer(), (int)buffer.Length);
    }

    private ApiException TooLarge(HttpResponseMessage response, long max) =>
        new(
            $"{_settings.ServiceName} {response.RequestMessage?.Method} {response.RequestMessage?.GetSafePath()} returned a body larger than the {max} bytes allowed by MaxResponseBufferSize; raise it or use a streaming call.",
            new ApiErrorDetails
            {
                StatusCode = response.StatusCode,
                RequestId = ApiErrorMapper.GetRequestId(response),
                Method = response.RequestMessage?.Method.Method,
                RequestUri = ApiErrorMapper.StripQuery(response.RequestMessage?.RequestUri),
            });

    private void Record(HttpRequestMessage request, int attempt, long started, int? status, string? errorType)
    {
        var diagnostics = _settings.Diagnostics;
        if (diagnostics is null || !(diagnostics.Requests.Enabled || diagnostics.RequestDuration.Enabled))
        {
            return;
        }

        var tags = new TagList
        {
            { ApiDiagnostics.OperationTag, request.GetOperation() },
            { "http.request.method", request.Method.Method },
            { "http.response.status_code", status is { } code ? StatusText(code) : "error" },
        };
        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        if (attempt > 1)
        {
            tags.Add(ApiDiagnostics.RetryTag, true);
        }

        diagnostics.Requests.Add(1, tags);
        diagnostics.RequestDuration.Record(_settings.TimeProvider.GetElapsedTime(started).TotalSeconds, tags);
    }

    private static string StatusText(int status) => status switch
    {
        200 => "200",
        201 => "201",
        204 => "204",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
