using System.Net;
using System.Text.Json;
using Senar.Client;
using TrainingApis.Testing;

namespace Senar.Client.Tests.TestSupport;

/// <summary>
/// A scripted Senar server on a <see cref="FakeHttpHandler"/>: the login answers <c>{"Token": "token-N"}</c> (N counting
/// logins from 1) unless told otherwise; every other request goes to <c>api</c>. Each fake has its own fake clock, so
/// its clients share token caches only with each other.
/// </summary>
internal sealed class SenarFake
{
    public const string LoginPath = "/api/auth/login";
    public const string Username = "api-user@example.com";
    public const string Password = "S3cret-pass!";

    private int _logins;

    public SenarFake(
        Func<RecordedRequest, HttpResponseMessage>? api = null,
        Func<int, HttpResponseMessage>? login = null,
        Func<RecordedRequest, Task>? beforeLogin = null)
    {
        Handler = new FakeHttpHandler(async (_, recorded, _, cancellationToken) =>
        {
            if (recorded.Path.EndsWith(LoginPath, StringComparison.Ordinal))
            {
                var n = Interlocked.Increment(ref _logins);
                if (beforeLogin is not null)
                {
                    await beforeLogin(recorded).WaitAsync(cancellationToken);
                }

                return login?.Invoke(n) ?? FakeHttpHandler.JsonResponse($$"""{"Token": "token-{{n}}"}""");
            }

            return api?.Invoke(recorded) ?? FakeHttpHandler.JsonResponse("[]");
        });
    }

    public FakeHttpHandler Handler { get; }

    public FakeTimeProvider Time { get; } = FakeTime.Create();

    public int LoginCount => Handler.Requests.Count(r => r.Path.EndsWith(LoginPath, StringComparison.Ordinal));

    public IReadOnlyList<RecordedRequest> ApiRequests => [.. Handler.Requests.Where(r => !r.Path.EndsWith(LoginPath, StringComparison.Ordinal))];

    public static SenarClientOptions Options(Action<SenarClientOptions>? configure = null)
    {
        var options = new SenarClientOptions { Username = Username, Password = Password };
        configure?.Invoke(options);
        return options;
    }

    public SenarClient CreateClient(Action<SenarClientOptions>? configure = null, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null) =>
        new(Options(configure), Handler, Time, loggerFactory);

    public static HttpResponseMessage Status(HttpStatusCode status, string json = "") =>
        json.Length == 0 ? new HttpResponseMessage(status) : FakeHttpHandler.JsonResponse(json, status);

    public static JsonElement ParseBody(RecordedRequest request)
    {
        using var document = JsonDocument.Parse(request.Body);
        return document.RootElement.Clone();
    }

    public static string[] PropertyNames(RecordedRequest request) =>
        [.. ParseBody(request).EnumerateObject().Select(p => p.Name)];
}
