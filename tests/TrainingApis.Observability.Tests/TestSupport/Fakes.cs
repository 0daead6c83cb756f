using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using TrainingApis.Testing;

namespace TrainingApis.Observability.Tests.TestSupport;

/// <summary>How a scripted server misbehaves.</summary>
public enum Fault
{
    /// <summary>Every call succeeds.</summary>
    None,

    /// <summary>The API answers 401 (Senar logs in fine, then every token is refused), echoing secrets.</summary>
    Unauthorized,

    /// <summary>The API answers 400 with field errors echoing secrets.</summary>
    BadRequest,

    /// <summary>The API answers 500 echoing secrets (retries included).</summary>
    ServerError,

    /// <summary>The API answers 200 with a body that is not JSON, holding secrets.</summary>
    BadJson,

    /// <summary>The API never answers: attempt and total timeouts.</summary>
    Timeout,

    /// <summary>Senar's login answers 401 echoing the password.</summary>
    LoginRefused,

    /// <summary>Senar's login answers 200 without a token.</summary>
    LoginWithoutToken,

    /// <summary>Senar's login answers 200 with a body that is not JSON.</summary>
    LoginBadJson,

    /// <summary>Senar's <c>user_assign</c> answers 200 with <c>"succeed": false</c> and a message echoing secrets.</summary>
    AssignRefused,

    /// <summary>
    /// The API answers 500 echoing secrets outside the body too: request id, correlation id and <c>Server</c> headers,
    /// and the body, URL-encoded and in Base64 (Senar's login included).
    /// </summary>
    EchoEncoded,

    /// <summary>Senar's login answers 401 echoing the password URL-encoded in its body and in Base64 in its request id.</summary>
    LoginEchoEncoded,
}

/// <summary>Scripted Symtrain and Senar servers: valid answers in the shapes of docs/wire-format.md, or a fault.</summary>
internal static class Fakes
{
    public const string SymtrainBase = "https://api.symtrain.com";

    public static FakeHttpHandler Symtrain(FakeTimeProvider time, Fault fault = Fault.None) =>
        new(async (request, recorded, n, cancellationToken) =>
        {
            if (Failure(fault, Secrets.SymtrainEcho, time, cancellationToken) is { } failing)
            {
                return await failing;
            }

            return Ok(SymtrainOk(recorded));
        });

    public static FakeHttpHandler Senar(FakeTimeProvider time, Fault fault = Fault.None) =>
        new(async (request, recorded, n, cancellationToken) =>
        {
            if (recorded.Path.EndsWith("/api/auth/login", StringComparison.Ordinal))
            {
                return fault switch
                {
                    Fault.LoginRefused => Status(HttpStatusCode.Unauthorized, $$"""{"message":{{Json.Quote($"Invalid username or password: user api@senar.example password={Secrets.SenarPassword}")}}}"""),
                    Fault.LoginWithoutToken => Ok("""{"message":"welcome"}"""),
                    Fault.LoginBadJson => Ok("{\"Token\": " + Secrets.SenarToken + " password=" + Secrets.SenarPassword),
                    Fault.LoginEchoEncoded => Encoded(HttpStatusCode.Unauthorized, $"user=api%40senar.example&password={Secrets.SenarPassword}", Secrets.SenarPassword),
                    _ => Ok($$"""{"Token":{{Json.Quote(Secrets.SenarToken)}}}"""),
                };
            }

            var assign = recorded.Path == "/integration/data/user_assign";
            if (fault == Fault.AssignRefused && assign)
            {
                return Ok($$"""{"succeed":false,"email":"new@example.com","collectionId":42,"message":{{Json.Quote("Refused: " + Secrets.SenarEcho(assign))}}}""");
            }

            if (Failure(fault, Secrets.SenarEcho(assign), time, cancellationToken) is { } failing)
            {
                return await failing;
            }

            return Ok(SenarOk(recorded));
        });

    public static HttpResponseMessage Ok(string json) => FakeHttpHandler.JsonResponse(json);

    public static HttpResponseMessage Status(HttpStatusCode status, string json)
    {
        var response = FakeHttpHandler.JsonResponse(json, status);
        response.Headers.TryAddWithoutValidation("x-request-id", "req-1");
        return response;
    }

