using System.Globalization;
using System.Net;

namespace TrainingApis.Core.Http;

/// <summary>
/// The pipeline's one rule for redirects, for every API: a same-origin <c>307</c> or <c>308</c> is followed with the same
/// method, body and headers (credentials included), at most <see cref="MaxRedirects"/> times; every other redirect
/// (<c>300</c>, <c>301</c>, <c>302</c>, <c>303</c>, another scheme, host or port, user info in the target, no
/// <c>Location</c> or one that is not a URI, too many hops) is refused with an <see cref="ApiException"/> naming the
/// status and the target (without its user info and query), before anything is sent there.
/// </summary>
/// <remarks>
/// Applied by the <see cref="AttemptHandler"/> to what the primary handler answers, within the attempt; the primary
/// handler's own automatic redirects are off: HttpClient's would drop the <c>Authorization</c> header on a 307 (the call
/// then fails as if the key were wrong) and turn a POST into a body-less GET on a 301/302. Same origin means the same
/// scheme, host and port (RFC 6454); a redirect elsewhere never receives the credentials. Not a handler of its own: one
/// more layer cost every call an async state machine for a status a call almost never gets.
/// </remarks>
internal static class Redirects
{
    /// <summary>The most same-origin redirects followed for one attempt.</summary>
    public const int MaxRedirects = 5;

    /// <summary>Turns off the automatic redirects of a <see cref="SocketsHttpHandler"/> or <see cref="HttpClientHandler"/> not used yet.</summary>
    /// <param name="handler">A primary handler; others are left as they are.</param>
    public static void DisableAutomaticRedirects(HttpMessageHandler handler)
    {
        try
        {
            switch (handler)
            {
                case SocketsHttpHandler { AllowAutoRedirect: true } sockets:
                    sockets.AllowAutoRedirect = false;
                    break;
                case HttpClientHandler { AllowAutoRedirect: true } client:
                    client.AllowAutoRedirect = false;
                    break;
            }
        }
        catch (InvalidOperationException)
        {
            // A handler that has already sent requests cannot be changed: it is the application's own, left as given.
        }
    }

    /// <summary>Whether <paramref name="status"/> is one that HttpClient would follow: 300, 301, 302, 303, 307 or 308.</summary>
    public static bool IsRedirect(HttpStatusCode status) => (int)status is 300 or 301 or 302 or 303 or 307 or 308;

    /// <summary>
    /// Follows the redirect <paramref name="response"/> answered to <paramref name="request"/>, sending each hop with
    /// <paramref name="send"/>, and returns the first answer that is not a redirect; refuses what the rules above refuse.
    /// </summary>
    public static async Task<HttpResponseMessage> FollowAsync(
        HttpRequestMessage request,
        HttpResponseMessage response,
        string serviceName,
        Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send,
        CancellationToken cancellationToken)
    {
        // The hops change the request's address; a retry above starts again from the address the caller asked for.
        var original = request.RequestUri;
        try
        {
            for (var hops = 0; IsRedirect(response.StatusCode); hops++)
            {
                var from = request.RequestUri!;
                var target = response.Headers.Location is { } location ? new Uri(from, location) : null;
                var problem = (int)response.StatusCode is not (307 or 308) ? "the SDK follows only 307 and 308, which keep the method and body"
                    : target is null ? response.Headers.NonValidated.Contains("Location") ? "its Location is not a valid URI" : "it has no Location"
                    : !IsSameOrigin(from, target) ? "the SDK never follows a redirect to another scheme, host or port (its credentials would go there)"
                    : target.UserInfo.Length > 0 ? "its target has user info (a user name or password in the address), which the SDK never sends"
                    : hops >= MaxRedirects ? string.Create(CultureInfo.InvariantCulture, $"it is more than {MaxRedirects} redirects in a row")
                    : null;
                if (problem is not null)
                {
                    var error = Refuse(serviceName, response, from, target, problem);
                    response.Dispose();
                    throw error;
                }

                response.Dispose();
                request.RequestUri = target;
                response = await send(request, cancellationToken).ConfigureAwait(false);
            }

            return response;
        }
        finally
        {
            request.RequestUri = original;
        }
    }

    private static bool IsSameOrigin(Uri from, Uri to) =>
        string.Equals(from.Scheme, to.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(from.IdnHost, to.IdnHost, StringComparison.OrdinalIgnoreCase)
        && from.Port == to.Port;

    private static ApiException Refuse(string serviceName, HttpResponseMessage response, Uri from, Uri? target, string problem)
    {
        var secrets = SecretMasker.SecretsOf(response.RequestMessage);
        var status = (int)response.StatusCode;
        var details = new ApiErrorDetails
        {
            StatusCode = response.StatusCode,
            RequestId = ApiErrorMapper.GetRequestId(response),
            Method = response.RequestMessage?.Method.Method,
            RequestUri = ApiErrorMapper.StripQuery(from),
        };

        // The target loses its query and user info (they may carry secrets); what is left is masked too.
        var where = target is null ? "nowhere" : SecretMasker.Mask(ApiErrorMapper.StripQuery(target)!.ToString(), secrets);
        var message = string.Create(
            CultureInfo.InvariantCulture,
            $"{serviceName} {details.Method} {from.AbsolutePath} was redirected ({status} {response.ReasonPhrase ?? response.StatusCode.ToString()}) to {where}, which was not followed: {problem}. Check the BaseAddress setting.");
        return new ApiException(SecretMasker.Mask(message, secrets), details);
    }
}
