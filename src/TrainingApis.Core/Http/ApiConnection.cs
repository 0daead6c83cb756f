using System.Diagnostics;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using TrainingApis.Core.Diagnostics;
using TrainingApis.Core.Json;

namespace TrainingApis.Core.Http;

/// <summary>
/// Sends a client's requests through its pipeline and reads the answers: an error status becomes the matching
/// <see cref="ApiException"/>, a body that is not the expected JSON becomes an <see cref="ApiException"/> too, and every
/// public operation gets a span. Shared by the Symtrain and Senar clients.
/// </summary>
internal sealed class ApiConnection
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };
    private readonly Func<IEnumerable<string?>> _secrets;
    private readonly Func<HttpClient> _httpClient;
    private readonly TimeoutSources _timeouts;

    /// <summary>Creates a connection over <paramref name="httpClient"/>, whose handlers are the client's pipeline.</summary>
    /// <param name="httpClient">The client; its base address is the service's.</param>
    /// <param name="serviceName">The service named in messages, e.g. <c>Symtrain</c>.</param>
    /// <param name="diagnostics">The package's source and meter.</param>
    /// <param name="secrets">Returns the values to mask in anything read from an error body.</param>
    /// <param name="timeProvider">The clock for HTTP-date <c>Retry-After</c> values and the budget of a streamed body.</param>
    public ApiConnection(HttpClient httpClient, string serviceName, ApiDiagnostics? diagnostics = null, Func<IEnumerable<string?>>? secrets = null, TimeProvider? timeProvider = null)
        : this(Fixed(httpClient), serviceName, diagnostics, secrets, timeProvider)
    {
    }

    /// <summary>
    /// Creates a connection that asks <paramref name="httpClient"/> for an HttpClient per operation (from
    /// <c>IHttpClientFactory</c>), so that a long-lived client never pins a handler chain and gets rotated handlers.
    /// </summary>
    /// <param name="httpClient">Returns the HttpClient of the next operation; its handlers are the client's pipeline.</param>
    /// <param name="serviceName">The service named in messages, e.g. <c>Symtrain</c>.</param>
    /// <param name="diagnostics">The package's source and meter.</param>
    /// <param name="secrets">Returns the values to mask in anything read from an error body.</param>
    /// <param name="timeProvider">The clock for HTTP-date <c>Retry-After</c> values and the budget of a streamed body.</param>
    public ApiConnection(Func<HttpClient> httpClient, string serviceName, ApiDiagnostics? diagnostics = null, Func<IEnumerable<string?>>? secrets = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        _httpClient = httpClient;
        ServiceName = serviceName;
        Diagnostics = diagnostics;
        _secrets = secrets ?? (static () => []);
        TimeProvider = timeProvider ?? TimeProvider.System;
        _timeouts = new TimeoutSources(TimeProvider);
    }

    /// <summary>The HTTP client of the next operation (with dependency injection, a new one from the factory each time).</summary>
    public HttpClient HttpClient => _httpClient();

    /// <summary>The service named in messages.</summary>
    public string ServiceName { get; }

    /// <summary>The package's source and meter.</summary>
    public ApiDiagnostics? Diagnostics { get; }

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Serializes <paramref name="value"/> as a UTF-8 JSON body that can be sent again on a retry.</summary>
    public static HttpContent JsonContent<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));
        content.Headers.ContentType = JsonMediaType;
        return content;
    }

    /// <summary>Creates a request for <paramref name="path"/> (relative to the base address) named <paramref name="operation"/>.</summary>
    public static HttpRequestMessage CreateRequest(HttpMethod method, string path, string operation, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        request.Headers.TryAddWithoutValidation("Accept", "application/json"); // A constant: parsed only if something reads it.
        return request.WithOperation(operation);
    }

    /// <summary>Sends the request and reads its JSON answer as <typeparamref name="TResponse"/>.</summary>
    /// <exception cref="ApiException">An error status, or a body that is not the expected JSON.</exception>
    public async Task<TResponse> SendAsync<TResponse>(HttpRequestMessage request, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseType);
        var client = HttpClient;
        using var activity = StartActivity(client, request);
        try
        {
            using var response = await SendCheckedAsync(client, request, activity, cancellationToken).ConfigureAwait(false);
            return await ReadJsonAsync(response, responseType, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            ApiDiagnostics.RecordError(activity, ex);
            throw;
        }
    }

    /// <summary>Sends the request and ignores its body.</summary>
    /// <exception cref="ApiException">An error status.</exception>
    public async Task SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var client = HttpClient;
        using var activity = StartActivity(client, request);
        try
        {
            using var response = await SendCheckedAsync(client, request, activity, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            ApiDiagnostics.RecordError(activity, ex);
            throw;
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/> and yields the rows of its answer as they arrive, without buffering the body. A
    /// body that sends no bytes for the pipeline's <c>AttemptTimeout</c> ends the stream with <see cref="TimeoutException"/>
    /// (the time the caller spends between rows does not count).
    /// </summary>
    /// <exception cref="ApiException">An error status, or a body that is not the expected JSON.</exception>
    internal async IAsyncEnumerable<T> StreamAsync<T>(
        HttpRequestMessage request,
        JsonTypeInfo<T> itemType,
        JsonEnvelope? envelope,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(itemType);
        ApiRequestState.Of(request).Streaming = true; // One options entry for all the pipeline records.
        var client = HttpClient;
        using var activity = StartActivity(client, request);
        var started = TimeProvider.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await SendCheckedAsync(client, request, activity, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            ApiDiagnostics.RecordError(activity, ex);
            throw;
        }

        using (response)
        {
            Stream stream;
            try
            {
                stream = Bound(request, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), started, bodyDeadline: false, cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
                throw ApiErrorMapper.CreateTransportException(request, ServiceName, ex);
            }

            await using var _ = stream.ConfigureAwait(false);
            var rows = JsonRowReader.ReadAsync(stream, itemType, envelope, maxPageBytes: MaxPageBytes(request), cancellationToken: cancellationToken)
                .GetAsyncEnumerator(cancellationToken);
            await using var __ = rows.ConfigureAwait(false);
            while (true)
            {
                T item;
                try
                {
                    if (!await rows.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    item = rows.Current;
                }
                catch (Exception ex) when (IsReadFailure(ex))
                {
                    ApiDiagnostics.RecordError(activity, ex);
                    throw ex is HttpRequestException or IOException
                        ? ApiErrorMapper.CreateTransportException(request, ServiceName, ex)
                        : ApiErrorMapper.CreateInvalidResponseException(response, ServiceName, $"a JSON list of {typeof(T).Name}", ex);
                }

                yield return item;
            }
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/> and adds the rows of its answer to <paramref name="rows"/> as they arrive, without
    /// buffering the body first: the way to collect a list, where <see cref="StreamAsync"/> hands rows over one by one.
    /// Like a buffered call it ends within the pipeline's <c>Timeout</c>, body included, and a body that sends no bytes
    /// for <c>AttemptTimeout</c> ends it too, both with <see cref="TimeoutException"/>.
    /// </summary>
    /// <exception cref="ApiException">An error status, or a body that is not the expected JSON (the rows read before it stay in <paramref name="rows"/>).</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    internal async ValueTask ReadRowsAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> itemType, JsonEnvelope? envelope, List<T> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(itemType);
        ArgumentNullException.ThrowIfNull(rows);
        ApiRequestState.Of(request).Streaming = true; // One options entry for all the pipeline records.
        var client = HttpClient;
        using var activity = StartActivity(client, request);
        try
        {
            var started = TimeProvider.GetTimestamp();
            using var response = await SendCheckedAsync(client, request, activity, cancellationToken).ConfigureAwait(false);
            try
            {
                var stream = Bound(request, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), started, bodyDeadline: true, cancellationToken);
                await using (stream.ConfigureAwait(false))
                {
                    // An envelope page's rows go straight into rows; a bare array's come one by one.
                    var expected = response.Content.Headers.ContentLength;
                    await foreach (var row in JsonRowReader.ReadAsync(stream, itemType, envelope, maxPageBytes: MaxPageBytes(request), pageRows: rows, expectedBytes: expected, cancellationToken: cancellationToken).ConfigureAwait(false))
                    {
                        rows.Add(row);
                    }
                }
            }
            catch (Exception ex) when (IsReadFailure(ex))
            {
                throw ex is HttpRequestException or IOException
                    ? ApiErrorMapper.CreateTransportException(request, ServiceName, ex)
                    : ApiErrorMapper.CreateInvalidResponseException(response, ServiceName, $"a JSON list of {typeof(T).Name}", ex);
            }
        }
        catch (Exception ex)
        {
            ApiDiagnostics.RecordError(activity, ex);
            throw;
        }
    }

    /// <summary>Reads a successful response's JSON body as <typeparamref name="T"/>.</summary>
    /// <exception cref="ApiException">The body is empty or not the expected JSON.</exception>
    public async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(typeInfo);
        try
        {
            T? value;
            if (response.Content is BufferedContent buffered)
            {
                // Already in memory (the pipeline buffers every answer that is not streamed): one synchronous parse.
                var body = buffered.Body.Span;
                var json = JsonReadFailure.JsonOf(body);

                // Said as the list readers say it, not as "invalid JSON at line 1, byte 1".
                if (json.IsEmpty)
                {
                    throw new JsonException("The JSON response is empty.");
                }

                if (!System.Text.Unicode.Utf8.IsValid(body))
                {
                    // The serializer checks only the text it decodes: a skipped field or a JsonElement would pass.
                    throw new JsonException("The response is not valid UTF-8 text.");
                }

                value = JsonSerializer.Deserialize(json, typeInfo);
            }
            else
            {
                var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    value = await JsonSerializer.DeserializeAsync(stream, typeInfo, cancellationToken).ConfigureAwait(false);
                }
            }

            return value ?? throw ApiErrorMapper.CreateInvalidResponseException(response, ServiceName, $"a JSON {JsonReadFailure.Name(typeof(T))} (it was null)", null);
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            throw ex is HttpRequestException or IOException
                ? ApiErrorMapper.CreateTransportException(response.RequestMessage, ServiceName, ex)
                : ApiErrorMapper.CreateInvalidResponseException(response, ServiceName, $"a JSON {JsonReadFailure.Name(typeof(T))}", ex);
        }
    }

    // An envelope page is read whole: it is bounded like a buffered body.
    private static long MaxPageBytes(HttpRequestMessage request) =>
        ApiRequestState.Find(request)?.Budget is { } options ? options.MaxResponseBufferSize : long.MaxValue;

    private static bool IsReadFailure(Exception ex) =>
        ex is JsonException or InvalidOperationException or FormatException or OverflowException or ArgumentException
            or NotSupportedException or HttpRequestException or IOException or InsufficientExecutionStackException
            && ex is not ObjectDisposedException;

    // Pooled: every call runs it, and its state machine would otherwise be a new object each time.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<HttpResponseMessage> SendCheckedAsync(HttpClient client, HttpRequestMessage request, Activity? activity, CancellationToken cancellationToken)
    {
        var started = TimeProvider.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            RecordResendCount(activity, request);
        }

        ApiDiagnostics.RecordStatus(activity, response.StatusCode);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var secrets = request.GetSecrets() is { Count: > 0 } own ? _secrets().Concat(own) : _secrets();

            // A streamed request's error body was not read within its attempt: bound it like any body.
            var options = request.IsStreaming() ? ApiRequestState.Find(request)?.Budget : null;
            var idle = options?.AttemptTimeout ?? Timeout.InfiniteTimeSpan;
            using var budget = _timeouts.Start(idle, cancellationToken);
            ApiException exception;
            try
            {
                exception = await ApiErrorMapper.CreateExceptionAsync(response, ServiceName, secrets, TimeProvider, budget.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (budget.TimedOut)
            {
                throw new TimeoutException(
                    TimeoutMessage.Create(
                        ServiceName,
                        request,
                        TimeProvider.GetElapsedTime(started),
                        $"the body of its {(int)response.StatusCode} answer did not arrive within AttemptTimeout ({TimeoutMessage.Seconds(idle)})",
                        options,
                        "AttemptTimeout"),
                    ex);
            }
            catch (OperationCanceledException ex) when (ex.CancellationToken != cancellationToken && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(ex.Message, ex, cancellationToken);
            }

            throw exception;
        }
    }

    private static void RecordResendCount(Activity? activity, HttpRequestMessage request)
    {
        // OpenTelemetry's http.request.resend_count: the attempts after the first (retries and the replay after a 401).
        var attempts = AttemptHandler.GetAttemptCount(request);
        if (activity is not null && attempts > 1)
        {
            activity.SetTag("http.request.resend_count", attempts - 1);
        }
    }

    private Activity? StartActivity(HttpClient client, HttpRequestMessage request) => Diagnostics?.StartRequest(request, client.BaseAddress);

    private static Func<HttpClient> Fixed(HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        return () => httpClient;
    }

    /// <summary>
    /// Bounds the read of a streamed body by the options of its call (read once by the call handler, so reloaded options
    /// apply to the next call): every read by <c>AttemptTimeout</c>, and, with <paramref name="bodyDeadline"/> (a
    /// collected list; not a stream), the whole body by what is left of <c>Timeout</c> since the call began at
    /// <paramref name="started"/> (a timestamp).
    /// </summary>
    private Stream Bound(HttpRequestMessage request, Stream body, long started, bool bodyDeadline, CancellationToken cancellationToken)
    {
        if (ApiRequestState.Find(request)?.Budget is not { } options)
        {
            return body; // Not sent through the SDK's pipeline: nothing to bound it by.
        }

        var deadline = !bodyDeadline || options.Timeout == Timeout.InfiniteTimeSpan
            ? Timeout.InfiniteTimeSpan
            : options.Timeout - TimeProvider.GetElapsedTime(started);
        if (options.AttemptTimeout == Timeout.InfiniteTimeSpan && deadline == Timeout.InfiniteTimeSpan)
        {
            return body;
        }

        return new BoundedReadStream(body, _timeouts, request, ServiceName, options, started, deadline, cancellationToken);
    }
}
