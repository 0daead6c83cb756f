using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Senar.Client.Tests.TestSupport;
using TrainingApis.Core;
using TrainingApis.Testing;

namespace Senar.Client.Tests.Auth;

/// <summary>Issue 14, "Senar token lifecycle": renewal margin, remembered failures, the login's own bound.</summary>
public sealed class TokenLifecycleTests
{
    private static string Jwt(int n, DateTimeOffset expires, DateTimeOffset? issued = null)
    {
        var iat = issued is { } at ? $",\"iat\":{at.ToUnixTimeSeconds()}" : string.Empty;
        return $"{B64("""{"alg":"HS256","typ":"JWT"}""")}.{B64($$"""{"sub":"api","exp":{{expires.ToUnixTimeSeconds()}}{{iat}}}""")}.signature{n}";

        static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public sealed class RefreshStorm
    {
        [Fact]
        public async Task A_jwt_that_expires_in_20_seconds_serves_10_calls_with_one_login()
        {
            SenarFake? fake = null;
            fake = new SenarFake(login: n => FakeHttpHandler.JsonResponse($$"""{"Token": "{{Jwt(n, fake!.Time.GetUtcNow().AddSeconds(20))}}"}"""));
            using var client = fake.CreateClient();

            for (var i = 0; i < 10; i++)
            {
                await client.Users.ListAsync();
            }

            fake.LoginCount.Should().Be(1);
            fake.Time.Advance(TimeSpan.FromSeconds(17));
            await client.Activities.ListAsync();
            fake.LoginCount.Should().Be(1, "a 20-second token is renewed 2 seconds before it expires");
            fake.Time.Advance(TimeSpan.FromSeconds(1));
            await client.Activities.ListAsync();
            fake.LoginCount.Should().Be(2);
        }

        [Fact]
        public async Task A_token_that_looks_expired_by_a_clock_running_ahead_is_used_until_a_401()
        {
            // The server's clock is 10 minutes behind ours: its 5-minute tokens look expired when they arrive.
            var rejected = false;
            SenarFake? fake = null;
            fake = new SenarFake(
                api: r => rejected && r.Authorization!.EndsWith("signature1", StringComparison.Ordinal) ? SenarFake.Status(HttpStatusCode.Unauthorized) : FakeHttpHandler.JsonResponse("[]"),
                login: n => FakeHttpHandler.JsonResponse($$"""{"Token": "{{Jwt(n, fake!.Time.GetUtcNow().AddMinutes(-5))}}"}"""));
            using var client = fake.CreateClient();

            for (var i = 0; i < 10; i++)
            {
                await client.Users.ListAsync();
                fake.Time.Advance(TimeSpan.FromSeconds(20));
            }

            fake.LoginCount.Should().Be(1);
            rejected = true;
            await client.Users.ListAsync();
            fake.LoginCount.Should().Be(2, "the 401 is what replaces it");
            await client.Users.ListAsync();
            fake.LoginCount.Should().Be(2);
        }

        [Fact]
        public async Task A_jwt_with_an_issue_time_is_renewed_by_its_own_lifetime_whatever_the_clock_skew()
        {
            // Our clock is 10 minutes ahead; the server issues 60-second tokens.
            SenarFake? fake = null;
            fake = new SenarFake(login: n =>
            {
                var issued = fake!.Time.GetUtcNow().AddMinutes(-10);
                return FakeHttpHandler.JsonResponse($$"""{"Token": "{{Jwt(n, issued.AddSeconds(60), issued)}}"}""");
            });
            using var client = fake.CreateClient();

            for (var i = 0; i < 10; i++)
            {
                await client.Users.ListAsync();
            }

            fake.Time.Advance(TimeSpan.FromSeconds(50));
            await client.Users.ListAsync();
            fake.LoginCount.Should().Be(1);
            fake.Time.Advance(TimeSpan.FromSeconds(5));
            await client.Users.ListAsync();
            fake.LoginCount.Should().Be(2);
        }
    }

    public sealed class RememberedFailures
    {
        [Theory]
        [InlineData(HttpStatusCode.Unauthorized)]
        [InlineData(HttpStatusCode.Forbidden)]
        public async Task Twenty_calls_with_a_wrong_password_make_one_login_and_throw_the_same_exception(HttpStatusCode status)
        {
            var fake = new SenarFake(login: _ => SenarFake.Status(status, """{"message": "Invalid username or password"}"""));
            using var client = fake.CreateClient();

            var errors = new List<ApiAuthenticationException>();
            for (var i = 0; i < 20; i++)
            {
                var call = i % 2 == 0 ? (Func<Task>)(() => client.Users.ListAsync()) : () => client.Activities.ListAsync();
                errors.Add((await call.Should().ThrowAsync<ApiAuthenticationException>()).Which);
                fake.Time.Advance(TimeSpan.FromMinutes(10));
            }

            fake.LoginCount.Should().Be(1);
            fake.ApiRequests.Should().BeEmpty();
            errors.Should().OnlyContain(e => ReferenceEquals(e, errors[0]));
            errors[0].StatusCode.Should().Be(status);
            errors[0].Message.Should().Contain("login failed");
        }

        [Fact]
        public async Task Other_credentials_log_in_again()
        {
            var fake = new SenarFake(login: _ => SenarFake.Status(HttpStatusCode.Unauthorized));
            using var wrong = fake.CreateClient();
            await FluentActions.Awaiting(() => wrong.Users.ListAsync()).Should().ThrowAsync<ApiAuthenticationException>();
            using var fixedPassword = fake.CreateClient(o => o.Password = "An0ther-pass!");

            await FluentActions.Awaiting(() => fixedPassword.Users.ListAsync()).Should().ThrowAsync<ApiAuthenticationException>();

            fake.LoginCount.Should().Be(2);
            SenarFake.ParseBody(fake.Handler.Requests[1]).GetProperty("password").GetString().Should().Be("An0ther-pass!");
        }

        [Fact]
        public async Task A_reload_of_the_options_with_a_new_password_applies_to_the_next_call()
        {
            var time = FakeTime.Create();
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Senar:Username"] = SenarFake.Username,
                ["Senar:Password"] = "wrong-password-1",
            }).Build();
            var services = new ServiceCollection();
            services.AddSingleton<TimeProvider>(time);
            var handler = new FakeHttpHandler((_, recorded, _, _) =>
                recorded.Body.Contains("wrong-password-1", StringComparison.Ordinal)
                    ? Task.FromResult(SenarFake.Status(HttpStatusCode.Unauthorized))
                    : recorded.Path.EndsWith(SenarFake.LoginPath, StringComparison.Ordinal)
                        ? Task.FromResult(FakeHttpHandler.JsonResponse("""{"Token": "fresh"}"""))
                        : Task.FromResult(FakeHttpHandler.JsonResponse("[]")));
            services.AddSenarClient(configuration.GetSection("Senar")).ConfigurePrimaryHttpMessageHandler(() => handler);
            using var provider = services.BuildServiceProvider();

            await FluentActions.Awaiting(() => provider.GetRequiredService<ISenarClient>().Users.ListAsync()).Should().ThrowAsync<ApiAuthenticationException>();
            await FluentActions.Awaiting(() => provider.GetRequiredService<ISenarClient>().Users.ListAsync()).Should().ThrowAsync<ApiAuthenticationException>();
            handler.Count.Should().Be(1, "the refused login is remembered");
            configuration["Senar:Password"] = "Right-pass-2";
            ((IConfigurationRoot)configuration).Reload();
            await provider.GetRequiredService<ISenarClient>().Users.ListAsync();

            handler.Requests.Select(r => $"{r.Path} {r.Authorization}").Should().Equal(
                "/api/auth/login ",
                "/api/auth/login ",
                "/integration/data/users Bearer fresh");
        }

        [Fact]
        public async Task A_login_answering_500_makes_one_login_for_twenty_calls_then_backs_off()
        {
            var fake = new SenarFake(login: _ => SenarFake.Status(HttpStatusCode.InternalServerError));
            using var client = fake.CreateClient();

            for (var i = 0; i < 20; i++)
            {
                var call = () => fake.Time.RunAsync(client.Users.ListAsync());
                (await call.Should().ThrowAsync<ApiException>()).Which.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
            }

            fake.LoginCount.Should().Be(4, "one login: its first attempt and 3 retries, shared by the 20 calls");
            fake.Time.Advance(TimeSpan.FromSeconds(1));
            await FluentActions.Awaiting(() => fake.Time.RunAsync(client.Users.ListAsync())).Should().ThrowAsync<ApiException>();
            fake.LoginCount.Should().Be(8, "after the backoff the next call tries one more login");
            fake.ApiRequests.Should().BeEmpty();
        }

        [Fact]
        public async Task Concurrent_calls_share_one_failed_login_that_answered_500()
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var fake = new SenarFake(login: _ => SenarFake.Status(HttpStatusCode.InternalServerError), beforeLogin: _ => gate.Task);
            using var client = fake.CreateClient(o => o.Retry.MaxRetries = 0);

            var calls = Enumerable.Range(0, 20).Select(_ => client.Users.ListAsync()).ToArray();
            gate.SetResult();

            foreach (var call in calls)
            {
                await FluentActions.Awaiting(() => call).Should().ThrowAsync<ApiException>();
            }

            fake.LoginCount.Should().Be(1);
        }
    }

    public sealed class HungLogin
    {
        [Fact]
        public async Task A_login_that_never_answers_is_bounded_by_100_seconds_when_every_timeout_is_infinite()
        {
            var answering = false;
            var fake = new SenarFake(beforeLogin: _ => answering ? Task.CompletedTask : Task.Delay(Timeout.Infinite));
            using var client = fake.CreateClient(o =>
            {
                o.Timeout = Timeout.InfiniteTimeSpan;
                o.AttemptTimeout = Timeout.InfiniteTimeSpan;
            });

            var hung = client.Users.ListAsync();
            fake.Time.Advance(TimeSpan.FromSeconds(99));
            await Task.Yield();
            hung.IsCompleted.Should().BeFalse();
            fake.Time.Advance(TimeSpan.FromSeconds(1));

            var error = (await FluentActions.Awaiting(() => hung.WaitAsync(TimeSpan.FromSeconds(30))).Should().ThrowAsync<TimeoutException>()).Which;
            error.Message.Should().Contain("login").And.Contain("timed out after 100.0 s").And.Contain("a login's own bound of 100 s")
                .And.MatchRegex(@"login for user '[^']*' at [a-z0-9.-]+(:[0-9]+)? timed out", "it names the host");
            answering = true;
            fake.Time.Advance(TimeSpan.FromSeconds(1));
            await client.Users.ListAsync().WaitAsync(TimeSpan.FromSeconds(30));
            fake.ApiRequests.Should().ContainSingle().Which.Authorization.Should().Be("Bearer token-2");
        }

        [Fact]
        public async Task The_bound_is_the_attempt_timeout_when_it_is_finite()
        {
            var fake = new SenarFake(beforeLogin: _ => Task.Delay(Timeout.Infinite));
            using var client = fake.CreateClient(o =>
            {
                o.Timeout = Timeout.InfiniteTimeSpan;
                o.AttemptTimeout = TimeSpan.FromSeconds(20);
            });

            var hung = client.Users.ListAsync();
            fake.Time.Advance(TimeSpan.FromSeconds(20));

            await FluentActions.Awaiting(() => hung.WaitAsync(TimeSpan.FromSeconds(30))).Should().ThrowAsync<TimeoutException>();
            fake.LoginCount.Should().Be(1);
        }

        [Fact]
        public async Task One_callers_cancellation_does_not_poison_the_shared_login()
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var fake = new SenarFake(beforeLogin: _ => gate.Task);
            using var client = fake.CreateClient(o =>
            {
                o.Timeout = Timeout.InfiniteTimeSpan;
                o.AttemptTimeout = Timeout.InfiniteTimeSpan;
            });
            using var impatient = new CancellationTokenSource();

            var cancelled = client.Users.ListAsync(impatient.Token);
            var patient = client.Activities.ListAsync();
            await impatient.CancelAsync();

            await FluentActions.Awaiting(() => cancelled.WaitAsync(TimeSpan.FromSeconds(30))).Should().ThrowAsync<OperationCanceledException>();
            patient.IsCompleted.Should().BeFalse("the other caller keeps waiting for the same login");
            gate.SetResult();
            await patient.WaitAsync(TimeSpan.FromSeconds(30));
            await client.Users.ListAsync().WaitAsync(TimeSpan.FromSeconds(30));

            fake.LoginCount.Should().Be(1);
            fake.ApiRequests.Should().HaveCount(2).And.OnlyContain(r => r.Authorization == "Bearer token-1");
        }
    }
}
