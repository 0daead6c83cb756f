using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using Senar.Client;
using Senar.Client.Users;
using Symtrain.Client;
using Symtrain.Client.Access;
using Symtrain.Client.Users;
using TrainingApis.Core;
using TrainingApis.Core.Authentication;
using TrainingApis.Reliability.Tests.Support;
using TrainingApis.Testing;

namespace TrainingApis.Reliability.Tests;

/// <summary>
/// The configured secrets (distinctive strings) never appear in exception messages, <c>ToString()</c> of any public type
/// of the client assemblies, or any log line at any level — even when the server echoes them back in error bodies.
/// </summary>
public sealed partial class SecretsTests(ITestOutputHelper output)
{
    private const string ApiKey = "SYMKEY-7f3a9c5e-SECRET";
    private const string SenarPassword = "SenarPwd-9d2e1b-SECRET1";
    private const string SenarToken = "SENARTOKEN-4c8e2a-SECRET";
    private const string UserToken = "USERTOKEN-1b2c3d-SECRET";
    private const string AssignPassword = "AssignPwd-5e6f7a-SECRET1";
    private static readonly string[] Secrets = [ApiKey, SenarPassword, SenarToken, UserToken, AssignPassword];

    // Each client masks the secrets it holds: the Symtrain client its API key, the Senar client its password, its token
    // and the password of an assignment it sent. Servers echo exactly those back in every error body below.
    private static readonly string Echo = ApiKey;
    private static readonly string SenarEcho = $"{SenarPassword} {SenarToken}";

    [Fact]
    public async Task No_secret_reaches_an_exception_a_result_or_a_log_line()
    {
        var logs = new FakeLogCollector();
        using var loggerFactory = logs.CreateFactory();
        var texts = new List<string>();
        var time = FakeTime.Create();

        var symtrainOptions = new SymtrainClientOptions { ApiKey = ApiKey, Retry = new RetryOptions { MaxRetries = 1, BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero } };
        var symtrainHandler = new FakeHttpHandler((recorded, _) => recorded.Path switch
        {
            "/v2/access-api/user/token" => FakeHttpHandler.JsonResponse($$"""{"token":"{{UserToken}}","expiresAt":"2030-01-01T00:00:00Z"}"""),
            "/v2/access-api/simulation/completion-data" => FakeHttpHandler.JsonResponse($$"""{"message":"bad key {{Echo}}","errors":[{"field":"{{ApiKey}}","message":"{{Echo}}"}]}""", HttpStatusCode.BadRequest),
            "/v2/access-api/simulation/deep-links" => FakeHttpHandler.JsonResponse($$"""{"message":"{{Echo}}"}""", HttpStatusCode.InternalServerError),
            "/v2/access-api/user/create" => FakeHttpHandler.JsonResponse($$"""{"message":"Invalid API key {{ApiKey}}"}""", HttpStatusCode.Unauthorized),
            "/v2/access-api/simulation/library" => FakeHttpHandler.JsonResponse($$"""{"simulations":[{"name":"{{Echo}}" """),
            "/v2/access-api/simulation/assignment" => FakeHttpHandler.JsonResponse($$"""{"success":false,"message":"{{Echo}}"}"""),
            "/v2/access-api/user/bulk-import/status" => FakeHttpHandler.JsonResponse($$"""{"message":"{{Echo}}"}""", HttpStatusCode.NotFound),
            _ => FakeHttpHandler.JsonResponse($$"""{"message":"{{Echo}}"}""", HttpStatusCode.TooManyRequests),
        });
        using (var symtrain = new SymtrainClient(symtrainOptions, symtrainHandler, time, loggerFactory))
        {
            var token = await symtrain.Users.CreateAccessTokenAsync("org", "u1");
            texts.Add(token.ToString());
            texts.Add(symtrain.Users.WithAccessToken(new Uri("https://app.symtrain.example/launch"), token).Host);
            await Capture(texts, () => symtrain.Access.GetCompletionDataAsync("org", "u1", "s1"));
            await Capture(texts, () => time.RunAsync(symtrain.Access.CreateDeepLinkAsync("org", "u1", "s1")));
            await Capture(texts, () => symtrain.Users.CreateUserAsync(new CreateUserRequest { OrganizationId = "org", Email = "a@b.example" }));
            await Capture(texts, () => symtrain.Access.GetLibraryPageAsync(new LibraryQuery { OrganizationId = "org", UserId = "u1" }));
            await Capture(texts, () => symtrain.Access.UnassignSimulationAsync("org", "u1", "s1"));
            await Capture(texts, () => symtrain.Users.GetBulkImportStatusAsync("org", "t1"));
            await Capture(texts, () => time.RunAsync(symtrain.Reports.GetSymsAsync(new DateRange(new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 2)))));
            symtrainOptions.ApiKey = ApiKey + "\r\nX: 1"; // Rotated to a value that cannot be sent.
            await Capture(texts, () => symtrain.Users.CreateAccessTokenAsync("org", "u1"));
            symtrainOptions.ApiKey = ApiKey;
            texts.Add(symtrainOptions.ToString());
        }

