using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Polly;
using TrainingApis.Core.Diagnostics;

namespace TrainingApis.Core.Http;

/// <summary>
/// The innermost handler of the pipeline: bounds one attempt by <see cref="ApiClientOptions.AttemptTimeout"/> and, unless
/// the request streams its response, reads the body into memory within that attempt (up to
/// <see cref="ApiClientOptions.MaxResponseBufferSize"/>), so that a body cut short is retried like any transient failure.
/// </summary>
public sealed class AttemptHandler : DelegatingHandler
{
    private static readonly HttpRequestOptionsKey<int> AttemptKey = new("TrainingApis.Attempt");
    private static readonly object[] BoxedAttempts = [.. Enumerable.Range(0, 16).Select(static n => (object)n)];
    private readonly ApiPipelineSettings _settings;
    private readonly ResiliencePipeline _timeout;

    /// <summary>Creates the handler.</summary>
    public AttemptHandler(ApiPipelineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        var builder = new ResiliencePipelineBuilder { TimeProvider = settings.TimeProvider };
        if (settings.Options.AttemptTimeout != Timeout.InfiniteTimeSpan)
        {
            builder.AddTimeout(settings.Options.AttemptTimeout);
        }

        _timeout = builder.Build();
    }

    /// <summary>The number of attempts made so far for <paramref name="request"/>.</summary>
    public static int GetAttemptCount(HttpRequestMessage request) =>
        request is not null && request.Options.TryGetValue(AttemptKey, out var attempt) ? attempt : 0;

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var attempt = GetAttemptCount(request) + 1;
        ApiRequest.Options(request)[AttemptKey.Key] = attempt < BoxedAttempts.Length ? BoxedAttempts[attempt] : attempt;
        var time = _settings.TimeProvider;
        var started = time.GetTimestamp();
        try
        {
            var response = await _timeout.ExecuteAsync(
                static async (state, token) =>
                {
                    var (handler, request) = state;
                    var response = await handler.SendCoreAsync(request, token).ConfigureAwait(false);
                    if (request.IsStreaming())
                    {
                        return response;
                    }

                    try
                    {
                        await handler.BufferAsync(response, token).ConfigureAwait(false);
                        return response;
                    }
                    catch
                    {
                        response.Dispose();
                        throw;
                    }
                },
                (this, request),
                cancellationToken).ConfigureAwait(false);

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
                    HeaderAllowList.Format(request.Headers, request.Content?.Headers),
                    HeaderAllowList.Format(response.Headers, response.Content?.Headers));
            }

            return response;
        }
        catch (Exception ex)
        {
            Record(request, attempt, started, null, ex.GetType().Name);
            Log.AttemptFailed(_settings.Logger, _settings.ServiceName, request.Method.Method, request.GetSafePath(), attempt, time.GetElapsedTime(started).TotalMilliseconds, ex.GetType().Name);
            throw;
        }
    }

    private Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);

    private async Task BufferAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var content = response.Content;
        if (content is null)
        {
            return;
        }

        var max = _settings.Options.MaxResponseBufferSize;
        if (content.Headers.ContentLength is { } declared && declared > max)
        {
            throw TooLarge(response, max);
        }

        using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var capacity = (int)Math.Min(content.Headers.ContentLength ?? 4096, max);
        var buffer = new MemoryStream(Math.Max(capacity, 0));
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > max)
            {
                throw TooLarge(response, max);
            }

            buffer.Write(chunk, 0, read);
        }

        var buffered = new ByteArrayContent(buffer.GetBuffer(), 0, (int)buffer.Length);
        foreach (var header in content.Headers)
        {
            buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = buffered;
        content.Dispose();
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
            { "operation", request.GetOperation() },
            { "http.request.method", request.Method.Method },
            { "http.response.status_code", status is { } code ? StatusText(code) : "error" },
        };
        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        if (attempt > 1)
        {
            tags.Add("retry", true);
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
