using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Symtrain.Client.Internal;
using TrainingApis.Core;
using TrainingApis.Core.Http;
using TrainingApis.Core.Json;

namespace Symtrain.Client.Users;

/// <summary>The users sub-client.</summary>
internal sealed class SymtrainUsersClient : ISymtrainUsersClient
{
    internal const string TokenPath = "/v2/access-api/user/token";
    internal const string CreatePath = "/v2/access-api/user/create";
    internal const string BulkImportPath = "/v2/access-api/user/bulk-import";
    internal const string BulkImportStatusPath = "/v2/access-api/user/bulk-import/status";

    /// <summary>How long a token lives when the server does not say: one hour, as documented.</summary>
    internal static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromHours(1);

    private static readonly string[] DocumentedUserFields = ["organizationId", "email", "username", "firstName", "lastName"];

    private readonly SymtrainTransport _transport;

    public SymtrainUsersClient(SymtrainTransport transport)
    {
        _transport = transport;
    }

    public async Task<UserAccessToken> CreateAccessTokenAsync(string organizationId, string userId, CancellationToken cancellationToken = default)
    {
        Guard.Id(organizationId);
        Guard.Id(userId);
        var issuedAt = _transport.TimeProvider.GetUtcNow();
        // The answer carries a new secret no mask knows yet: its request id and Server headers are never logged.
        using var request = SymtrainTransport.CreatePost(
            TokenPath, "Users.CreateAccessToken", new UserTokenRequest(organizationId, userId), SymtrainJsonContext.Default.UserTokenRequest).MarkSecretAnswer();
        var answer = await _transport.Connection.SendAsync(request, SymtrainJsonContext.Default.UserTokenResponse, cancellationToken).ConfigureAwait(false);
        var token = !string.IsNullOrEmpty(answer.Token) ? answer.Token : answer.AccessToken;
        if (string.IsNullOrEmpty(token))
        {
            throw _transport.InvalidResponse(TokenPath, "an access token (it held no 'token')", null);
        }

        return new UserAccessToken { Token = token, ExpiresAt = GetExpiry(answer, issuedAt) };
    }

