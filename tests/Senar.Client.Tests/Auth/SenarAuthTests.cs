using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Senar.Client.Auth;
using Senar.Client.Tests.TestSupport;
using Senar.Client.Users;
using TrainingApis.Core;
using TrainingApis.Testing;

namespace Senar.Client.Tests.Auth;

public sealed class SenarAuthTests
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

    public sealed class Login
    {
        [Fact]
        public async Task Posts_username_and_password_as_json_without_authorization()
        {
            var fake = new SenarFake(login: _ => FakeHttpHandler.JsonResponse(SeedExamples.LoginResponse));
            using var client = fake.CreateClient();

            await client.Auth.LoginAsync();

            var login = fake.Handler.Requests.Should().ContainSingle().Subject;
            login.Method.Should().Be(HttpMethod.Post);
            login.Uri.Should().Be(new Uri("https://studio.senar.io/api/auth/login"));
            login.ContentType.Should().Be("application/json; charset=utf-8");
            login.Authorization.Should().BeNull();
            login.Headers["Accept"].Should().Contain("application/json");
            SenarFake.PropertyNames(login).Should().Equal("username", "password");
            var body = SenarFake.ParseBody(login);
            body.GetProperty("username").GetString().Should().Be(SenarFake.Username);
            body.GetProperty("password").GetString().Should().Be(SenarFake.Password);
        }

        [Fact]
        public async Task Reads_the_documented_response_with_its_capital_T_token()
        {
            var fake = new SenarFake(login: _ => FakeHttpHandler.JsonResponse(SeedExamples.LoginResponse));
            using var client = fake.CreateClient();

            var token = await client.Auth.LoginAsync();

            token.Value.Should().Be("eedx...");
            token.ExpiresAt.Should().BeNull();
        }

        [Fact]
        public async Task Sends_the_documented_request_field_names()
        {
            var fake = new SenarFake();
            using var client = fake.CreateClient();

            await client.Auth.LoginAsync();

            var documented = System.Text.Json.JsonDocument.Parse(SeedExamples.LoginRequest).RootElement.EnumerateObject().Select(p => p.Name);
            SenarFake.PropertyNames(fake.Handler.Requests[0]).Should().Equal(documented);
        }

        [Fact]
        public async Task Token_ToString_masks_the_value()
        {
            var fake = new SenarFake(login: _ => FakeHttpHandler.JsonResponse("""{"Token": "very-secret-token-value"}"""));
            using var client = fake.CreateClient();

            var token = await client.Auth.LoginAsync();

            token.ToString().Should().NotContain("very-secret-token-value").And.Contain("***");
        }

        [Fact]
        public async Task The_token_is_sent_as_a_bearer_on_later_calls_without_a_second_login()
        {
            var fake = new SenarFake(login: _ => FakeHttpHandler.JsonResponse(SeedExamples.LoginResponse));
            using var client = fake.CreateClient();

            await client.Auth.LoginAsync();
            await client.Users.ListAsync();

            fake.LoginCount.Should().Be(1);
            fake.ApiRequests.Should().ContainSingle().Which.Authorization.Should().Be("Bearer eedx...");
        }

        [Fact]
        public async Task An_explicit_login_replaces_the_shared_token()
        {
            var fake = new SenarFake();
            using var client = fake.CreateClient();
            using var other = fake.CreateClient();

            await client.Users.ListAsync();
            var fresh = await client.Auth.LoginAsync();
            await other.Users.ListAsync();

            fresh.Value.Should().Be("token-2");
            fake.LoginCount.Should().Be(2);
            fake.ApiRequests.Select(r => r.Authorization).Should().Equal("Bearer token-1", "Bearer token-2");
        }

        [Fact]
        public async Task Concurrent_explicit_logins_share_one_request()
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var fake = new SenarFake(beforeLogin: _ => gate.Task);
            using var client = fake.CreateClient();

            var logins = Enumerable.Range(0, 10).Select(_ => client.Auth.LoginAsync()).ToArray();
            gate.SetResult();
            var tokens = await Task.WhenAll(logins);

            tokens.Select(t => t.Value).Should().AllBe("token-1");
            fake.LoginCount.Should().Be(1);
        }

        [Fact]
        public async Task Goes_through_the_retry_pipeline()
        {
            var fake = new SenarFake(login: n => n == 1 ? SenarFake.Status(HttpStatusCode.ServiceUnavailable) : FakeHttpHandler.JsonResponse("""{"Token": "after-retry"}"""));
            using var client = fake.CreateClient();

            var token = await fake.Time.RunAsync(client.Auth.LoginAsync());

            token.Value.Should().Be("after-retry");
            fake.LoginCount.Should().Be(2);
        }

        [Fact]
        public async Task Takes_a_quota_permit_when_the_quota_is_on()
        {
            var fake = new SenarFake();
            using var client = fake.CreateClient(o =>
            {
                o.RateLimit.Enabled = true;
                o.RateLimit.PermitLimit = 1;
                o.RateLimit.Window = TimeSpan.FromMinutes(1);
            });
            var start = fake.Time.GetUtcNow();

            await fake.Time.RunAsync(client.Users.ListAsync());

            // The login used the only permit of the first minute; the list call waited for the next one.
            fake.Time.GetUtcNow().Should().BeOnOrAfter(start + TimeSpan.FromMinutes(1));
            fake.Handler.Count.Should().Be(2);
        }

        [Fact]
        public async Task An_answer_without_a_token_is_an_authentication_error()
        {
            var fake = new SenarFake(login: _ => FakeHttpHandler.JsonResponse("""{"token_type": "bearer"}"""));
            using var client = fake.CreateClient();

            var act = () => client.Auth.LoginAsync();

            (await act.Should().ThrowAsync<ApiAuthenticationException>()).Which.Message.Should().Contain("without a token");
        }
    }

    public sealed class LazyLogin
    {
        [Fact]
        public async Task Logs_in_on_first_use_only()
        {
            var fake = new SenarFake();
            using var client = fake.CreateClient();

            fake.Handler.Count.Should().Be(0);
            await client.Users.ListAsync();
            await client.Activities.ListAsync();
            await client.Users.ListAsync();

            fake.LoginCount.Should().Be(1);
            fake.Handler.Requests[0].Path.Should().Be(SenarFake.LoginPath);
            fake.ApiRequests.Should().HaveCount(3).And.OnlyContain(r => r.Authorization == "Bearer token-1");
        }

        [Fact]
        public async Task Fifty_concurrent_first_calls_cause_exactly_one_login()
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var fake = new SenarFake(beforeLogin: _ => gate.Task);
            using var client = fake.CreateClient();

            var calls = Enumerable.Range(0, 50).Select(i => i % 2 == 0 ? (Task)client.Users.ListAsync() : client.Activities.ListAsync()).ToArray();
            gate.SetResult();
            await Task.WhenAll(calls);

            fake.LoginCount.Should().Be(1);
            fake.ApiRequests.Should().HaveCount(50).And.OnlyContain(r => r.Authorization == "Bearer token-1");
        }

        [Fact]
        public async Task Neither_the_password_nor_the_token_is_ever_logged()
        {
            var logs = new FakeLogCollector();
            using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)).SetMinimumLevel(LogLevel.Trace));
            var expired = false;
            var fake = new SenarFake(api: r => expired && r.Authorization == "Bearer token-1" ? SenarFake.Status(HttpStatusCode.Unauthorized) : FakeHttpHandler.JsonResponse("[]"));
            using var client = fake.CreateClient(loggerFactory: loggerFactory);

            await client.Users.ListAsync();
            expired = true;
            await client.Activities.ListAsync();

            logs.Messages().Should().NotBeEmpty();
            logs.Messages().Should().NotContain(m => m.Contains(SenarFake.Password) || m.Contains("token-1") || m.Contains("token-2"));
        }

        [Fact]
        public async Task Clients_of_the_same_credential_share_one_token()
        {
            var fake = new SenarFake();
            using var first = fake.CreateClient();
            using var second = fake.CreateClient();

            await first.Users.ListAsync();
            await second.Activities.ListAsync();

            fake.LoginCount.Should().Be(1);
        }

        [Fact]
        public async Task Clients_of_different_credentials_log_in_separately()
        {
            var fake = new SenarFake();
            using var first = fake.CreateClient();
            using var second = fake.CreateClient(o => o.Username = "someone-else@example.com");

            await first.Users.ListAsync();
            await second.Users.ListAsync();

            fake.LoginCount.Should().Be(2);
            fake.ApiRequests.Select(r => r.Authorization).Should().Equal("Bearer token-1", "Bearer token-2");
        }

        [Fact]
        public async Task A_jwt_token_is_renewed_before_its_expiry_without_waiting_for_a_401()
        {
            var fake = new SenarFake(login: n => FakeHttpHandler.JsonResponse($$"""{"Token": "{{Jwt(n)}}"}"""));
            using var client = fake.CreateClient();

            await client.Users.ListAsync();
            fake.Time.Advance(TimeSpan.FromMinutes(59) + TimeSpan.FromSeconds(45)); // within the 30-second margin
            await client.Users.ListAsync();

            fake.LoginCount.Should().Be(2);
            fake.ApiRequests.Select(r => r.Authorization).Should().Equal($"Bearer {Jwt(1)}", $"Bearer {Jwt(2)}");

            string Jwt(int n)
            {
                var exp = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddHours(n).ToUnixTimeSeconds();
                return $"{B64("""{"alg":"HS256","typ":"JWT"}""")}.{B64($$"""{"sub":"api","exp":{{exp}}}""")}.signature{n}";
            }

            static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        }
    }

    public sealed class Expiry
    {
        [Fact]
        public async Task A_401_in_a_sequence_of_calls_causes_one_relogin_and_one_replay_with_the_body()
        {
            var expired = false;
            var fake = new SenarFake(api: r =>
                expired && r.Authorization == "Bearer token-1"
                    ? SenarFake.Status(HttpStatusCode.Unauthorized)
                    : r.Path.EndsWith("user_assign", StringComparison.Ordinal)
                        ? FakeHttpHandler.JsonResponse(SeedExamples.UserAssignResponse)
                        : FakeHttpHandler.JsonResponse("[]"));
            using var client = fake.CreateClient();

            await client.Users.ListAsync();
            await client.Activities.ListAsync();
            expired = true;
            var result = await client.Users.AssignCollectionAsync(Assignment);
            await client.Activities.ListAsync();

            result.Succeed.Should().BeTrue();
            fake.LoginCount.Should().Be(2);
            fake.Handler.Requests.Select(r => $"{r.Method} {r.Path} {r.Authorization}").Should().Equal(
                "POST /api/auth/login ",
                "GET /integration/data/users Bearer token-1",
                "GET /integration/data/activities Bearer token-1",
                "POST /integration/data/user_assign Bearer token-1",
                "POST /api/auth/login ",
                "POST /integration/data/user_assign Bearer token-2",
                "GET /integration/data/activities Bearer token-2");
            var assigns = fake.ApiRequests.Where(r => r.Method == HttpMethod.Post).ToList();
            assigns.Should().HaveCount(2);
            assigns[1].Body.Should().Be(assigns[0].Body).And.Contain("\"collectionId\":42");
            assigns[1].ContentType.Should().Be("application/json; charset=utf-8");
        }

        [Fact]
        public async Task Many_concurrent_401s_share_one_relogin()
        {
            var expired = false;
            var fake = new SenarFake(api: r => expired && r.Authorization == "Bearer token-1" ? SenarFake.Status(HttpStatusCode.Unauthorized) : FakeHttpHandler.JsonResponse("[]"));
            using var client = fake.CreateClient();
            await client.Users.ListAsync();
            expired = true;

            await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.Activities.ListAsync()));

            fake.LoginCount.Should().Be(2);
            fake.ApiRequests.Count(r => r.Authorization == "Bearer token-2").Should().Be(20);
        }

        [Fact]
        public async Task A_second_401_after_the_replay_is_an_authentication_error()
        {
            var fake = new SenarFake(api: _ => SenarFake.Status(HttpStatusCode.Unauthorized, """{"message": "Token rejected"}"""));
            using var client = fake.CreateClient();

            var act = () => client.Activities.ListAsync();

            var error = (await act.Should().ThrowAsync<ApiAuthenticationException>()).Which;
            error.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            error.Message.Should().Contain("Token rejected");
            fake.LoginCount.Should().Be(2);
            fake.ApiRequests.Select(r => r.Authorization).Should().Equal("Bearer token-1", "Bearer token-2");
        }

        [Fact]
        public async Task The_token_is_masked_in_error_bodies()
        {
            var fake = new SenarFake(api: r => SenarFake.Status(HttpStatusCode.BadRequest, $$"""{"message": "bad request for {{r.Authorization}}"}"""));
            using var client = fake.CreateClient();

            var act = () => client.Users.ListAsync();

            var error = (await act.Should().ThrowAsync<ApiValidationException>()).Which;
            error.ResponseBody.Should().NotContain("token-1").And.Contain("***");
            error.Message.Should().NotContain("token-1");
        }
    }

    public sealed class BadCredentials
    {
        [Fact]
        public async Task Make_exactly_one_login_attempt_and_a_clear_error_without_the_password()
        {
            var logs = new FakeLogCollector();
            using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)).SetMinimumLevel(LogLevel.Trace));
            var fake = new SenarFake(login: _ => SenarFake.Status(HttpStatusCode.Unauthorized, """{"message": "Invalid username or password"}"""));
            using var client = fake.CreateClient(loggerFactory: loggerFactory);

            var act = () => client.Users.ListAsync();

            var error = (await act.Should().ThrowAsync<ApiAuthenticationException>()).Which;
            fake.Handler.Count.Should().Be(1);
            fake.LoginCount.Should().Be(1);
            error.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            error.Message.Should().Contain("login failed").And.Contain(SenarFake.Username).And.Contain("Invalid username or password");
            error.ToString().Should().NotContain(SenarFake.Password);
            (error.ResponseBody ?? string.Empty).Should().NotContain(SenarFake.Password);
            logs.Messages().Should().NotBeEmpty().And.NotContain(m => m.Contains(SenarFake.Password));
        }

        [Fact]
        public async Task A_password_echoed_by_the_server_is_masked()
        {
            var fake = new SenarFake(login: _ => SenarFake.Status(HttpStatusCode.BadRequest, $$"""{"message": "Password '{{SenarFake.Password}}' is wrong"}"""));
            using var client = fake.CreateClient();

            var act = () => client.Auth.LoginAsync();

            var error = (await act.Should().ThrowAsync<ApiAuthenticationException>()).Which;
            error.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            error.ToString().Should().NotContain(SenarFake.Password);
            error.ResponseBody.Should().Contain("***");
            error.InnerException.Should().BeOfType<ApiValidationException>().Which.ToString().Should().NotContain(SenarFake.Password);
        }

        [Fact]
        public async Task A_refused_login_is_remembered_until_an_explicit_login()
        {
            var fake = new SenarFake(login: n => n == 1 ? SenarFake.Status(HttpStatusCode.Unauthorized) : FakeHttpHandler.JsonResponse("""{"Token": "ok"}"""));
            using var client = fake.CreateClient();

            var first = await FluentActions.Awaiting(() => client.Users.ListAsync()).Should().ThrowAsync<ApiAuthenticationException>();
            await FluentActions.Awaiting(() => client.Activities.ListAsync()).Should().ThrowAsync<ApiAuthenticationException>();
            fake.LoginCount.Should().Be(1);
            await client.Auth.LoginAsync();
            await client.Users.ListAsync();

            fake.LoginCount.Should().Be(2);
            fake.ApiRequests.Should().ContainSingle().Which.Authorization.Should().Be("Bearer ok");
        }

        [Fact]
        public async Task Concurrent_first_calls_with_bad_credentials_share_one_failed_login()
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var fake = new SenarFake(login: _ => SenarFake.Status(HttpStatusCode.Unauthorized), beforeLogin: _ => gate.Task);
            using var client = fake.CreateClient();

            var calls = Enumerable.Range(0, 10).Select(_ => client.Users.ListAsync()).ToArray();
            gate.SetResult();

            foreach (var call in calls)
            {
                await ((Func<Task>)(() => call)).Should().ThrowAsync<ApiAuthenticationException>();
            }

            fake.LoginCount.Should().Be(1);
            fake.ApiRequests.Should().BeEmpty();
        }
    }
}
