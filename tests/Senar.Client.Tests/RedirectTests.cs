using System.Net;
using Senar.Client.Tests.TestSupport;
using Senar.Client.Users;
using TrainingApis.Core;
using TrainingApis.Testing;

namespace Senar.Client.Tests;

/// <summary>Issue 14, "Redirects": the same rule as Symtrain's, for the login (which carries the password) and every call.</summary>
public sealed class RedirectTests
{
    private static readonly UserAssignment Assignment = new()
    {
        Email = "new.user@neworg.example",
        FirstName = "New",
        LastName = "User",
        Password = "Password8",
        Organization = "NewOrg Inc.",
        CollectionId = 42,
    };

    private static readonly (string Name, Func<SenarClient, Task> Call)[] Calls =
    [
        ("Users.List", c => c.Users.ListAsync()),
        ("Activities.List", c => c.Activities.ListAsync()),
        ("Users.AssignCollection", c => c.Users.AssignCollectionAsync(Assignment)),
        ("Webhooks.Register", c => c.Webhooks.RegisterAsync(new Uri("https://hooks.example.com/senar"), Senar.Client.Webhooks.SenarWebhookEvent.User)),
        ("Users.Stream", async c =>
        {
            await foreach (var _ in c.Users.StreamAsync())
            {
            }
        }),
    ];

    [Theory]
    [InlineData(307)]
    [InlineData(308)]
    public async Task A_same_origin_redirect_of_the_login_is_followed_with_its_body_and_every_call_with_its_token(int status)
    {
        var handler = new FakeHttpHandler((request, _) => request.Path.EndsWith('/')
            ? FakeHttpHandler.JsonResponse(Answer(request.Path.TrimEnd('/')))
            : Redirect(status, request.Path + "/"));
        using var client = new SenarClient(SenarFake.Options(), handler, FakeTime.Create());

        foreach (var (_, call) in Calls)
        {
            await call(client);
        }

        var requests = handler.Requests;
        requests.Should().HaveCount(2 * (Calls.Length + 1));
        for (var i = 0; i < requests.Count; i += 2)
        {
            requests[i + 1].Path.Should().Be(requests[i].Path + "/");
            requests[i + 1].Method.Should().Be(requests[i].Method);
            requests[i + 1].Body.Should().Be(requests[i].Body);
            requests[i + 1].Authorization.Should().Be(requests[i].Authorization);
        }

        requests[1].Body.Should().Contain(SenarFake.Password, "the redirected login keeps its body");
        requests.Skip(2).Should().OnlyContain(r => r.Authorization == "Bearer token-1");
    }

    [Theory]
    [InlineData(301, "")]
    [InlineData(302, "")]
    [InlineData(303, "")]
    [InlineData(307, "https://evil.example")]
    [InlineData(308, "http://studio.senar.io")]
    public async Task A_refused_redirect_of_the_login_never_sends_the_password_anywhere_else(int status, string origin)
    {
        var handler = new FakeHttpHandler((request, _) => Redirect(status, origin + request.Path + "/"));
        using var client = new SenarClient(SenarFake.Options(), handler, FakeTime.Create());

        var error = (await FluentActions.Awaiting(() => client.Auth.LoginAsync()).Should().ThrowAsync<ApiException>()).Which;

        error.StatusCode.Should().Be((HttpStatusCode)status);
        error.Message.Should().Contain($"redirected ({status} ").And.Contain("/api/auth/login/").And.NotContain(SenarFake.Password);
        handler.Requests.Should().ContainSingle().Which.Uri!.Host.Should().Be("studio.senar.io");
    }

    [Theory]
    [InlineData(301, "")]
    [InlineData(302, "")]
    [InlineData(303, "")]
    [InlineData(307, "https://evil.example")]
    [InlineData(308, "https://studio.senar.io:8443")]
    public async Task Every_call_refuses_every_other_redirect(int status, string origin)
    {
        foreach (var (name, call) in Calls)
        {
            var fake = new SenarFake(api: request => Redirect(status, origin + request.Path + "/"));
            using var client = fake.CreateClient();

            var error = (await FluentActions.Awaiting(() => call(client)).Should().ThrowAsync<ApiException>(name)).Which;

            error.StatusCode.Should().Be((HttpStatusCode)status, name);
            error.Message.Should().Contain($"redirected ({status} ", name).And.NotContain("token-1");
            fake.ApiRequests.Should().ContainSingle(name).Which.Uri!.Host.Should().Be("studio.senar.io");
        }
    }

    private static HttpResponseMessage Redirect(int status, string location)
    {
        var response = new HttpResponseMessage((HttpStatusCode)status);
        response.Headers.Location = new Uri(location, UriKind.RelativeOrAbsolute);
        return response;
    }

    private static string Answer(string path) => path switch
    {
        SenarFake.LoginPath => """{"Token": "token-1"}""",
        "/integration/data/user_assign" => SeedExamples.UserAssignResponse,
        "/integration/data/webhook_register" => SeedExamples.WebhookRegisterResponse,
        "/integration/data/users" => SeedExamples.UsersResponse,
        _ => "[]",
    };
}