    public Uri WithAccessToken(Uri deepLink, UserAccessToken token)
    {
        ArgumentNullException.ThrowIfNull(deepLink);
        ArgumentNullException.ThrowIfNull(token);
        if (!deepLink.IsAbsoluteUri)
        {
            throw new ArgumentException($"The deep link must be an absolute URI (was '{ApiErrorMapper.StripQuery(deepLink)}').", nameof(deepLink));
        }

        if (string.IsNullOrEmpty(token.Token))
        {
            throw new ArgumentException("The access token is empty.", nameof(token));
        }

        var name = _transport.Options.DeepLinkTokenParameter;
        var builder = new UriBuilder(deepLink);
        var kept = builder.Query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(part => !string.Equals(DecodeName(part), name, StringComparison.Ordinal));
        var added = Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(token.Token);
        builder.Query = string.Join("&", kept.Append(added));
        return builder.Uri;

        static string DecodeName(string part)
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var encoded = (equals < 0 ? part : part[..equals]).Replace('+', ' ');
            return Uri.UnescapeDataString(encoded);
        }
    }

    public async Task<SymtrainUser> CreateUserAsync(CreateUserRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new List<string>();
        if (Guard.IdProblem(request.OrganizationId) is { } org)
        {
            problems.Add($"request.OrganizationId {org}");
        }

        var emailProblem = BulkImportCsv.EmailProblem(request.Email) ?? (request.Email is { } email ? TextRules.DamagedTextProblem(email) : null);
        if (emailProblem is not null)
        {
            problems.Add($"request.Email {emailProblem}");
        }

        if (request.Username is not null && !string.Equals(request.Username, request.Email, StringComparison.Ordinal))
        {
            problems.Add("request.Username must equal request.Email exactly (case included), or be left null to send the email.");
        }

        if (request.FirstName is { } first && TextRules.DamagedTextProblem(first) is { } firstProblem)
        {
            problems.Add($"request.FirstName {firstProblem}");
        }

        if (request.LastName is { } last && TextRules.DamagedTextProblem(last) is { } lastProblem)
        {
            problems.Add($"request.LastName {lastProblem}");
        }

        foreach (var field in request.AdditionalFields ?? [])
        {
            if (string.IsNullOrWhiteSpace(field.Key))
            {
                problems.Add("request.AdditionalFields has a field without a name.");
            }
            else if (DocumentedUserFields.Contains(field.Key, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"request.AdditionalFields['{field.Key}'] repeats a documented field; set the property instead.");
            }
            else if (DamagedTextIn(field.Value) is { } damaged)
            {
                problems.Add($"request.AdditionalFields['{field.Key}'] {damaged}");
            }
        }

        Guard.ThrowIfAny(problems, nameof(request));
        var body = new JsonObject
        {
            ["organizationId"] = request.OrganizationId,
            ["email"] = request.Email,
            ["username"] = request.Username ?? request.Email,
        };
        if (request.FirstName is not null)
        {
            body["firstName"] = request.FirstName;
        }

        if (request.LastName is not null)
        {
            body["lastName"] = request.LastName;
        }

        foreach (var field in request.AdditionalFields ?? [])
        {
            body[field.Key] = field.Value?.DeepClone();
        }

        return await _transport.PostAsync(
            CreatePath, "Users.CreateUser", body,
            SymtrainJsonContext.Default.JsonObject, SymtrainJsonContext.Default.SymtrainUser, cancellationToken).ConfigureAwait(false);
    }

    // The first damaged text among the strings of an additional field's value, at any depth. Its meaning is unknown here
    // (a note may hold line breaks): only what no text holds is refused.
    private static string? DamagedTextIn(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => TextRules.DamagedTextProblem(text, allowLineBreaks: true),
        JsonArray array => array.Select(DamagedTextIn).FirstOrDefault(static p => p is not null),
        JsonObject obj => obj.Select(static p => DamagedTextIn(p.Value)).FirstOrDefault(static p => p is not null),
        _ => null,
    };

    public Task<BulkImportResult> BulkImportAsync(string organizationId, IEnumerable<BulkImportRow> rows, CancellationToken cancellationToken = default)
    {
        Guard.Id(organizationId);
        ArgumentNullException.ThrowIfNull(rows);
        var list = rows.ToList();
        var options = _transport.Options;
        var errors = new List<BulkImportRowError>();
        BulkImportCsv.AddCountErrors(list.Count, errors, inBatches: false);
        BulkImportCsv.AddRowErrors(list, errors, options.BulkImportMaxFieldBytes);
        var file = errors.Count == 0 ? ToFile(list, errors) : null;
        if (errors.Count > 0)
        {
            throw new BulkImportValidationException(errors, nameof(rows));
        }

        return UploadAsync(null, organizationId, file!, "Users.BulkImport", cancellationToken);
    }

    public IAsyncEnumerable<BulkImportResult> BulkImportInBatchesAsync(string organizationId, IEnumerable<BulkImportRow> rows, CancellationToken cancellationToken = default)
    {
        Guard.Id(organizationId);
        ArgumentNullException.ThrowIfNull(rows);
        var list = rows.ToList();
        var options = _transport.Options;
        var errors = new List<BulkImportRowError>();
        BulkImportCsv.AddCountErrors(list.Count, errors, inBatches: true);
        BulkImportCsv.AddRowErrors(list, errors, options.BulkImportMaxFieldBytes);
        if (errors.Count == 0)
        {
            // Every file is measured before the first is sent, so a batch that is too large uploads nothing.
            var first = 1;
            foreach (var batch in BulkImportCsv.Chunk(list))
            {
                using var measured = BulkImportCsv.WriteBounded(batch, options.BulkImportMaxFileBytes, keep: false);
                if (measured.Exceeded)
                {
                    errors.Add(BulkImportCsv.FileTooLarge(measured.BytesWritten, options.BulkImportMaxFileBytes, $"rows {first} to {first + batch.Count - 1}"));
                }

                first += batch.Count;
            }
        }

        if (errors.Count > 0)
        {
            throw new BulkImportValidationException(errors, nameof(rows));
        }

        return OperationSpan.TraceAsync("Users.BulkImportInBatches", span => UploadBatchesAsync(span, organizationId, list, cancellationToken), cancellationToken);
    }

    public async Task<BulkImportResult> BulkImportCsvAsync(string organizationId, Stream csv, CancellationToken cancellationToken = default)
    {
        Guard.Id(organizationId);
        ArgumentNullException.ThrowIfNull(csv);
        var options = _transport.Options;
        var (rows, errors) = await BulkImportCsv.ReadAndCheckAsync(
            csv, options.BulkImportMaxFieldBytes, options.BulkImportMaxFileBytes, inBatches: false, cancellationToken).ConfigureAwait(false);
        var file = errors.Count == 0 ? ToFile(rows, errors) : null;
        if (errors.Count > 0)
        {
            throw new BulkImportValidationException(errors, nameof(csv));
        }

        return await UploadAsync(null, organizationId, file!, "Users.BulkImportCsv", cancellationToken).ConfigureAwait(false);
    }

    public Task<BulkImportStatus> GetBulkImportStatusAsync(string organizationId, string taskId, CancellationToken cancellationToken = default)
    {
        Guard.Id(organizationId);
        Guard.Id(taskId);
        return GetStatusAsync(null, organizationId, taskId, "Users.GetBulkImportStatus", cancellationToken);
    }

    public async Task<BulkImportStatus> WaitForBulkImportAsync(string organizationId, string taskId, CancellationToken cancellationToken = default)
    {
        Guard.Id(organizationId);
        Guard.Id(taskId);

        // One span for the wait, a child span per poll.
        using var span = OperationSpan.Start("Users.WaitForBulkImport");
        try
        {
            return await PollUntilFinishedAsync(span, organizationId, taskId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            span.Fail(ex);
            throw;
        }
    }

    private async Task<BulkImportStatus> PollUntilFinishedAsync(OperationSpan span, string organizationId, string taskId, CancellationToken cancellationToken)
    {
        var options = _transport.Options;
        var time = _transport.TimeProvider;
        var limit = options.BulkImportWaitTimeout;
        var started = time.GetTimestamp();
        var interval = options.BulkImportPollInterval;
        var polls = 0;
        while (true)
        {
            var status = await GetStatusAsync(span, organizationId, taskId, "Users.WaitForBulkImport", cancellationToken).ConfigureAwait(false);
            polls++;
            if (status.IsFinished)
            {
                return status;
            }

            var remaining = limit == Timeout.InfiniteTimeSpan ? TimeSpan.MaxValue : limit - time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                // The server's text, masked and cut like any error's: it may be huge or echo the key.
                var last = status.RawStatus is { } raw ? ApiErrorMapper.Shorten(SecretMasker.Mask(raw, _transport.Secrets())) : "(none)";
                throw new TimeoutException(
                    $"The Symtrain bulk import task {taskId} did not finish within {limit} ({polls} polls; last status {last}). " +
                    "Raise SymtrainClientOptions.BulkImportWaitTimeout, or poll later with GetBulkImportStatusAsync.");
            }

            await Task.Delay(interval < remaining ? interval : remaining, time, cancellationToken).ConfigureAwait(false);
            var doubled = interval + interval;
            interval = doubled > options.BulkImportMaxPollInterval ? options.BulkImportMaxPollInterval : doubled;
        }
    }

    private Task<BulkImportStatus> GetStatusAsync(OperationSpan? span, string organizationId, string taskId, string operation, CancellationToken cancellationToken) =>
        _transport.PostAsync(
            span,
            BulkImportStatusPath, operation, new BulkImportStatusRequest(organizationId, taskId),
            SymtrainJsonContext.Default.BulkImportStatusRequest, SymtrainJsonContext.Default.BulkImportStatus, cancellationToken);

    private async IAsyncEnumerable<BulkImportResult> UploadBatchesAsync(OperationSpan span, string organizationId, List<BulkImportRow> rows, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var batch in BulkImportCsv.Chunk(rows))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var errors = new List<BulkImportRowError>();
            var file = ToFile(batch, errors) ?? throw new BulkImportValidationException(errors, nameof(rows));
            yield return await UploadAsync(span, organizationId, file, "Users.BulkImportInBatches", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The file for <paramref name="rows"/>, or null with an error added when it is larger than the options allow.</summary>
    private byte[]? ToFile(IEnumerable<BulkImportRow> rows, List<BulkImportRowError> errors)
    {
        var limit = _transport.Options.BulkImportMaxFileBytes;
        using var file = BulkImportCsv.WriteBounded(rows, limit, keep: true);
        if (file.Exceeded)
        {
            errors.Add(BulkImportCsv.FileTooLarge(file.BytesWritten, limit, null));
            return null;
        }

        return file.ToArray();
    }

    private async Task<BulkImportResult> UploadAsync(OperationSpan? span, string organizationId, byte[] csv, string operation, CancellationToken cancellationToken)
    {
        var file = new ByteArrayContent(csv);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv") { CharSet = "utf-8" };
        var form = new MultipartFormDataContent
        {
            { new StringContent(organizationId), "organizationId" },
            { file, "file", "users.csv" },
        };
        using var request = SymtrainTransport.CreatePost(BulkImportPath, operation, form).MarkNonIdempotent();
        span?.Apply(request);
        return await _transport.Connection.SendAsync(request, SymtrainJsonContext.Default.BulkImportResult, cancellationToken).ConfigureAwait(false);
    }

    private static DateTimeOffset GetExpiry(UserTokenResponse answer, DateTimeOffset issuedAt)
    {
        if (answer.ExpiresAt is { Length: > 0 } text)
        {
            if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch) && epoch > 0)
            {
                // Seconds since 1970, or milliseconds when the number is that large; past year 9999 it is no expiry at all.
                if (epoch <= 100_000_000_000)
                {
                    return DateTimeOffset.FromUnixTimeSeconds(epoch);
                }

                if (epoch <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
                {
                    return DateTimeOffset.FromUnixTimeMilliseconds(epoch);
                }
            }

            if (LenientDateTimeConverter.TryParseDateTimeOffset(text, out var at)
                || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at))
            {
                return at;
            }
        }

        if (answer.ExpiresIn is { } seconds && double.IsFinite(seconds) && seconds > 0 && seconds < TimeSpan.FromDays(3650).TotalSeconds)
        {
            return issuedAt + TimeSpan.FromSeconds(seconds);
        }

        return issuedAt + DefaultTokenLifetime;
    }
}
