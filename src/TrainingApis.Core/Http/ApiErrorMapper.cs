using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace TrainingApis.Core.Http;

/// <summary>
/// Turns a failed <see cref="HttpResponseMessage"/> into the matching member of the <see cref="ApiException"/> family.
/// Never throws anything else, whatever the body holds (JSON of any shape, HTML, nothing).
/// </summary>
internal static class ApiErrorMapper
{
    /// <summary>How many characters of the body an exception keeps.</summary>
    public const int MaxBodyChars = 4096;

    // Enough to parse a usual error document; anything longer is not an error body worth parsing.
    private const int MaxBodyBytesRead = 64 * 1024;

    /// <summary>The sentence ending the message of a non-idempotent request that may have been processed.</summary>
    public const string OutcomeUnknown = "Its outcome is unknown: the server may have received and processed it. Do not send it again before checking " +
        "whether it took effect (for a bulk import, the users or the import status).";

    private static readonly string[] RequestIdHeaders =
        ["x-request-id", "request-id", "x-correlation-id", "x-amzn-requestid", "x-amz-request-id", "x-ms-request-id", "cf-ray"];

    /// <summary>
    /// Reads the response and builds the exception for it: 401/403 <see cref="ApiAuthenticationException"/>, 404
    /// <see cref="ApiNotFoundException"/>, 400/422 <see cref="ApiValidationException"/>, 429
    /// <see cref="ApiRateLimitException"/>, anything else <see cref="ApiException"/>.
    /// </summary>
    /// <param name="response">The failed response. Its body is read; the response is not disposed.</param>
    /// <param name="serviceName">The service named in the message, e.g. <c>Symtrain</c>.</param>
    /// <param name="secrets">Values masked wherever they appear in the body (API keys, passwords, tokens).</param>
    /// <param name="timeProvider">The clock for an HTTP-date <c>Retry-After</c>; the system clock when null.</param>
    /// <param name="cancellationToken">Cancels reading the body.</param>
    public static async Task<ApiException> CreateExceptionAsync(
        HttpResponseMessage response,
        string serviceName,
        IEnumerable<string?>? secrets = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        string body;
        try
        {
            body = await ReadBodyPrefixAsync(response, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or InvalidOperationException or ObjectDisposedException)
        {
            body = string.Empty; // A body that cannot be read does not hide the status.
        }

        return CreateException(response, body, serviceName, secrets, timeProvider);
    }

    /// <summary>Builds the exception for a response whose body has already been read.</summary>
    public static ApiException CreateException(
        HttpResponseMessage response,
        string? body,
        string serviceName,
        IEnumerable<string?>? secrets = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(response);

        // The client's secrets and those the request carried (its credentials, a password in its body).
        var secretList = (secrets ?? []).Concat(SecretMasker.SecretsOf(response.RequestMessage)).OfType<string>().Where(static s => s.Length > 0).ToList();

        // Byte order marks before an error document (one, or two from a server that added its own) would hide its
        // message and code from the parser.
        body = body?.TrimStart('\uFEFF');

        // The raw body is masked in every form a secret may have been echoed in (JSON-escaped, URL-encoded, Base64…),
        // and what is parsed from it is masked again once unescaped.
        body = SecretMasker.Mask(body ?? string.Empty, secretList);
        var parsed = ParsedError.Parse(body).Mask(secretList);
        var status = response.StatusCode;

        // A 5xx answer to an upload (a gateway's 502 or 504, a 500 half-way) does not prove it was not processed, so, as
        // the retry rule does, only a 429 advertises a non-idempotent request as safe to send again.
        var fateUnknown = (int)status >= 500 && response.RequestMessage is { } sent && sent.IsNonIdempotent();
        var details = new ApiErrorDetails
        {
            StatusCode = status,
            ErrorCode = parsed.Code,
            RequestId = GetRequestId(response, secretList),
            ResponseBody = Truncate(body),
            Method = response.RequestMessage?.Method.Method,
            RequestUri = StripQuery(response.RequestMessage?.RequestUri),
            IsTransient = IsTransientStatus(status) && !fateUnknown,
        };

        // The reason phrase is the server's text too: masked whole, then cut like its message.
        var reason = response.ReasonPhrase is { } phrase ? Shorten(SecretMasker.Mask(phrase, secretList)) : null;
        var message = SecretMasker.Mask(BuildMessage(serviceName, details, reason, parsed.Message, parsed.Errors), secretList);
        if (fateUnknown)
        {
            message += " " + OutcomeUnknown;
        }

        var code = (int)status;
        return code switch
        {
            401 or 403 => new ApiAuthenticationException(message, details),
            404 => new ApiNotFoundException(message, details),
            400 or 422 => new ApiValidationException(message, details, parsed.Errors),
            429 => new ApiRateLimitException(message, details, GetRetryAfter(response, timeProvider ?? TimeProvider.System)),
            _ => new ApiException(message, details),
        };
    }

    /// <summary>
    /// Builds the exception for a request that got no usable response (connection reset, malformed response). It is
    /// transient, except for a request marked with <see cref="ApiRequest.MarkNonIdempotent"/> that failed after its
    /// connection was made: its outcome is unknown, so <see cref="ApiErrorDetails.IsTransient"/> is false and the message
    /// says to check before sending it again.
    /// </summary>
    public static ApiException CreateTransportException(HttpRequestMessage? request, string serviceName, Exception cause)
    {
        ArgumentNullException.ThrowIfNull(cause);

        // A request that is not idempotent (an upload) may have been processed when the failure came after its body was
        // sent: sending it again could do it twice, so it is not advertised as safe to retry. Only a failed connection
        // proves that nothing reached the server.
        var fateUnknown = request is not null && request.IsNonIdempotent()
            && cause is not HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };
        var details = new ApiErrorDetails
        {
            Method = request?.Method.Method,
            RequestUri = StripQuery(request?.RequestUri),
            IsTransient = !fateUnknown,
        };
        var reason = cause is HttpRequestException { HttpRequestError: var error } && error != HttpRequestError.Unknown
            ? $"{error} ({cause.GetType().Name})"
            : cause.GetType().Name;
        var outcome = fateUnknown ? " " + OutcomeUnknown : string.Empty;
        var (from, hint) = Where(request?.RequestUri, cause);
        return new ApiException($"{serviceName} {Describe(details)} failed without a usable response{from}: {reason}.{hint}{outcome}", details, cause);
    }