        var senarHandler = new FakeHttpHandler((recorded, n) => recorded.Path switch
        {
            "/api/auth/login" => FakeHttpHandler.JsonResponse($$"""{"Token":"{{SenarToken}}"}"""),
            "/integration/data/user_assign" => FakeHttpHandler.JsonResponse($$"""{"succeed":false,"message":"password {{AssignPassword}} refused for {{SenarToken}} / {{SenarPassword}}"}"""),
            "/integration/data/users" => FakeHttpHandler.JsonResponse($$"""{"message":"{{SenarEcho}}"}""", HttpStatusCode.Unauthorized),
            "/integration/data/activities" => FakeHttpHandler.JsonResponse($$"""[{"id":1,"firstName":"{{SenarEcho}}" """),
            _ => FakeHttpHandler.JsonResponse($$"""{"message":"{{SenarEcho}}"}""", HttpStatusCode.BadRequest),
        });
        var senarOptions = new SenarClientOptions { Username = "api@senar.example", Password = SenarPassword, Retry = new RetryOptions { MaxRetries = 0 } };
        using (var senar = new SenarClient(senarOptions, senarHandler, time, loggerFactory))
        {
            var login = await senar.Auth.LoginAsync();
            texts.Add(login.ToString());
            var assignment = new UserAssignment { Email = "a@b.example", FirstName = "A", LastName = "B", Password = AssignPassword, Organization = "O", CollectionId = 4 };
            texts.Add(assignment.ToString());
            await Capture(texts, () => senar.Users.AssignCollectionAsync(assignment));
            await Capture(texts, () => senar.Users.ListAsync());
            await Capture(texts, () => senar.Activities.ListAsync());
            await Capture(texts, () => senar.Webhooks.RegisterAsync(new Uri("https://hooks.example/x"), Senar.Client.Webhooks.SenarWebhookEvent.User));
            texts.Add(senarOptions.ToString());
        }

        var refusingLogin = new FakeHttpHandler((_, _) => FakeHttpHandler.JsonResponse($$"""{"message":"wrong password {{SenarPassword}}"}""", HttpStatusCode.Unauthorized));
        using (var senar = new SenarClient(new SenarClientOptions { Username = "other@senar.example", Password = SenarPassword }, refusingLogin, time, loggerFactory))
        {
            await Capture(texts, () => senar.Activities.ListAsync());
        }