    /// <summary>The answer of a well-behaved Symtrain to <paramref name="request"/>.</summary>
    public static string SymtrainOk(RecordedRequest request)
    {
        var path = request.Path;
        if (path.StartsWith("/v2/report/", StringComparison.Ordinal))
        {
            return """[{"userId":"u-1","username":"ana@example.com","score":90}]""";
        }

        return path switch
        {
            "/v2/access-api/simulation/deep-links" =>
                """{"simulations":[{"simulationId":"sim-1","simulationName":"Billing","deepLink":"https://app.symtrain.example/sim/1","tags":["billing"]}]}""",
            "/v2/access-api/simulation/completion-data" =>
                """{"executions":[{"executionId":"e-1","simulationId":"sim-1","completedAt":"2024-01-02T03:04:05Z","symScore":90}]}""",
            "/v2/access-api/simulation/library" =>
                """{"page":1,"pageSize":50,"total":1,"simulations":[{"simulationId":"sim-1","name":"Billing","tags":["billing"]}]}""",
            "/v2/access-api/simulation/assignment" => JsonNode.Parse(request.Body)?["assign"]?.GetValue<bool>() == true
                ? """{"simulationId":"sim-1","name":"Billing","deepLink":"https://app.symtrain.example/sim/1","assigned":true}"""
                : """{"success":true}""",
            "/v2/access-api/user/token" => $$"""{"token":{{Json.Quote(Secrets.UserAccessToken)}},"expiresIn":3600}""",
            "/v2/access-api/user/create" =>
                """{"userId":"u-9","username":"new@example.com","email":"new@example.com","role":"trainee","status":"ACTIVE","created":true}""",
            "/v2/access-api/user/bulk-import" => """{"taskId":"task-1","validUsersCount":1,"invalidUsersCount":0,"errors":[]}""",
            "/v2/access-api/user/bulk-import/status" => """{"taskId":"task-1","status":"COMPLETED"}""",
            _ => throw new InvalidOperationException($"No scripted Symtrain answer for {path}."),
        };
    }

    /// <summary>The answer of a well-behaved Senar to <paramref name="request"/>.</summary>
    public static string SenarOk(RecordedRequest request) => request.Path switch
    {
        "/integration/data/user_assign" => """{"succeed":true,"email":"new@example.com","collectionId":42,"isNewUser":true}""",
        "/integration/data/users" => """[{"id":"765fc7cf-312b-469d-8508-0e943a6447c7","firstName":"Jon","lastName":"Doe","email":"jon@example.com","language":"en"}]""",
        "/integration/data/activities" => """[{"id":1,"userEmail":"jon@example.com","scenarioName":"Onboarding","totalPoints":8,"totalMaxPoints":10}]""",
        "/integration/data/webhook_register" => """{"id":"hook-1"}""",
        _ => throw new InvalidOperationException($"No scripted Senar answer for {request.Path}."),
    };

    private static Task<HttpResponseMessage>? Failure(Fault fault, string echo, FakeTimeProvider time, CancellationToken cancellationToken) => fault switch
    {
        Fault.Unauthorized => Task.FromResult(Status(HttpStatusCode.Unauthorized, $$"""{"message":{{Json.Quote("Token or key refused: " + echo)}}}""")),
        Fault.BadRequest => Task.FromResult(Status(
            HttpStatusCode.BadRequest,
            $$"""{"message":{{Json.Quote("Invalid request: " + echo)}},"code":{{Json.Quote(echo)}},"errors":[{"field":{{Json.Quote(echo)}},"message":{{Json.Quote(echo)}}}]}""")),
        Fault.ServerError => Task.FromResult(Status(HttpStatusCode.InternalServerError, $$"""{"message":{{Json.Quote("Crash while handling " + echo)}}}""")),
        Fault.BadJson => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent("{\"oops\": " + echo + " <html>", Encoding.UTF8, "application/json"),
        }),
        Fault.Timeout => NeverAsync(time, cancellationToken),
        Fault.EchoEncoded => Task.FromResult(Encoded(HttpStatusCode.InternalServerError, echo, Secrets.All.Last(echo.Contains))),
        _ => null,
    };

    /// <summary>An error echoing <paramref name="echo"/> URL-encoded in its body and <paramref name="secret"/> in its headers, raw, URL-encoded and in Base64.</summary>
    private static HttpResponseMessage Encoded(HttpStatusCode status, string echo, string secret)
    {
        var response = FakeHttpHandler.JsonResponse($$"""{"message":{{Json.Quote("Failed: " + Uri.EscapeDataString(echo) + " " + System.Net.WebUtility.UrlEncode(echo))}}}""", status);
        response.Headers.TryAddWithoutValidation("x-request-id", "gw-" + Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)));
        response.Headers.TryAddWithoutValidation("x-correlation-id", "gw-" + Uri.EscapeDataString(secret));
        response.Headers.TryAddWithoutValidation("Server", "edge " + secret);
        return response;
    }

    private static async Task<HttpResponseMessage> NeverAsync(FakeTimeProvider time, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromDays(1), time, cancellationToken);
        throw new InvalidOperationException("A day passed without a timeout.");
    }
}
