using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using TrainingApis.Core;
using TrainingApis.Core.Diagnostics;
using TrainingApis.Core.Http;
using TrainingApis.Core.Json;

namespace Symtrain.Client.Internal;

/// <summary>What the three sub-clients share: the connection, the current options and the clock.</summary>
internal sealed class SymtrainTransport
{
    public const string ServiceName = "Symtrain";

    private readonly Func<SymtrainClientOptions> _options;

    /// <param name="httpClient">Returns the HttpClient of the next operation (one per operation through dependency injection).</param>
    /// <param name="options">Returns the options in force.</param>
    /// <param name="timeProvider">The clock.</param>
    public SymtrainTransport(Func<HttpClient> httpClient, Func<SymtrainClientOptions> options, TimeProvider timeProvider)
    {
        _options = options;
        TimeProvider = timeProvider;
        Connection = new ApiConnection(httpClient, ServiceName, SymtrainDiagnostics.Instance, Secrets, timeProvider);
    }

    public ApiConnection Connection { get; }

    /// <summary>The options in force now (read per call, so changes through <c>IOptionsMonitor</c> apply).</summary>
    public SymtrainClientOptions Options => _options();

    public TimeProvider TimeProvider { get; }

    /// <summary>Creates a <c>POST</c> of <paramref name="body"/> as JSON to <paramref name="path"/>.</summary>
    public static HttpRequestMessage CreatePost<TBody>(string path, string operation, TBody body, JsonTypeInfo<TBody> bodyType) =>
        CreatePost(path, operation, ApiConnection.JsonContent(body, bodyType));

    /// <summary>
    /// Creates a <c>POST</c> of <paramref name="content"/> to the vendor's route <paramref name="path"/>
    /// (<c>/v2/…</c>), sent relative to the base address so that a path in it (a gateway's prefix) is kept.
    /// </summary>
    public static HttpRequestMessage CreatePost(string path, string operation, HttpContent content) =>
        ApiConnection.CreateRequest(HttpMethod.Post, path.TrimStart('/'), operation, content);

    /// <summary>Posts <paramref name="body"/> and reads the answer as <typeparamref name="T"/>.</summary>
    public Task<T> PostAsync<TBody, T>(string path, string operation, TBody body, JsonTypeInfo<TBody> bodyType, JsonTypeInfo<T> responseType, CancellationToken cancellationToken) =>
        PostAsync(null, path, operation, body, bodyType, responseType, cancellationToken);

    /// <summary>
    /// Posts <paramref name="body"/> and reads the answer as <typeparamref name="T"/>; the request is one of the requests
    /// of <paramref name="parent"/> when given (its span becomes a child of the operation's).
    /// </summary>
    public async Task<T> PostAsync<TBody, T>(OperationSpan? parent, string path, string operation, TBody body, JsonTypeInfo<TBody> bodyType, JsonTypeInfo<T> responseType, CancellationToken cancellationToken)
    {
        using var request = CreatePost(path, operation, body, bodyType);
        parent?.Apply(request);
        var answer = await Connection.SendAsync(request, responseType, cancellationToken).ConfigureAwait(false);
        if (answer is JsonElement element)
        {
            CheckText(element, path);
        }

        return answer;
    }

    /// <summary>
    /// Throws an <see cref="ApiException"/> when <paramref name="element"/> holds text that is not valid UTF-8: the
    /// parser lets some through and fails only when the text is read, which would surface later as an
    /// <see cref="InvalidOperationException"/> from the caller's own code.
    /// </summary>
    public void CheckText(JsonElement element, string path)
    {
        try
        {
            _ = element.GetRawText();
        }
        catch (InvalidOperationException ex)
        {
            throw InvalidResponse(path, "valid UTF-8 JSON", ex);
        }
    }

    /// <summary>Posts <paramref name="body"/> and returns the answer as JSON, or null when the body is empty.</summary>
    public async Task<JsonElement?> PostForOptionalJsonAsync<TBody>(string path, string operation, TBody body, JsonTypeInfo<TBody> bodyType, CancellationToken cancellationToken)
    {
        using var request = CreatePost(path, operation, body, bodyType);
        var client = Connection.HttpClient;
        using var activity = SymtrainDiagnostics.Instance.StartRequest(request, client.BaseAddress);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            ApiDiagnostics.RecordStatus(activity, response.StatusCode);
            if (!response.IsSuccessStatusCode)
            {
                throw await ApiErrorMapper.CreateExceptionAsync(response, ServiceName, Secrets(), TimeProvider, cancellationToken).ConfigureAwait(false);
            }

            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var json = JsonReadFailure.JsonOf(bytes);
                if (json.IsEmpty)
                {
                    return null;
                }

                var element = JsonSerializer.Deserialize(json, SymtrainJsonContext.Default.JsonElement);
                CheckText(element, path);
                return element;
            }
            catch (JsonException ex)
            {
                throw ApiErrorMapper.CreateInvalidResponseException(response, ServiceName, "JSON", ex);
            }
        }
        catch (Exception ex)
        {
            ApiDiagnostics.RecordError(activity, ex);
            throw;
        }
    }

    /// <summary>
    /// Reads <paramref name="element"/> as <typeparamref name="T"/>; a mismatch becomes an <see cref="ApiException"/> naming
    /// the kind of problem, the JSON path and <paramref name="row"/> (from 1) when the element is one of a list.
    /// </summary>
    public T Read<T>(JsonElement element, JsonTypeInfo<T> type, string path, int? row = null)
    {
        try
        {
            return element.Deserialize(type) ?? throw new JsonException("The value is null.");
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or NotSupportedException or OverflowException)
        {
            throw InvalidResponse(path, row is null ? $"a JSON {typeof(T).Name}" : $"a JSON list of {typeof(T).Name}", ex, row);
        }
    }

    /// <summary>
    /// An <see cref="ApiException"/> for a response of <paramref name="path"/> that is not what was expected; the message
    /// names the kind of problem, the JSON path and <paramref name="row"/> (from 1) when given.
    /// </summary>
    public ApiException InvalidResponse(string path, string what, Exception? cause, int? row = null)
    {
        var details = new ApiErrorDetails { Method = "POST", RequestUri = Resolve(path) };
        var reason = (cause, row) switch
        {
            (null, _) => string.Empty,
            (_, null) => $" ({TrainingApis.Core.Json.JsonReadFailure.Describe(cause)})",
            _ => $" (row {row}: {TrainingApis.Core.Json.JsonReadFailure.Describe(cause)})",
        };
        return new ApiException($"{ServiceName} POST {path} returned a response that is not {what}{reason}.", details, cause);
    }

    /// <summary>An <see cref="ApiException"/> for a server that keeps answering a listing the same way.</summary>
    public ApiException PagingFailure(string path, string message)
    {
        var details = new ApiErrorDetails { Method = "POST", RequestUri = Resolve(path) };
        return new ApiException($"{ServiceName} POST {path}: {message}", details);
    }

    /// <summary>The address a request to the vendor's route <paramref name="path"/> goes to (relative when no base address is set).</summary>
    public Uri Resolve(string path)
    {
        var relative = new Uri(path.TrimStart('/'), UriKind.Relative);
        return Connection.HttpClient.BaseAddress is { } baseAddress ? new Uri(baseAddress, relative) : relative;
    }

    /// <summary>The values masked in anything the server's answers put into messages: the API key.</summary>
    public IEnumerable<string?> Secrets() => [Options.ApiKey];
}
