using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Senar.Client.Tests.TestSupport;
using Senar.Client.Users;
using TrainingApis.Core;
using TrainingApis.Testing;

namespace Senar.Client.Tests.Auth;

/// <summary>Issue 14, "Secrets outside the body": the password, the token and a new user's password, in every form.</summary>
public sealed class SecretEchoTests
{
    // "~~~?" makes the Base64 form carry '+' and padding, so its URL-safe twin is a distinct case.
    private const string Password = "S\u00EBcret+Pass&word1~~~?";
    private const string NewUserPassword = "N3w+user&pass";

    public static TheoryData<string> PasswordForms()
    {
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(Password));
        return
        [
            "S%C3%ABcret%2BPass%26word1~~~%3F",
            "S%c3%abcret%2bPass%26word1~~~%3f",
            "S\\u00EBcret\\u002BPass\\u0026word1~~~?",
            base64,
            base64.TrimEnd('=').Replace('+', '-').Replace('/', '_'),
        ];
    }

    [Theory]
    [MemberData(nameof(PasswordForms))]
    public async Task A_login_error_echoing_the_password_keeps_it_nowhere(string echoed)
    {
        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)).SetMinimumLevel(LogLevel.Trace));
        var fake = new SenarFake(login: _ =>
        {
            var response = SenarFake.Status(HttpStatusCode.Unauthorized, $$"""{"message":"Invalid login: username=api%40example.com&password={{echoed}}"}""");
            response.Headers.TryAddWithoutValidation("x-request-id", "gw-" + echoed);
            return response;
        });
        using var client = fake.CreateClient(o => o.Password = Password, loggerFactory);

        var error = (await FluentActions.Awaiting(() => client.Users.ListAsync()).Should().ThrowAsync<ApiAuthenticationException>()).Which;

        error.ResponseBody.Should().Contain("password=***");
        var texts = new[] { error.Message, error.ResponseBody, error.RequestId, error.ToString() }.Concat(logs.Messages());
        texts.Should().NotContain(t => t != null && (t.Contains(echoed, StringComparison.Ordinal) || t.Contains("word1", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_token_echoed_in_a_request_id_is_masked()
    {
        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)).SetMinimumLevel(LogLevel.Trace));
        var fake = new SenarFake(
            api: r =>
            {
                var response = SenarFake.Status(HttpStatusCode.InternalServerError, "{}");
                response.Headers.TryAddWithoutValidation("x-request-id", "gw-" + Convert.ToBase64String(Encoding.UTF8.GetBytes(r.Authorization!)));
                response.Headers.TryAddWithoutValidation("x-correlation-id", "gw-" + r.Authorization);
                return response;
            },
            login: _ => FakeHttpHandler.JsonResponse("""{"Token": "secret-token-7f3e9a"}"""));
        using var client = fake.CreateClient(o => o.Retry.MaxRetries = 0, loggerFactory);

        var error = (await FluentActions.Awaiting(() => client.Activities.ListAsync()).Should().ThrowAsync<ApiException>()).Which;

        error.RequestId.Should().StartWith("gw-");
        var tokenBase64 = Convert.ToBase64String(Encoding.UTF8.GetBytes("secret-token-7f3e9a")).Substring(0, 12);
        new[] { error.Message, error.RequestId, error.ToString() }.Concat(logs.Messages())
            .Should().NotContain(t => t != null && (t.Contains("secret-token-7f3e9a", StringComparison.Ordinal) || t.Contains(tokenBase64, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_new_users_password_echoed_url_encoded_in_a_header_and_the_body_is_masked()
    {
        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)).SetMinimumLevel(LogLevel.Trace));
        var encoded = Uri.EscapeDataString(NewUserPassword);
        var fake = new SenarFake(api: _ =>
        {
            var response = SenarFake.Status(HttpStatusCode.BadRequest, $$"""{"message":"weak password {{encoded}}"}""");
            response.Headers.TryAddWithoutValidation("x-request-id", "gw-" + encoded);
            return response;
        });
        using var client = fake.CreateClient(loggerFactory: loggerFactory);
        var assignment = new UserAssignment
        {
            Email = "new.user@neworg.example",
            FirstName = "New",
            LastName = "User",
            Password = NewUserPassword,
            Organization = "NewOrg Inc.",
            CollectionId = 42,
        };

        var error = (await FluentActions.Awaiting(() => client.Users.AssignCollectionAsync(assignment)).Should().ThrowAsync<ApiException>()).Which;

        error.ResponseBody.Should().Contain("weak password ***");
        error.RequestId.Should().Be("gw-***");
        new[] { error.Message, error.ResponseBody, error.RequestId, error.ToString() }.Concat(logs.Messages())
            .Should().NotContain(t => t != null && (t.Contains(encoded, StringComparison.Ordinal) || t.Contains("user&pass", StringComparison.Ordinal)));
    }
}
