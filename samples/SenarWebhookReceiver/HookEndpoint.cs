using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Senar.Client.Webhooks;

namespace SenarWebhookReceiver;

/// <summary>
/// The hook Senar posts to, made safe to expose: Senar signs nothing, so the address itself is the secret — an
/// unguessable token as its last segment (<c>/hooks/senar/{token}</c>), compared in constant time. A body larger than
/// <see cref="MaxBodyBytes"/> is refused with 413 before it is read whole, a body that is not a Senar user or activity
/// gets 400 with the reason (never a stack trace), and each delivery writes a bounded number of log lines.
/// </summary>
internal sealed class HookEndpoint
{
    /// <summary>The largest delivery accepted: 64 KiB, far more than a batch of Senar users or activities needs.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>The path of the hook, before its token.</summary>
    public const string PathPrefix = "/hooks/senar/";

    /// <summary>The shortest token accepted from configuration: 32 characters (a generated one has 43).</summary>
    public const int MinTokenLength = 32;

    private readonly byte[] _tokenHash;

    public HookEndpoint(string token)
    {
        if (TokenProblem(token) is { } problem)
        {
            throw new ArgumentException(problem, nameof(token));
        }

        Token = token;
        _tokenHash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    /// <summary>The secret segment of the hook's path. Never logged.</summary>
    public string Token { get; }

    /// <summary>The hook's path, token included: <c>/hooks/senar/{token}</c>.</summary>
    public string Path => PathPrefix + Token;

    /// <summary>A new token: 32 random bytes, Base64url (43 characters).</summary>
    public static string NewToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>What is wrong with a configured token, or null: at least <see cref="MinTokenLength"/> URL-safe characters.</summary>
    public static string? TokenProblem(string? token) =>
        token is null || token.Length < MinTokenLength || !token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? $"The hook token must be at least {MinTokenLength} characters of A-Z, a-z, 0-9, '-' and '_' (generate one with: openssl rand -base64 32 | tr '+/' '-_' | tr -d '=')."
            : null;

    /// <summary>Whether <paramref name="candidate"/> is the token; the time taken does not depend on where they differ.</summary>
    public bool Matches(string? candidate)
    {
        // Hashing first gives both sides one length, so not even the token's length leaks.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(candidate ?? string.Empty));
        return CryptographicOperations.FixedTimeEquals(hash, _tokenHash);
    }

    /// <summary>Answers one delivery: 404 for a wrong token, 413 for a body over the limit, Kestrel's status (400, 408) for
    /// a body it could not read, 400 for one that is not a Senar payload, else 200.</summary>
    public async Task HandleAsync(HttpContext context, DeliveryLog log)
    {
        var request = context.Request;
        if (!Matches(request.RouteValues["token"] as string))
        {
            log.Refused("a POST to an unknown hook path"); // The path is not logged: a near miss would leak the token.
            await AnswerAsync(context, StatusCodes.Status404NotFound, "Not found.");
            return;
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            log.Refused($"a body of {request.ContentLength} bytes (at most {MaxBodyBytes})");
            await AnswerAsync(context, StatusCodes.Status413PayloadTooLarge, $"The body is larger than {MaxBodyBytes} bytes.");
            return;
        }

        // Kestrel then stops a chunked body near the limit too, instead of its 30 MB default. Twice the limit: at the
        // limit itself Kestrel refused chunked bodies a little under it (65,535 bytes), and ReadBoundedAsync keeps the
        // exact bound.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = 2L * MaxBodyBytes;
        }

        byte[]? body;
        try
        {
            body = await ReadBoundedAsync(request.Body, context.RequestAborted);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode != StatusCodes.Status413PayloadTooLarge)
        {
            // Cut short, too slow (Kestrel's MinRequestBodyDataRate) or badly chunked: one warning, not an error with a
            // stack trace for each such post.
            log.Refused($"a body that could not be read ({ex.StatusCode}): {ex.Message}");
            await AnswerAsync(context, ex.StatusCode, "The body could not be read.");
            return;
        }

        if (body is null)
        {
            log.Refused($"a body over {MaxBodyBytes} bytes");
            await AnswerAsync(context, StatusCodes.Status413PayloadTooLarge, $"The body is larger than {MaxBodyBytes} bytes.");
            return;
        }

        SenarWebhookPayload payload;
        try
        {
            payload = SenarWebhookPayload.Parse(body.AsSpan());
        }
        catch (SenarWebhookPayloadException ex)
        {
            log.Refused(ex.Message);
            await AnswerAsync(context, StatusCodes.Status400BadRequest, ex.Message); // Not a Senar user or activity: say why.
            return;
        }

        log.Received(payload);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    /// <summary>The body, or null when it is longer than <see cref="MaxBodyBytes"/> (only one byte more is read).</summary>
    private static async Task<byte[]?> ReadBoundedAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxBodyBytes + 1];
        var filled = 0;
        try
        {
            int read;
            while (filled < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken)) > 0)
            {
                filled += read;
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        return filled > MaxBodyBytes ? null : buffer[..filled];
    }

    private static Task AnswerAsync(HttpContext context, int statusCode, string message)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message, context.RequestAborted);
    }
}
