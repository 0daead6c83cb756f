using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using WireMock;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.Server;

namespace TrainingApis.IntegrationTests.Infrastructure;

/// <summary>
/// A request pattern built on WireMock.Net's matchers, for a per-test stub or a count of received requests, built
/// fluently so a test reads like the contract it checks. Regular expressions match the whole value.
/// </summary>
public sealed class RequestPattern
{
    private static readonly ConcurrentDictionary<string, RegexMatcher> Regexes = new(StringComparer.Ordinal);

    private readonly string _method;
    private readonly string _path;
    private readonly List<Func<IRequestBuilder, IRequestBuilder>> _matchers = [];
    private readonly List<IMatcher> _multipart = [];

    // Conditions WireMock.Net has no matcher for (an absent header, an absent body): only for counting.
    private readonly List<Func<IRequestMessage, bool>> _conditions = [];

    private RequestPattern(string method, string path)
    {
        _method = method;
        _path = path;
    }

    public static RequestPattern Post(string urlPath) => new("POST", urlPath);

    public static RequestPattern Get(string urlPath) => new("GET", urlPath);

    public static RequestPattern Any(string urlPath) => new("ANY", urlPath);

    /// <summary>The header equals <paramref name="value"/> exactly.</summary>
    public RequestPattern WithHeader(string name, string value) => Match(r => r.WithHeader(name, new ExactMatcher(value)));

    /// <summary>The header matches the regular expression <paramref name="regex"/> (whole value).</summary>
    public RequestPattern WithHeaderMatching(string name, string regex) => Match(r => r.WithHeader(name, Whole(regex)));

    /// <summary><c>Content-Type: application/json</c>, with no charset or UTF-8 in any case.</summary>
    public RequestPattern WithJsonContentType() => WithHeaderMatching("Content-Type", "(?i)application/json(; ?charset=utf-8)?");

    /// <summary>The header is absent (counting only).</summary>
    public RequestPattern WithoutHeader(string name)
    {
        _conditions.Add(request => request.Headers?.Keys.Any(key => string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) != true);
        return this;
    }

    /// <summary><c>Authorization: Bearer {token}</c>, exactly.</summary>
    public RequestPattern WithBearer(string token) => WithHeader("Authorization", $"Bearer {token}");

    /// <summary>The body is exactly this JSON: the same fields, no more, no fewer; array order matters.</summary>
    public RequestPattern WithJsonBody(string json) => Match(r => r.WithBody(new JsonMatcher(json)));

    /// <summary>The body is JSON holding at least these fields with these values (e.g. <c>{"page": 2}</c>).</summary>
    public RequestPattern WithJsonBodyContaining(string json) => Match(r => r.WithBody(new JsonPartialMatcher(json)));

    /// <summary>The body is absent or empty (counting only).</summary>
    public RequestPattern WithEmptyBody()
    {
        _conditions.Add(request => request.BodyAsBytes is not { Length: > 0 } && string.IsNullOrEmpty(request.Body));
        return this;
    }

    /// <summary>
    /// A multipart/form-data part named <paramref name="name"/> whose body matches <paramref name="bodyRegex"/>
    /// (and, when given, whose Content-Type contains <paramref name="contentType"/> and file name is <paramref name="fileName"/>).
    /// </summary>
    public RequestPattern WithMultipart(string name, string bodyRegex, string? contentType = null, string? fileName = null)
    {
        // .NET writes name=organizationId unquoted (a token) and adds filename*=utf-8''…; either spelling is valid.
        var disposition = $"form-data; name=\"?{Regex.Escape(name)}\"?"
            + (fileName is null ? string.Empty : $"; filename=\"?{Regex.Escape(fileName)}\"?")
            + "(;.*)?";
        _multipart.Add(new MimePartMatcher(
            MatchBehaviour.AcceptOnMatch,
            contentType is null ? null : Cached($"^{Regex.Escape(contentType)}.*$"),
            Whole("(?s)" + disposition),
            null,
            Cached(bodyRegex)));
        return this;
    }

    public override string ToString() => $"{_method} {_path}";

    internal IRequestBuilder ToRequestBuilder()
    {
        if (_conditions.Count > 0)
        {
            throw new InvalidOperationException($"{this}: an absent header or body is a condition for counting, not for a stub.");
        }

        return Build();
    }

    internal int CountIn(WireMockServer server) =>
        server.FindLogEntries(Build()).Count(entry => _conditions.TrueForAll(condition => condition(entry.RequestMessage!)));

    private IRequestBuilder Build()
    {
        var request = Request.Create().WithPath(new ExactMatcher(_path));
        request = _method switch
        {
            "POST" => request.UsingPost(),
            "GET" => request.UsingGet(),
            _ => request.UsingAnyMethod(),
        };
        foreach (var matcher in _matchers)
        {
            request = matcher(request);
        }

        return _multipart.Count == 0 ? request : request.WithMultiPart([.. _multipart], MatchBehaviour.AcceptOnMatch, MatchOperator.And);
    }

    private RequestPattern Match(Func<IRequestBuilder, IRequestBuilder> matcher)
    {
        _matchers.Add(matcher);
        return this;
    }

    private static RegexMatcher Whole(string regex) => Cached($"^(?:{regex})$");

    // WireMock.Net compiles each RegexMatcher's expression (RegexOptions.Compiled): build each pattern once.
    private static RegexMatcher Cached(string regex) => Regexes.GetOrAdd(regex, pattern => new RegexMatcher(pattern));
}
