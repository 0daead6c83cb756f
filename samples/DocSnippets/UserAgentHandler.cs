namespace DocSnippets;

/// <summary>The handler docs/configuration.md adds to a client: sets a User-Agent on every request.</summary>
internal sealed class UserAgentHandler(string userAgent) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.UserAgent.ParseAdd(userAgent);
        return base.SendAsync(request, cancellationToken);
    }
}