    /// <summary>
    /// Where the request went (scheme, host and port; never user info or query) and what to check for the kind of failure,
    /// so that a wrong <c>BaseAddress</c> shows in the message rather than only in the inner exception.
    /// </summary>
    private static (string From, string Hint) Where(Uri? uri, Exception cause)
    {
        if (uri is not { IsAbsoluteUri: true })
        {
            return (string.Empty, string.Empty);
        }

        var origin = uri.GetComponents(UriComponents.Scheme | UriComponents.Host | UriComponents.StrongPort, UriFormat.UriEscaped);
        var hint = (cause as HttpRequestException)?.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => $" The host name {uri.Host} could not be resolved: check the BaseAddress setting.",
            HttpRequestError.ConnectionError => $" No connection could be made to {origin}: check the BaseAddress setting (host and port) and that the service answers there.",
            HttpRequestError.SecureConnectionError => $" The TLS connection to {origin} failed: check the BaseAddress setting (https, and the port of the service's https endpoint) and the server's certificate.",
            HttpRequestError.ProxyTunnelError => $" The proxy did not open a tunnel to {origin}: check the proxy settings and the BaseAddress setting.",
            // The server (or a proxy) did answer: the address is most likely right.
            HttpRequestError.ResponseEnded => $" The connection to {origin} ended before a complete response arrived.",
            HttpRequestError.InvalidResponse => $" The answer from {origin} was not valid HTTP: check the BaseAddress setting (http or https, and the port).",
            _ => $" Check the BaseAddress setting and that {origin} answers.",
        };
        return (" from " + origin, hint);
    }

    /// <summary>Builds the exception for a successful response whose body could not be read as the expected JSON.</summary>
    public static ApiException CreateInvalidResponseException(HttpResponseMessage? response, string serviceName, string what, Exception? cause)
    {
        var details = new ApiErrorDetails
        {
            StatusCode = response?.StatusCode,
            RequestId = response is null ? null : GetRequestId(response),
            Method = response?.RequestMessage?.Method.Method,
            RequestUri = StripQuery(response?.RequestMessage?.RequestUri),
        };
        // The kind of problem, the JSON path and the row: "row 4: a type mismatch at $[3].totalPoints: expected a number, found null".
        var reason = cause is null ? string.Empty : $" ({Json.JsonReadFailure.Describe(cause)})";
        return new ApiException($"{serviceName} {Describe(details)} returned a response that is not {what}{reason}.", details, cause);
    }

    /// <summary><see langword="true"/> for 408, 429 and every 5xx status.</summary>
    public static bool IsTransientStatus(HttpStatusCode statusCode) =>
        statusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)statusCode >= 500;

    /// <summary>Reads <c>Retry-After</c> as seconds or as an HTTP date (relative to <paramref name="timeProvider"/>); null when absent or invalid.</summary>
    public static TimeSpan? GetRetryAfter(HttpResponseMessage response, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var retryAfter = response.Headers.RetryAfter;
        if (retryAfter is null)
        {
            return null;
        }

        if (retryAfter.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (retryAfter.Date is { } date)
        {
            var wait = date - timeProvider.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    /// <summary>
    /// The request id the server put in the usual headers, or null; at most 200 characters, with the secrets of the
    /// request (its credentials, a password in its body) masked, since a gateway may build it from them.
    /// </summary>
    public static string? GetRequestId(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return GetRequestId(response, SecretMasker.SecretsOf(response.RequestMessage));
    }

    private static string? GetRequestId(HttpResponseMessage response, IEnumerable<string?> secrets)
    {
        foreach (var name in RequestIdHeaders)
        {
            if (response.Headers.TryGetValues(name, out var values))
            {
                var value = values.FirstOrDefault();
                if (!string.IsNullOrWhiteSpace(value))
                {
                    // Masked before it is cut: a secret across the cut would otherwise leave its first part.
                    value = SecretMasker.Mask(value, secrets);
                    return value.Length > 200 ? value[..200] : value;
                }
            }
        }

        return null;
    }

    /// <summary>Returns the address without its query string, fragment and user info, which may carry tokens or passwords.</summary>
    public static Uri? StripQuery(Uri? uri)
    {
        if (uri is null || !uri.IsAbsoluteUri)
        {
            return uri;
        }

        return string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment) && string.IsNullOrEmpty(uri.UserInfo)
            ? uri
            : new Uri(uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped));
    }

    private static async Task<string> ReadBodyPrefixAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content is null)
        {
            return string.Empty;
        }

        using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[MaxBodyBytesRead];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        // A body marked as UTF-16 or UTF-32 by its byte order mark is read in that encoding (else its text would be NULs
        // between letters); anything else as UTF-8, where invalid bytes become U+FFFD instead of an exception.
        var (encoding, skip) = buffer.AsSpan(0, total) switch
        {
            [0xFF, 0xFE, 0, 0, ..] => (new UTF32Encoding(bigEndian: false, byteOrderMark: false), 4),
            [0, 0, 0xFE, 0xFF, ..] => (new UTF32Encoding(bigEndian: true, byteOrderMark: false), 4),
            [0xFF, 0xFE, ..] => (new UnicodeEncoding(bigEndian: false, byteOrderMark: false), 2),
            [0xFE, 0xFF, ..] => (new UnicodeEncoding(bigEndian: true, byteOrderMark: false), 2),
            _ => ((Encoding)Encoding.UTF8, 0),
        };
        return encoding.GetString(buffer, skip, total - skip);
    }

    /// <summary>
    /// <paramref name="body"/> cut to <see cref="MaxBodyChars"/> characters (never inside a surrogate pair) with
    /// <c>…(truncated)</c> after the cut, as kept in <see cref="ApiErrorDetails.ResponseBody"/>; null for an empty body.
    /// </summary>
    public static string? Truncate(string body) => body.Length == 0 ? null : Cut(body, MaxBodyChars, "…(truncated)");

    /// <summary>
    /// A server's message cut to 500 characters (never inside a surrogate pair) with <c>…</c> after the cut, so that a
    /// huge answer never makes a huge exception message.
    /// </summary>
    public static string Shorten(string value) => Cut(value, 500, "…");

    // Never cuts a surrogate pair in two: a lone surrogate is not valid text for a log or a serializer.
    private static string Cut(string value, int maxChars, string marker)
    {
        if (value.Length <= maxChars)
        {
            return value;
        }

        var length = char.IsHighSurrogate(value[maxChars - 1]) ? maxChars - 1 : maxChars;
        return string.Concat(value.AsSpan(0, length), marker);
    }

    private static string Describe(ApiErrorDetails details) =>
        details.Method is null ? "request" : $"{details.Method} {details.RequestUri?.AbsolutePath ?? details.RequestUri?.ToString()}";

    private static string BuildMessage(string serviceName, ApiErrorDetails details, string? reason, string? serverMessage, IReadOnlyList<ApiFieldError> errors)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{serviceName} {Describe(details)} failed with {(int)details.StatusCode!.Value} {reason ?? details.StatusCode.ToString()}");
        if (!string.IsNullOrWhiteSpace(serverMessage))
        {
            text.Append(": ").Append(Shorten(serverMessage));
        }

        if (errors.Count > 0)
        {
            text.Append(" [").Append(Shorten(string.Join("; ", errors.Take(10)))).Append(errors.Count > 10 ? $"; and {errors.Count - 10} more]" : "]");
        }

        if (details.RequestId is not null)
        {
            text.Append(" (request id ").Append(details.RequestId).Append(')');
        }

        // The server's own message may already end a sentence.
        return text[^1] is '.' or '!' or '?' ? text.ToString() : text.Append('.').ToString();


    }

    private readonly record struct ParsedError(string? Message, string? Code, IReadOnlyList<ApiFieldError> Errors)
    {
        private static readonly string[] MessageNames = ["message", "error_description", "detail", "title", "error", "msg", "reason"];
        private static readonly string[] CodeNames = ["code", "errorCode", "error_code", "type"];
        private static readonly string[] FieldNames = ["field", "property", "propertyName", "name", "path", "param", "row"];

        // Masked whole, then the code and each field error cut like a 200 refusal's (a cut first could leave half a
        // secret behind).
        public ParsedError Mask(IReadOnlyList<string>? secrets) => new(
            Message is null ? null : SecretMasker.Mask(Message, secrets),
            Code is null ? null : Shorten(SecretMasker.Mask(Code, secrets)),
            [.. Errors.Select(e => new ApiFieldError(e.Field is null ? null : Shorten(SecretMasker.Mask(e.Field, secrets)), Shorten(SecretMasker.Mask(e.Message, secrets))))]);

        public static ParsedError Parse(string body)
        {
            var trimmed = body.AsSpan().TrimStart();
            if (trimmed.IsEmpty || (trimmed[0] != '{' && trimmed[0] != '['))
            {
                return new ParsedError(null, null, []);
            }

            try
            {
                using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32, AllowTrailingCommas = true });
                return FromElement(document.RootElement);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
            {
                // Not JSON, or JSON whose strings cannot be decoded (an escaped lone surrogate): no details, the status stands.
                return new ParsedError(null, null, []);
            }
        }

        private static ParsedError FromElement(JsonElement root)
        {
            var errors = new List<ApiFieldError>();
            if (root.ValueKind == JsonValueKind.Array)
            {
                CollectErrors(root, null, errors);
                return new ParsedError(null, null, errors);
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                return new ParsedError(null, null, errors);
            }

            string? message = null;
            string? code = null;
            foreach (var name in MessageNames)
            {
                if (TryGetProperty(root, name, out var value))
                {
                    if (value.ValueKind == JsonValueKind.String && message is null)
                    {
                        message = value.GetString();
                    }
                    else if (value.ValueKind == JsonValueKind.Array)
                    {
                        // {"message": ["email must be an email", ...]} (NestJS and the like): each item is a problem.
                        CollectErrors(value, null, errors);
                    }
                    else if (value.ValueKind == JsonValueKind.Object)
                    {
                        // {"error": {"code": "...", "message": "..."}}
                        var nested = FromElement(value);
                        message ??= nested.Message;
                        code ??= nested.Code;
                        errors.AddRange(nested.Errors);
                    }
                }
            }

            foreach (var name in CodeNames)
            {
                if (code is null && TryGetProperty(root, name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                {
                    code = value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
                }
            }

            if (TryGetProperty(root, "errors", out var list))
            {
                CollectErrors(list, null, errors);
            }

            return new ParsedError(message, code, errors);
        }

        private static void CollectErrors(JsonElement element, string? field, List<ApiFieldError> errors)
        {
            if (errors.Count >= 1000)
            {
                return;
            }

            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    errors.Add(new ApiFieldError(field, element.GetString() ?? string.Empty));
                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        CollectErrors(item, field, errors);
                    }

                    break;
                case JsonValueKind.Object:
                    CollectObject(element, field, errors);
                    break;
            }
        }

        private static void CollectObject(JsonElement element, string? field, List<ApiFieldError> errors)
        {
            string? ownField = field;
            foreach (var name in FieldNames)
            {
                if (TryGetProperty(element, name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                {
                    var text = value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
                    ownField = name == "row" ? $"row {text}" : text;
                    break;
                }
            }

            var found = false;
            foreach (var name in (string[])["message", "error", "errors", "detail", "msg"])
            {
                if (TryGetProperty(element, name, out var value))
                {
                    CollectErrors(value, ownField, errors);
                    found = true;
                }
            }

            if (!found && ownField == field)
            {
                // ProblemDetails style: {"startDate": ["is required"]}.
                foreach (var property in element.EnumerateObject())
                {
                    CollectErrors(property.Value, property.Name, errors);
                }
            }
        }

        private static bool TryGetProperty(JsonElement element, string name, out JsonElement value)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    value = property.Value;
                    return true;
                }
            }

            value = default;
            return false;
        }
    }
}