        texts.AddRange(logs.Lines());
        output.WriteLine($"FIGURE secrets (flows): {Secrets.Length} secrets x {texts.Count} texts ({logs.Lines().Count} log lines at Trace, the rest exception texts, response bodies and ToString()): 0 leaks");
        logs.Lines().Should().NotBeEmpty();
        texts.Should().HaveCountGreaterThan(30);
        foreach (var secret in Secrets)
        {
            texts.Should().NotContain(t => t.Contains(secret, StringComparison.Ordinal), $"the secret {secret[..8]}… must never be shown");
        }
    }

    [Fact]
    public async Task No_secret_echoed_outside_the_body_or_encoded_reaches_any_text()
    {
        // Secrets with characters that every encoding changes, echoed in headers and in bodies in every form.
        const string key = "SYMKEY+2/b&c=ë-SECRET";
        const string password = "S\u00EBcret+Pass&word1 SECRET";
        const string assignPassword = "Assign+8&pw SECRET";
        static IEnumerable<string> Forms(string secret)
        {
            var base64 = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(secret));
            var upper = Uri.EscapeDataString(secret);
            return [secret, upper, Regex.Replace(upper, "%[0-9A-F]{2}", m => m.Value.ToLowerInvariant()), WebUtility.UrlEncode(secret),
                System.Text.Json.JsonSerializer.Serialize(secret).Trim('"'), WebUtility.HtmlEncode(secret), base64, base64.TrimEnd('='),
                base64.TrimEnd('=').Replace('+', '-').Replace('/', '_')];
        }

        string Echo(string secret, int n)
        {
            var forms = Forms(secret).ToArray();
            return forms[n % forms.Length];
        }

        HttpResponseMessage Failure(string secret, int n, HttpStatusCode status)
        {
            var response = FakeHttpHandler.JsonResponse($$"""{"message":{{System.Text.Json.JsonSerializer.Serialize("echo " + Echo(secret, n) + " / " + Echo(secret, n + 3))}}}""", status);
            response.Headers.TryAddWithoutValidation("x-request-id", "gw-" + Echo(secret, n + 1));
            response.Headers.TryAddWithoutValidation("x-correlation-id", Echo(secret, n + 2));
            response.Headers.TryAddWithoutValidation("Server", "edge " + Echo(secret, n + 4));
            return response;
        }

        var logs = new FakeLogCollector();
        using var loggerFactory = logs.CreateFactory();
        var texts = new List<string>();
        var time = FakeTime.Create();
        var statuses = new[] { HttpStatusCode.InternalServerError, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests, HttpStatusCode.Conflict };
        for (var n = 0; n < 9; n++)
        {
            var round = n;
            var symtrainHandler = new FakeHttpHandler((_, _) => Failure(key, round, statuses[round % statuses.Length]));
            using (var symtrain = new SymtrainClient(new SymtrainClientOptions { ApiKey = key, Retry = new RetryOptions { MaxRetries = 0 } }, symtrainHandler, time, loggerFactory))
            {
                await Capture(texts, () => time.RunAsync(symtrain.Users.CreateAccessTokenAsync("org", "u1")));
                await Capture(texts, () => time.RunAsync(symtrain.Access.CreateDeepLinkAsync("org", "u1", "s1")));
            }

            var refusingLogin = new FakeHttpHandler((_, _) => Failure(password, round, HttpStatusCode.Unauthorized));
            using (var senar = new SenarClient(new SenarClientOptions { Username = $"user{round}@senar.example", Password = password }, refusingLogin, time, loggerFactory))
            {
                await Capture(texts, () => senar.Users.ListAsync());
            }

            var failingAssign = new FakeHttpHandler((recorded, _) => recorded.Path == "/api/auth/login"
                ? FakeHttpHandler.JsonResponse($$"""{"Token":"{{SenarToken}}"}""")
                : Failure(recorded.Path.EndsWith("user_assign", StringComparison.Ordinal) ? assignPassword : SenarToken, round, statuses[round % statuses.Length]));
            using (var senar = new SenarClient(new SenarClientOptions { Username = $"ok{round}@senar.example", Password = password, Retry = new RetryOptions { MaxRetries = 0 } }, failingAssign, time, loggerFactory))
            {
                var assignment = new UserAssignment { Email = "a@b.example", FirstName = "A", LastName = "B", Password = assignPassword, Organization = "O", CollectionId = 4 };
                await Capture(texts, () => time.RunAsync(senar.Users.AssignCollectionAsync(assignment)));
                await Capture(texts, () => time.RunAsync(senar.Activities.ListAsync()));
            }
        }

        texts.AddRange(logs.Lines());
        var leaks = (from secret in new[] { key, password, assignPassword, SenarToken }
                     from form in Forms(secret)
                     from text in texts
                     where text.Contains(form, StringComparison.Ordinal)
                     select $"{form} in {text}").Distinct().ToList();
        output.WriteLine($"FIGURE secrets (encoded echoes): 4 secrets x {Forms(key).Count()} forms x {texts.Count} texts ({logs.Lines().Count} log lines at Trace): {leaks.Count} leaks");
        texts.Should().Contain(t => t.Contains("gw-***", StringComparison.Ordinal), "request ids are kept, masked");
        leaks.Should().BeEmpty();
    }

    [Fact]
    public void ToString_of_every_constructible_public_type_masks_the_secrets_it_holds()
    {
        var exercised = new List<string>();
        var leaks = new List<string>();
        var constructed = 0;
        // AccessToken is internal, but it carries the Senar token through the pipeline, where a log line may print it.
        foreach (var type in ConventionTests.ClientAssemblies.SelectMany(a => a.GetExportedTypes()).Append(typeof(AccessToken)))
        {
            if (type.IsAbstract || type.IsInterface || type.IsGenericTypeDefinition || typeof(Delegate).IsAssignableFrom(type) || typeof(Exception).IsAssignableFrom(type))
            {
                continue;
            }

            object? instance = null;
            var secret = $"SECRET-{type.Name}-0x5eC12e7";
            if (type.GetConstructor(Type.EmptyTypes) is { } parameterless)
            {
                instance = parameterless.Invoke(null);
            }
            else if (type.GetConstructors().FirstOrDefault(c => c.GetParameters() is [{ ParameterType: var first, Name: var name }, ..] rest
                && first == typeof(string) && (SecretName().IsMatch(name!) || (name == "value" && SecretName().IsMatch(type.Name))) && rest.Skip(1).All(p => p.IsOptional)) is { } withSecret)
            {
                instance = withSecret.Invoke([secret, .. withSecret.GetParameters().Skip(1).Select(p => p.DefaultValue)]);
                exercised.Add($"{type.Name}({withSecret.GetParameters()[0].Name})");
            }

            if (instance is null)
            {
                continue;
            }

            constructed++;
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.PropertyType == typeof(string) && property.SetMethod is { IsPublic: true } && (SecretName().IsMatch(property.Name) || (property.Name == "Value" && SecretName().IsMatch(type.Name))))
                {
                    property.SetValue(instance, secret);
                    exercised.Add($"{type.Name}.{property.Name}");
                }
            }

            if (instance.ToString() is { } text && text.Contains(secret, StringComparison.Ordinal))
            {
                leaks.Add($"{type.FullName}: {text}");
            }
        }

        output.WriteLine($"FIGURE secrets (ToString): {constructed} public types constructed, secrets set through {string.Join(", ", exercised)}: {leaks.Count} leaks");
        leaks.Should().BeEmpty();
        exercised.Should().Contain(["SymtrainClientOptions.ApiKey", "SenarClientOptions.Password", "UserAssignment.Password", "UserAccessToken.Token", "SenarToken(value)", "AccessToken(value)"]);
    }

    private static async Task Capture(List<string> texts, Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (Exception ex)
        {
            texts.Add(ex.ToString());
            texts.Add(ex.Message);
            if (ex is ApiException api)
            {
                texts.Add(api.ResponseBody ?? string.Empty);
                texts.Add(api.RequestUri?.ToString() ?? string.Empty);
                texts.Add(api.RequestId ?? string.Empty);
            }

            if (ex is ApiValidationException validation)
            {
                texts.AddRange(validation.Errors.Select(e => $"{e.Field}: {e.Message}"));
            }

            return;
        }

        texts.Add("(no exception)");
    }

    /// <summary>Names of members that hold a secret (a <c>…TokenParameter</c> names a query parameter, it holds none).</summary>
    [GeneratedRegex("^(?!.*Parameter$).*(password|apikey|secret|token)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();
}
