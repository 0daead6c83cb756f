using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Senar.Client.Auth;
using Senar.Client.Tests.TestSupport;
using TrainingApis.Core;

namespace Senar.Client.Tests;

/// <summary>
/// Issue 14, a stranger's probes of the Senar token lifecycle on inputs the first tests did not try: other token lives,
/// odd claims, tokens that are not JWTs, other refusals, tenants, reloads, the shared token store, and a 401 that a new
/// token does not cure.
/// </summary>
public sealed class Stranger14AuthTests
{
    private static string Jwt(string payload, int n = 1) => $"{B64("""{"alg":"HS256","typ":"JWT"}""")}.{B64(payload)}.signature{n}";

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static long Unix(DateTimeOffset at) => at.ToUnixTimeSeconds();

    private static HttpResponseMessage Token(string token) => FakeHttpHandler.JsonResponse($$"""{"Token": "{{token}}"}""");

    public sealed class TokenLives
    {
        [Theory]
        [InlineData(1)]
        [InlineData(20)]
        [InlineData(59)]
        [InlineData(3600)]
        public async Task Ten_sequential_and_ten_concurrent_calls_share_one_login_whatever_the_tokens_life(int seconds)
        {
            SenarFake? fake = null;
            fake = new SenarFake(login: n => Token(Jwt($$"""{"exp":{{Unix(fake!.Time.GetUtcNow().AddSeconds(seconds))}}}""", n)));
            using var client = fake.CreateClient();

            for (var i = 0; i < 10; i++)
            {
                await client.Users.ListAsync();
            }

            await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.Activities.ListAsync()));

            fake.LoginCount.Should().Be(1);
            fake.ApiRequests.Should().HaveCount(20).And.OnlyContain(r => r.Authorization!.EndsWith("signature1", StringComparison.Ordinal));
        }

        [Theory]
        [InlineData(1)]
        [InlineData(20)]
        [InlineData(59)]
        public async Task A_short_token_is_renewed_once_per_life_not_once_per_call(int seconds)
        {
            SenarFake? fake = null;
            fake = new SenarFake(login: n => Token(Jwt($$"""{"exp":{{Unix(fake!.Time.GetUtcNow().AddSeconds(seconds))}}}""", n)));
            using var client = fake.CreateClient();

            // 100 calls spread over three lives of the token.
            var step = TimeSpan.FromSeconds(seconds * 3.0 / 100);
            for (var i = 0; i < 100; i++)
            {
                await client.Users.ListAsync();
                fake.Time.Advance(step);
            }

            // exp is in whole seconds: a token renewed in the last tenth of a second may get the same second, so at most
            // two logins per life; never one per call.
            fake.LoginCount.Should().BeInRange(3, 7, "about one login per life of the token (renewed a tenth of its life early)");
        }

        [Fact]
        public async Task Twenty_concurrent_calls_at_renewal_time_share_one_login()
        {
            SenarFake? fake = null;
            fake = new SenarFake(login: n => Token(Jwt($$"""{"exp":{{Unix(fake!.Time.GetUtcNow().AddSeconds(20))}}}""", n)));
            using var client = fake.CreateClient();
            await client.Users.ListAsync();
            fake.Time.Advance(TimeSpan.FromSeconds(19));

            await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.Users.ListAsync()));

            fake.LoginCount.Should().Be(2);
            fake.ApiRequests.Skip(1).Should().OnlyContain(r => r.Authorization!.EndsWith("signature2", StringComparison.Ordinal));
        }

        [Theory]
        [InlineData(HttpStatusCode.InternalServerError)]
        [InlineData(HttpStatusCode.ServiceUnavailable)]
        [InlineData(HttpStatusCode.TooManyRequests)]
        public async Task An_early_renewal_that_fails_keeps_the_token_the_server_still_accepts_until_it_expires(HttpStatusCode status)
        {
            // A 100-second token is renewed at 90 s; Senar's login is down from then on.
            var down = false;
            SenarFake? fake = null;
            fake = new SenarFake(login: n => down ? SenarFake.Status(status) : Token(Jwt($$"""{"exp":{{Unix(fake!.Time.GetUtcNow().AddSeconds(100))}}}""", n)));
            using var client = fake.CreateClient(o => o.Retry.MaxRetries = 0);
            await client.Users.ListAsync();
            down = true;
            fake.Time.Advance(TimeSpan.FromSeconds(91));

            for (var i = 0; i < 8; i++)
            {
                await client.Users.ListAsync();
                fake.Time.Advance(TimeSpan.FromSeconds(1));
            }

            fake.ApiRequests.Should().HaveCount(9).And.OnlyContain(r => r.Authorization!.EndsWith("signature1", StringComparison.Ordinal));
            fake.LoginCount.Should().BeInRange(2, 5, "the renewal is tried again after a backoff (1 s, 2 s, 4 s), not per call");
            fake.Time.Advance(TimeSpan.FromSeconds(1));
            await FluentActions.Awaiting(() => client.Users.ListAsync()).Should().ThrowAsync<ApiException>("once the token has expired the login's failure is the call's");
        }

        [Fact]
        public async Task An_early_renewal_refused_with_401_fails_at_once_and_is_remembered()
        {
            var refused = false;
            SenarFake? fake = null;
            fake = new SenarFake(login: n => refused ? SenarFake.Status(HttpStatusCode.Unauthorized) : Token(Jwt($$"""{"exp":{{Unix(fake!.Time.GetUtcNow().AddSeconds(100))}}}""", n)));
            using var client = fake.CreateClient();
            await client.Users.ListAsync();
            refused = true;
            fake.Time.Advance(TimeSpan.FromSeconds(91));

            await FluentActions.Awaiting(() => client.Users.ListAsync()).Should().ThrowAsync<ApiAuthenticationException>();
            await FluentActions.Awaiting(() => client.Users.ListAsync()).Should().ThrowAsync<ApiAuthenticationException>();

            fake.LoginCount.Should().Be(2, "the password no longer works: remembered, as any refused login");
        }

        [Fact]
        public async Task A_client_clock_behind_the_servers_costs_one_replay_when_the_server_refuses_the_token()
        {
            // Our clock is 1 hour behind: a 20-second token looks good for 1 h 20 s; the server refuses it after 20 s.
            SenarFake? fake = null;
            var serverNow = () => fake!.Time.GetUtcNow().AddHours(1);
            var issued = new Dictionary<string, DateTimeOffset>();
            fake = new SenarFake(
                api: r => serverNow() >= issued[r.Authorization!["Bearer ".Length..]] ? SenarFake.Status(HttpStatusCode.Unauthorized) : FakeHttpHandler.JsonResponse("[]"),
                login: n =>
                {
                    var token = Jwt($$"""{"exp":{{Unix(serverNow().AddSeconds(20))}}}""", n);
                    issued[token] = serverNow().AddSeconds(20);
                    return Token(token);
                });
            using var client = fake.CreateClient();

            for (var i = 0; i < 10; i++)
            {
                await client.Users.ListAsync();
            }

            fake.Time.Advance(TimeSpan.FromSeconds(21));
            for (var i = 0; i < 10; i++)
            {
                await client.Users.ListAsync();
            }

            fake.LoginCount.Should().Be(2, "the 401 replaces the token once; the new one serves the rest");
        }

        public static TheoryData<string, string> OddClaims() => new()
        {
            { "exp far in the future (year 9999)", """{"exp":253402300799}""" },
            { "exp past year 9999", """{"exp":253402300800}""" },
            { "exp 1e300", """{"exp":1e300}""" },
            { "exp 1e400 (not a finite double)", """{"exp":1e400}""" },
            { "exp negative", """{"exp":-5}""" },
            { "exp zero", """{"exp":0}""" },
            { "exp a string", """{"exp":"soon"}""" },
            { "exp a numeric string far away", """{"exp":"99999999999"}""" },
            { "exp true", """{"exp":true}""" },
            { "exp an object", """{"exp":{"at":1}}""" },
            { "exp null", """{"exp":null}""" },
            { "no exp, nbf and iat in the future", $$"""{"nbf":{{Unix(DateTimeOffset.UtcNow.AddDays(1))}},"iat":{{Unix(DateTimeOffset.UtcNow.AddDays(1))}}}""" },
            { "iat after exp", """{"exp":1000000000,"iat":2000000000}""" },
            { "payload is an array", "[1,2,3]" },
            { "payload is a number", "42" },
            { "payload is null", "null" },
            { "payload is not JSON", "not json at all" },
            { "duplicate exp", """{"exp":1,"exp":2}""" },
        };

        [Theory]
        [MemberData(nameof(OddClaims))]
        public async Task A_jwt_with_odd_claims_logs_in_once_and_is_used_until_a_401(string what, string payload)
        {
            var rejected = false;
            var fake = new SenarFake(
                api: r => rejected && r.Authorization!.EndsWith("signature1", StringComparison.Ordinal) ? SenarFake.Status(HttpStatusCode.Unauthorized) : FakeHttpHandler.JsonResponse("[]"),
                login: n => Token(Jwt(payload, n)));
            using var client = fake.CreateClient();

            for (var i = 0; i < 10; i++)
            {
                await client.Users.ListAsync();
                fake.Time.Advance(TimeSpan.FromMinutes(1));
            }

            fake.LoginCount.Should().Be(1, what);
            rejected = true;
            await client.Users.ListAsync();
            await client.Users.ListAsync();
            fake.LoginCount.Should().Be(2, what);
        }

        [Theory]
        [InlineData("opaque-token")]
        [InlineData("a.b")]
        [InlineData("a.b.c.d")]
        [InlineData("a.!!!.c")]
        [InlineData("a..c")]
        [InlineData("eyJhbGciOiJub25lIn0.eyJleHAiOjF9")]
        [InlineData("a.%2F%2F.c")]
        public async Task A_token_that_is_not_a_jwt_logs_in_once_for_any_number_of_calls(string token)
        {
            var fake = new SenarFake(login: _ => Token(token));
            using var client = fake.CreateClient();

            for (var i = 0; i < 20; i++)
            {
                await client.Users.ListAsync();
                fake.Time.Advance(TimeSpan.FromHours(1));
            }

            fake.LoginCount.Should().Be(1);
            fake.ApiRequests.Should().OnlyContain(r => r.Authorization == "Bearer " + token);
        }

        [Fact]
        public async Task A_payload_over_16_KB_is_not_read_and_does_not_fail_the_login()
        {
            var padding = new string('x', 20 * 1024);
            var fake = new SenarFake(login: n => Token(Jwt($$"""{"exp":1,"pad":"{{padding}}"}""", n)));
            using var client = fake.CreateClient();

            for (var i = 0; i < 5; i++)
            {
                await client.Users.ListAsync();
            }

            fake.LoginCount.Should().Be(1);
        }
    }

    public sealed class Refusals
    {
        [Theory]
        [InlineData(HttpStatusCode.BadRequest)]
        [InlineData(HttpStatusCode.UnprocessableEntity)]
        [InlineData(HttpStatusCode.NotFound)]
        public async Task A_login_refused_with_another_client_error_is_not_repeated_per_call(HttpStatusCode status)
        {
            var fake = new SenarFake(login: _ => SenarFake.Status(status, """{"message": "bad credentials"}"""));
            using var client = fake.CreateClient();

            for (var i = 0; i < 20; i++)
            {
                await FluentActions.Awaiting(() => fake.Time.RunAsync(client.Users.ListAsync())).Should().ThrowAsync<ApiException>();
            }

            fake.LoginCount.Should().Be(1, "twenty calls in the same second share the failure's backoff");
            fake.ApiRequests.Should().BeEmpty();
        }

        [Fact]
        public async Task A_login_answering_429_waits_for_its_retry_after_before_the_next_login()
        {
            var fake = new SenarFake(login: _ =>
            {
                var response = SenarFake.Status(HttpStatusCode.TooManyRequests);
                response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(40));
                return response;
            });
            using var client = fake.CreateClient(o => o.Retry.MaxRetries = 0);

            await FluentActions.Awaiting(() => client.Users.ListAsync()).Should().ThrowAsync<ApiRateLimitException>();
            fake.Time.Advance(TimeSpan.FromSeconds(30));
            await FluentActions.Awaiting(() => client.Users.ListAsync()).Should().ThrowAsync<ApiRateLimitException>();
            fake.LoginCount.Should().Be(1, "the server asked for 40 s");
            fake.Time.Advance(TimeSpan.FromSeconds(11));
            await FluentActions.Awaiting(() => client.Users.ListAsync()).Should().ThrowAsync<ApiRateLimitException>();
            fake.LoginCount.Should().Be(2);
        }

        [Fact]
        public async Task A_transport_failure_of_the_login_is_shared_then_retried_after_the_backoff()
        {
            var failing = true;
            var fake = new SenarFake(beforeLogin: _ => failing ? Task.FromException(new HttpRequestException(HttpRequestError.ConnectionError, "refused")) : Task.CompletedTask);
            using var client = fake.CreateClient(o => o.Retry.MaxRetries = 0);

            for (var i = 0; i < 10; i++)
            {
                await FluentActions.Awaiting(() => client.Users.ListAsync()).Should().ThrowAsync<ApiException>();
            }

            fake.LoginCount.Should().Be(1);
            failing = false;
            fake.Time.Advance(TimeSpan.FromSeconds(1));
            await client.Users.ListAsync();
            fake.LoginCount.Should().Be(2);
        }

        [Fact]
        public async Task An_explicit_login_after_a_remembered_refusal_tries_again_and_its_token_serves_the_calls()
        {
            var accept = false;
            var fake = new SenarFake(login: n => accept ? Token("token-" + n) : SenarFake.Status(HttpStatusCode.Unauthorized));
            using var client = fake.CreateClient();
            await FluentActions.Awaiting(() => client.Users.ListAsync()).Should().ThrowAsync<ApiAuthenticationException>();
            accept = true;

            await FluentActions.Awaiting(() => client.Users.ListAsync()).Should().ThrowAsync<ApiAuthenticationException>("still remembered");
            var token = await client.Auth.LoginAsync();
            await client.Users.ListAsync();
            await client.Activities.ListAsync();

            token.Value.Should().Be("token-2");
            fake.LoginCount.Should().Be(2);
            fake.ApiRequests.Should().HaveCount(2).And.OnlyContain(r => r.Authorization == "Bearer token-2");
        }

        [Fact]
        public async Task Concurrent_callers_share_one_refused_login()
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var fake = new SenarFake(login: _ => SenarFake.Status(HttpStatusCode.Unauthorized), beforeLogin: _ => gate.Task);
            using var client = fake.CreateClient();

            var calls = Enumerable.Range(0, 30).Select(i => i % 3 == 0 ? client.Users.ListAsync() : i % 3 == 1 ? (Task)client.Activities.ListAsync() : client.Auth.LoginAsync()).ToArray();
            gate.SetResult();
            var errors = new List<Exception>();
            foreach (var call in calls)
            {
                errors.Add((await FluentActions.Awaiting(() => call).Should().ThrowAsync<ApiAuthenticationException>()).Which);
            }

            fake.LoginCount.Should().Be(1);
            errors.Distinct().Should().ContainSingle();
        }

        [Fact]
        public async Task A_refused_login_of_one_tenant_never_locks_out_another_in_the_same_container()
        {
            var handler = new FakeHttpHandler((request, _) =>
            {
                if (request.Path.EndsWith(SenarFake.LoginPath, StringComparison.Ordinal))
                {
                    return request.Body.Contains("Right-pass-1", StringComparison.Ordinal) ? Token("token-ok") : SenarFake.Status(HttpStatusCode.Unauthorized);
                }

                return FakeHttpHandler.JsonResponse("[]");
            });
            var services = new ServiceCollection();
            services.AddSingleton<TimeProvider>(FakeTime.Create());

            // Same username and address, one password wrong; and another user whose password is wrong.
            services.AddSenarClient("wrong", o => (o.Username, o.Password) = ("shared@example.com", "Wrong-pass-1")).ConfigurePrimaryHttpMessageHandler(() => handler);
            services.AddSenarClient("right", o => (o.Username, o.Password) = ("shared@example.com", "Right-pass-1")).ConfigurePrimaryHttpMessageHandler(() => handler);
            services.AddSenarClient("other", o => (o.Username, o.Password) = ("other@example.com", "Wrong-pass-2")).ConfigurePrimaryHttpMessageHandler(() => handler);
            services.AddSenarClient(o => (o.Username, o.Password) = ("default@example.com", "Right-pass-1")).ConfigurePrimaryHttpMessageHandler(() => handler);
            await using var provider = services.BuildServiceProvider();

            await FluentActions.Awaiting(() => provider.GetRequiredKeyedService<ISenarClient>("wrong").Users.ListAsync()).Should().ThrowAsync<ApiAuthenticationException>();
            await FluentActions.Awaiting(() => provider.GetRequiredKeyedService<ISenarClient>("other").Users.ListAsync()).Should().ThrowAsync<ApiAuthenticationException>();
            await provider.GetRequiredKeyedService<ISenarClient>("right").Users.ListAsync();
            await provider.GetRequiredService<ISenarClient>().Users.ListAsync();
            await FluentActions.Awaiting(() => provider.GetRequiredKeyedService<ISenarClient>("wrong").Activities.ListAsync()).Should().ThrowAsync<ApiAuthenticationException>();

            handler.Requests.Count(r => r.Path.EndsWith(SenarFake.LoginPath, StringComparison.Ordinal)).Should().Be(4, "one per credential, the refused ones remembered");
            handler.Requests.Where(r => r.Path.StartsWith("/integration/", StringComparison.Ordinal)).Should().HaveCount(2).And.OnlyContain(r => r.Authorization == "Bearer token-ok");
        }

        [Fact]
        public async Task A_reload_of_the_username_forgets_the_refused_login()
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Senar:Username"] = "typo@example.con",
                ["Senar:Password"] = "Right-pass-1",
            }).Build();
            var handler = new FakeHttpHandler((request, _) =>
                request.Path.EndsWith(SenarFake.LoginPath, StringComparison.Ordinal)
                    ? request.Body.Contains("typo@", StringComparison.Ordinal) ? SenarFake.Status(HttpStatusCode.Unauthorized) : Token("fresh")
                    : FakeHttpHandler.JsonResponse("[]"));
            var services = new ServiceCollection();
            services.AddSingleton<TimeProvider>(FakeTime.Create());
            services.AddSenarClient(configuration.GetSection("Senar")).ConfigurePrimaryHttpMessageHandler(() => handler);
            await using var provider = services.BuildServiceProvider();
            var client = provider.GetRequiredService<ISenarClient>();

            await FluentActions.Awaiting(() => client.Users.ListAsync()).Should().ThrowAsync<ApiAuthenticationException>();
            await FluentActions.Awaiting(() => client.Users.ListAsync()).Should().ThrowAsync<ApiAuthenticationException>();
            configuration["Senar:Username"] = "api@example.com";
            ((IConfigurationRoot)configuration).Reload();
            await client.Users.ListAsync();
            await client.Activities.ListAsync();

            handler.Requests.Select(r => $"{r.Path} {r.Authorization}").Should().Equal(
                "/api/auth/login ",
                "/api/auth/login ",
                "/integration/data/users Bearer fresh",
                "/integration/data/activities Bearer fresh");
        }
    }

    public sealed class HungLogin
    {
        [Fact]
        public async Task Every_waiter_of_a_hung_login_fails_at_the_bound_and_the_recovered_server_serves_the_next_call()
        {
            var answering = false;
            var fake = new SenarFake(beforeLogin: _ => answering ? Task.CompletedTask : Task.Delay(Timeout.Infinite));
            using var client = fake.CreateClient(o =>
            {
                o.Timeout = Timeout.InfiniteTimeSpan;
                o.AttemptTimeout = Timeout.InfiniteTimeSpan;
            });
            using var impatient = new CancellationTokenSource();

            var waiting = Enumerable.Range(0, 5).Select(_ => client.Users.ListAsync()).ToList();
            var cancelled = client.Activities.ListAsync(impatient.Token);
            await impatient.CancelAsync();
            await FluentActions.Awaiting(() => cancelled.WaitAsync(TimeSpan.FromSeconds(30))).Should().ThrowAsync<OperationCanceledException>();
            fake.Time.Advance(TimeSpan.FromSeconds(100));
            foreach (var call in waiting)
            {
                await FluentActions.Awaiting(() => call.WaitAsync(TimeSpan.FromSeconds(30))).Should().ThrowAsync<TimeoutException>();
            }

            answering = true;
            fake.Time.Advance(TimeSpan.FromSeconds(1));
            await client.Users.ListAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await client.Auth.LoginAsync().WaitAsync(TimeSpan.FromSeconds(30));
            fake.LoginCount.Should().Be(3, "the hung one, the recovered one, the explicit one");
        }

        [Fact]
        public async Task A_timed_out_login_is_shared_for_its_backoff_then_tried_again()
        {
            var answering = false;
            var fake = new SenarFake(beforeLogin: _ => answering ? Task.CompletedTask : Task.Delay(Timeout.Infinite));
            using var client = fake.CreateClient(o => o.AttemptTimeout = TimeSpan.FromSeconds(5));

            var first = client.Users.ListAsync();
            fake.Time.Advance(TimeSpan.FromSeconds(5));
            var timedOut = (await FluentActions.Awaiting(() => first.WaitAsync(TimeSpan.FromSeconds(30))).Should().ThrowAsync<TimeoutException>()).Which;
            answering = true;
            var again = (await FluentActions.Awaiting(() => client.Activities.ListAsync().WaitAsync(TimeSpan.FromSeconds(30))).Should().ThrowAsync<TimeoutException>()).Which;

            again.Should().BeSameAs(timedOut, "a call within the backoff gets the same failure, without a login");
            fake.LoginCount.Should().Be(1);
            fake.Time.Advance(TimeSpan.FromSeconds(1));
            await client.Users.ListAsync().WaitAsync(TimeSpan.FromSeconds(30));
            fake.LoginCount.Should().Be(2);
        }

        [Fact]
        public async Task An_explicit_login_during_a_hung_login_joins_it_and_its_caller_may_cancel_without_poisoning_it()
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var fake = new SenarFake(beforeLogin: _ => gate.Task);
            using var client = fake.CreateClient(o => o.AttemptTimeout = Timeout.InfiniteTimeSpan);
            using var impatient = new CancellationTokenSource();

            var call = client.Users.ListAsync();
            var explicitLogin = client.Auth.LoginAsync(impatient.Token);
            await impatient.CancelAsync();
            await FluentActions.Awaiting(() => explicitLogin.WaitAsync(TimeSpan.FromSeconds(30))).Should().ThrowAsync<OperationCanceledException>();
            gate.SetResult();
            await call.WaitAsync(TimeSpan.FromSeconds(30));

            fake.LoginCount.Should().Be(1);
        }
    }

    public sealed class ReplayAfter401
    {
        [Fact]
        public async Task A_401_on_a_call_is_answered_by_one_new_login_and_one_replay()
        {
            var fake = new SenarFake(api: r => r.Authorization == "Bearer token-1" ? SenarFake.Status(HttpStatusCode.Unauthorized) : FakeHttpHandler.JsonResponse("[]"));
            using var client = fake.CreateClient();

            await client.Users.ListAsync();
            await client.Users.ListAsync();

            fake.LoginCount.Should().Be(2);
            fake.ApiRequests.Select(r => r.Authorization).Should().Equal("Bearer token-1", "Bearer token-2", "Bearer token-2");
        }

        [Fact]
        public async Task Concurrent_401s_on_one_token_make_one_new_login()
        {
            var fake = new SenarFake(api: r => r.Authorization == "Bearer token-1" ? SenarFake.Status(HttpStatusCode.Unauthorized) : FakeHttpHandler.JsonResponse("[]"));
            using var client = fake.CreateClient();
            await client.Auth.LoginAsync();

            await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.Users.ListAsync()));

            fake.LoginCount.Should().Be(2);
        }

        [Fact]
        public async Task An_endpoint_that_refuses_every_token_does_not_cause_a_login_per_call()
        {
            // The account may log in but not use this endpoint: every token gets 401, a new one as much as the old.
            var fake = new SenarFake(api: _ => SenarFake.Status(HttpStatusCode.Unauthorized, """{"message": "not allowed"}"""));
            using var client = fake.CreateClient();

            for (var i = 0; i < 20; i++)
            {
                await FluentActions.Awaiting(() => fake.Time.RunAsync(client.Users.ListAsync())).Should().ThrowAsync<ApiAuthenticationException>();
            }

            fake.LoginCount.Should().BeLessThanOrEqualTo(3, "a login that a new token does not cure is not repeated for every call");
        }

        [Fact]
        public async Task After_a_new_token_was_refused_too_the_next_401_logs_in_again_once_the_backoff_is_over()
        {
            // Tokens 1 and 2 are refused (say, a server restarting); token 3 and later are accepted.
            var fake = new SenarFake(api: r => r.Authorization is "Bearer token-1" or "Bearer token-2" ? SenarFake.Status(HttpStatusCode.Unauthorized) : FakeHttpHandler.JsonResponse("[]"));
            using var client = fake.CreateClient();

            await FluentActions.Awaiting(() => client.Users.ListAsync()).Should().ThrowAsync<ApiAuthenticationException>();
            await FluentActions.Awaiting(() => client.Users.ListAsync()).Should().ThrowAsync<ApiAuthenticationException>();
            fake.LoginCount.Should().Be(2, "token 2, fresh, was refused too: no third login within the backoff");
            fake.Time.Advance(TimeSpan.FromSeconds(1));
            await client.Users.ListAsync();
            await client.Activities.ListAsync();

            fake.LoginCount.Should().Be(3);
            fake.ApiRequests.Select(r => r.Authorization).Should().Equal("Bearer token-1", "Bearer token-2", "Bearer token-2", "Bearer token-2", "Bearer token-3", "Bearer token-3");
        }

        [Fact]
        public async Task A_refused_new_token_that_the_server_then_accepts_is_kept_and_401s_replace_it_again()
        {
            // Every token is refused by the users list; the activities accept any token but token-1.
            var fake = new SenarFake(api: r => r.Path.EndsWith("/users", StringComparison.Ordinal) || r.Authorization == "Bearer token-1" ? SenarFake.Status(HttpStatusCode.Unauthorized) : FakeHttpHandler.JsonResponse("[]"));
            using var client = fake.CreateClient();

            await FluentActions.Awaiting(() => client.Users.ListAsync()).Should().ThrowAsync<ApiAuthenticationException>();
            await client.Activities.ListAsync();
            fake.LoginCount.Should().Be(2);
            await FluentActions.Awaiting(() => client.Users.ListAsync()).Should().ThrowAsync<ApiAuthenticationException>();

            fake.LoginCount.Should().Be(3, "token 2 was accepted since: a 401 to it is a 401 to a token that worked");
        }
    }

    public sealed class TokenStore
    {
        private sealed class ScriptedStore(Func<string?, Func<CancellationToken, Task<SenarToken>>, Task<SenarToken>> answer) : ISenarTokenStore
        {
            public int Calls { get; private set; }

            public Task<SenarToken> GetOrLoginAsync(string credentialKey, string? replacing, Func<CancellationToken, Task<SenarToken>> login, CancellationToken cancellationToken = default)
            {
                Calls++;
                return answer(replacing, login);
            }
        }

        private static (ServiceProvider Provider, FakeHttpHandler Handler) Build(ISenarTokenStore store)
        {
            var handler = new FakeHttpHandler((request, n) => request.Path.EndsWith(SenarFake.LoginPath, StringComparison.Ordinal) ? Token("token-" + n) : FakeHttpHandler.JsonResponse("[]"));
            var services = new ServiceCollection();
            services.AddSingleton<TimeProvider>(FakeTime.Create());
            services.AddKeyedSingleton(Microsoft.Extensions.Options.Options.DefaultName, store);
            services.AddSenarClient(o => (o.Username, o.Password) = (SenarFake.Username, SenarFake.Password)).ConfigurePrimaryHttpMessageHandler(() => handler);
            return (services.BuildServiceProvider(), handler);
        }

        [Fact]
        public async Task A_store_that_throws_fails_the_call_with_its_exception_and_sends_nothing()
        {
            var store = new ScriptedStore((_, _) => throw new InvalidOperationException("store is down"));
            var (provider, handler) = Build(store);
            using var _ = provider;

            var error = await FluentActions.Awaiting(() => provider.GetRequiredService<ISenarClient>().Users.ListAsync()).Should().ThrowAsync<InvalidOperationException>();

            error.Which.Message.Should().Contain("store is down");
            handler.Requests.Should().BeEmpty();
        }

        [Fact]
        public async Task A_store_that_returns_null_is_named_in_a_clear_error()
        {
            var store = new ScriptedStore((_, _) => Task.FromResult<SenarToken>(null!));
            var (provider, handler) = Build(store);
            using var _ = provider;

            var error = await FluentActions.Awaiting(() => provider.GetRequiredService<ISenarClient>().Users.ListAsync()).Should().ThrowAsync<InvalidOperationException>();

            error.Which.Message.Should().Contain(nameof(ISenarTokenStore)).And.Contain("no token");
            handler.Requests.Should().BeEmpty();
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        public async Task A_store_that_returns_a_blank_token_is_named_in_a_clear_error(string value)
        {
            var store = new ScriptedStore((_, _) => Task.FromResult(new SenarToken("x") with { Value = value }));
            var (provider, handler) = Build(store);
            using var _ = provider;

            var error = await FluentActions.Awaiting(() => provider.GetRequiredService<ISenarClient>().Users.ListAsync()).Should().ThrowAsync<InvalidOperationException>();

            error.Which.Message.Should().Contain(nameof(ISenarTokenStore)).And.Contain("no token");
            handler.Requests.Should().BeEmpty();
        }

        [Fact]
        public async Task A_store_that_hands_back_the_token_being_replaced_costs_one_replay_not_a_loop()
        {
            var store = new ScriptedStore((_, _) => Task.FromResult(new SenarToken("stale", null)));
            var handler = new FakeHttpHandler((_, _) => SenarFake.Status(HttpStatusCode.Unauthorized));
            var services = new ServiceCollection();
            services.AddSingleton<TimeProvider>(FakeTime.Create());
            services.AddKeyedSingleton<ISenarTokenStore>(Microsoft.Extensions.Options.Options.DefaultName, store);
            services.AddSenarClient(o => (o.Username, o.Password) = (SenarFake.Username, SenarFake.Password)).ConfigurePrimaryHttpMessageHandler(() => handler);
            await using var provider = services.BuildServiceProvider();

            await FluentActions.Awaiting(() => provider.GetRequiredService<ISenarClient>().Users.ListAsync()).Should().ThrowAsync<ApiAuthenticationException>();

            handler.Requests.Should().HaveCount(2, "the request and its one replay");
            store.Calls.Should().Be(2);
        }

        [Fact]
        public async Task A_store_whose_token_has_an_expiry_in_the_past_is_used_until_a_401()
        {
            var store = new ScriptedStore((_, login) => Task.FromResult(new SenarToken("shared", DateTimeOffset.UnixEpoch.AddSeconds(1))));
            var (provider, handler) = Build(store);
            using var _ = provider;
            var client = provider.GetRequiredService<ISenarClient>();

            for (var i = 0; i < 10; i++)
            {
                await client.Users.ListAsync();
            }

            store.Calls.Should().Be(1);
            handler.Requests.Should().HaveCount(10).And.OnlyContain(r => r.Authorization == "Bearer shared");
        }
    }
}
