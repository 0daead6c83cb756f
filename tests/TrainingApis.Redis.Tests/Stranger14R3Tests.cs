using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Senar.Client;
using StackExchange.Redis;
using TrainingApis.Core;

namespace TrainingApis.Redis.Tests;

/// <summary>
/// A stranger checks that the login shared through Redis keeps issue 14's token-lifecycle promises across instances
/// (refused logins remembered, failed logins backed off, no refresh storm for short-lived tokens, a server refusing
/// every token held back) and that no password or token reaches Redis keys or logs.
/// </summary>
[Collection(GarnetCollection.Name)]
public sealed class Stranger14R3Tests(GarnetFixture garnet)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_refused_login_is_remembered_by_each_instance_and_an_explicit_login_recovers_the_instance_that_made_it()
    {
        var server = new Server { LoginStatus = HttpStatusCode.Unauthorized };
        var prefix = SharedQuotaTests.UniquePrefix();
        await using var a = Provider(server, prefix);
        await using var b = Provider(server, prefix);
        var clients = new[] { a, b }.Select(p => p.GetRequiredService<ISenarClient>()).ToArray();

        for (var i = 0; i < 10; i++)
        {
            foreach (var client in clients)
            {
                await FluentActions.Awaiting(() => client.Users.ListAsync().WaitAsync(Bound)).Should().ThrowAsync<ApiAuthenticationException>();
            }
        }

        server.Logins.Should().BeLessThanOrEqualTo(2, "each instance remembers its refused login (one login each at most), not one per call");

        // The password is fixed on Senar's side; an explicit login on A logs in and A's calls work again.
        server.LoginStatus = HttpStatusCode.OK;
        await clients[0].Auth.LoginAsync().WaitAsync(Bound);
        await clients[0].Users.ListAsync().WaitAsync(Bound);
        var logins = server.Logins;

        // B still remembers its own refusal (documented: until options reload or B's own explicit login), and sends nothing.
        await FluentActions.Awaiting(() => clients[1].Users.ListAsync().WaitAsync(Bound)).Should().ThrowAsync<ApiAuthenticationException>();
        server.Logins.Should().Be(logins);
        await clients[1].Auth.LoginAsync().WaitAsync(Bound);
        await clients[1].Users.ListAsync().WaitAsync(Bound);
        server.Logins.Should().Be(logins, "B's explicit login takes A's shared token from Redis rather than logging in again");
    }

    [Fact]
    public async Task A_login_answering_500_on_two_instances_at_once_is_one_login_per_instance_per_backoff()
    {
        var server = new Server { LoginStatus = HttpStatusCode.InternalServerError };
        var prefix = SharedQuotaTests.UniquePrefix();
        await using var a = Provider(server, prefix);
        await using var b = Provider(server, prefix);
        var clients = new[] { a, b }.Select(p => p.GetRequiredService<ISenarClient>()).ToArray();

        var clock = Stopwatch.StartNew();
        var calls = clients.SelectMany(c => Enumerable.Range(0, 10).Select(_ => c.Users.ListAsync())).ToArray();
        foreach (var call in calls)
        {
            await FluentActions.Awaiting(() => call.WaitAsync(Bound)).Should().ThrowAsync<ApiException>();
        }

        // Sequential calls right after, within the 1 s backoff: failed at once, nothing sent.
        foreach (var client in clients)
        {
            for (var i = 0; i < 5; i++)
            {
                await FluentActions.Awaiting(() => client.Users.ListAsync().WaitAsync(Bound)).Should().ThrowAsync<ApiException>();
            }
        }

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1), "the counts below hold within the first backoff");
        server.Logins.Should().BeInRange(1, 2, "one login per instance per backoff, not one per call (30 calls)");
    }

    [Fact]
    public async Task A_token_twenty_seconds_from_expiry_causes_no_refresh_storm_across_instances()
    {
        var server = new Server { Lifetime = TimeSpan.FromSeconds(20) };
        var prefix = SharedQuotaTests.UniquePrefix();
        await using var a = Provider(server, prefix);
        await using var b = Provider(server, prefix);
        var clients = new[] { a, b }.Select(p => p.GetRequiredService<ISenarClient>()).ToArray();

        for (var i = 0; i < 10; i++)
        {
            foreach (var client in clients)
            {
                await client.Users.ListAsync().WaitAsync(Bound);
            }
        }

        server.Logins.Should().Be(1, "A's login is stored with its 20 s expiry and B reads it; neither renews at every call");

        // A third instance started later finds the same short-lived token in Redis and uses it too.
        await using var c = Provider(server, prefix);
        for (var i = 0; i < 10; i++)
        {
            await c.GetRequiredService<ISenarClient>().Users.ListAsync().WaitAsync(Bound);
        }

        server.Logins.Should().Be(1);
    }

    [Fact]
    public async Task A_clock_running_ahead_of_senars_makes_no_login_per_call_through_the_shared_store()
    {
        // The instances' clocks run 18 s ahead: by them the 20 s token has 1 to 2 s left, but the server accepts it
        // for 20 s. Its issue time (iat) gives the cache the server's view of its life, through the store too.
        var server = new Server { Lifetime = TimeSpan.FromSeconds(20) };
        var prefix = SharedQuotaTests.UniquePrefix();
        var ahead = TimeSpan.FromSeconds(18);
        await using var a = Provider(server, prefix, clock: new InstanceClock(ahead));
        await using var b = Provider(server, prefix, clock: new InstanceClock(ahead));
        var clients = new[] { a, b }.Select(p => p.GetRequiredService<ISenarClient>()).ToArray();

        for (var i = 0; i < 15; i++)
        {
            foreach (var client in clients)
            {
                await client.Users.ListAsync().WaitAsync(Bound);
                await Task.Delay(100);
            }
        }


        // Redis keeps the token only while it lives by the storing clock (1 to 2 s): a later reader may log in once itself.
        server.Logins.Should().BeLessThanOrEqualTo(2, "a token the server accepts for 20 s is not renewed every second (30 calls over 3.6 s)");
    }

    [Fact]
    public async Task An_endpoint_refusing_every_token_makes_a_bounded_number_of_logins_across_instances()
    {
        var server = new Server { RefuseEveryToken = true };
        var prefix = SharedQuotaTests.UniquePrefix();
        await using var a = Provider(server, prefix);
        await using var b = Provider(server, prefix);
        var clients = new[] { a, b }.Select(p => p.GetRequiredService<ISenarClient>()).ToArray();

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 10; i++)
        {
            foreach (var client in clients)
            {
                await FluentActions.Awaiting(() => client.Users.ListAsync().WaitAsync(Bound)).Should().ThrowAsync<ApiAuthenticationException>();
            }
        }

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1), "the counts below hold within the first hold-back");
        // Each instance: its first login (or A's shared token), one replacement; then the replacement is held back.
        server.Logins.Should().BeLessThanOrEqualTo(4, "not one login per call (20 calls)");
    }

    [Fact]
    public async Task A_six_character_password_and_the_token_are_in_no_redis_key_nor_any_log_and_the_password_in_no_value()
    {
        var logs = new FakeLogCollector();
        var server = new Server { LoginStatus = HttpStatusCode.Unauthorized, Echo = true };
        var prefix = SharedQuotaTests.UniquePrefix();
        await using var a = Provider(server, prefix, logs);
        await using var b = Provider(server, prefix, logs);
        var clients = new[] { a, b }.Select(p => p.GetRequiredService<ISenarClient>()).ToArray();

        // A refused login echoing the password, then a good one, then a token refused with the token echoed.
        await FluentActions.Awaiting(() => clients[0].Users.ListAsync().WaitAsync(Bound)).Should().ThrowAsync<ApiAuthenticationException>();
        server.LoginStatus = HttpStatusCode.OK;
        await clients[0].Auth.LoginAsync().WaitAsync(Bound);
        await clients[1].Auth.LoginAsync().WaitAsync(Bound);
        foreach (var client in clients)
        {
            await client.Users.ListAsync().WaitAsync(Bound);
        }

        server.RefuseEveryToken = true;
        foreach (var client in clients)
        {
            await FluentActions.Awaiting(() => client.Users.ListAsync().WaitAsync(Bound)).Should().ThrowAsync<ApiAuthenticationException>();
        }

        var tokens = server.Issued;
        tokens.Should().NotBeEmpty();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(garnet.Configuration);
        var database = redis.GetDatabase();
        var keys = redis.GetServer(garnet.Configuration).Keys(pattern: prefix + "*").Select(k => k.ToString()).ToArray();
        var values = new StringBuilder();
        foreach (var key in keys)
        {
            values.AppendLine((string?)await database.StringGetAsync(key));
        }

        string.Join("\n", keys).Should().NotContainAny(Forms(Password).Concat(tokens.SelectMany(Forms)).Concat(Forms(Username)));
        values.ToString().Should().NotContainAny(Forms(Password), "the token is stored to be shared, the password never");
        var texts = logs.GetSnapshot().SelectMany(e => new[] { e.Message, e.Exception?.ToString() ?? "" }.Concat((e.StructuredState ?? []).Select(p => $"{p.Key}={p.Value}")));
        string.Join("\n", texts).Should().NotContainAny(Forms(Password).Concat(tokens.SelectMany(Forms)));
        logs.GetSnapshot().Should().NotBeEmpty("logging runs at Trace");
    }

    private const string Username = "r3-api@example.test";
    private const string Password = "Qz7!kp";

    private ServiceProvider Provider(Server server, string prefix, FakeLogCollector? logs = null, TimeProvider? clock = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(clock ?? new InstanceClock(TimeSpan.Zero));
        if (logs is not null)
        {
            services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));
        }

        services.AddSenarClient(o =>
            {
                o.BaseAddress = new Uri("http://127.0.0.1:1/");
                o.Username = Username;
                o.Password = Password;
                o.Retry = new RetryOptions { MaxRetries = 0 };
            })
            .ConfigurePrimaryHttpMessageHandler(() => new Front(server))
            .UseRedis(o =>
            {
                o.Configuration = garnet.Configuration;
                o.KeyPrefix = prefix;
                o.OperationTimeout = TimeSpan.FromSeconds(5);
            });
        return services.BuildServiceProvider();
    }

    // A secret as it could leak: raw, URL-encoded, JSON-escaped, Base64 (padded or not).
    private static IEnumerable<string> Forms(string secret) =>
    [
        secret,
        Uri.EscapeDataString(secret),
        System.Text.Json.JsonSerializer.Serialize(secret).Trim('"'),
        Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)).TrimEnd('='),
    ];

    private static string Base64Url(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>A clock of its own per instance (a token cache of its own), on real time shifted by <paramref name="ahead"/>.</summary>
    private sealed class InstanceClock(TimeSpan ahead) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + ahead;
    }

    /// <summary>Plays Senar for every instance: counts logins, answers them as set, and accepts every token it issued unless told not to.</summary>
    private sealed class Server
    {
        private readonly object _gate = new();
        private readonly List<string> _issued = [];
        private int _logins;

        public volatile HttpStatusCode LoginStatus = HttpStatusCode.OK;

        public volatile bool RefuseEveryToken;

        public TimeSpan? Lifetime { get; init; }

        /// <summary>Error bodies echo the password (raw and in a Basic credential) or the refused token.</summary>
        public bool Echo { get; init; }

        public int Logins => Volatile.Read(ref _logins);

        public IReadOnlyList<string> Issued
        {
            get
            {
                lock (_gate)
                {
                    return [.. _issued];
                }
            }
        }

        public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
        {
            await Task.Delay(20);
            if (request.RequestUri!.AbsolutePath.EndsWith("/auth/login", StringComparison.Ordinal))
            {
                var login = Interlocked.Increment(ref _logins);
                if (LoginStatus != HttpStatusCode.OK)
                {
                    var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(Username + ":" + Password));
                    return Text(LoginStatus, Echo ? $$"""{"error":"wrong password {{Password}} (Basic {{basic}})"}""" : """{"error":"no"}""");
                }

                var token = Lifetime is { } life ? Jwt(life, login) : $"tok-r3-{login}-{Guid.NewGuid():N}";
                lock (_gate)
                {
                    _issued.Add(token);
                }

                return Text(HttpStatusCode.OK, $$"""{"Token":"{{token}}"}""");
            }

            var bearer = request.Headers.Authorization?.Parameter;
            bool known;
            lock (_gate)
            {
                known = bearer is not null && _issued.Contains(bearer);
            }

            if (RefuseEveryToken || !known)
            {
                return Text(HttpStatusCode.Unauthorized, Echo ? $$"""{"error":"token {{bearer}} refused"}""" : """{"error":"no"}""");
            }

            return Text(HttpStatusCode.OK, "[]");
        }

        private static string Jwt(TimeSpan life, int login)
        {
            var now = DateTimeOffset.UtcNow;
            var payload = $$"""{"sub":"r3","n":{{login}},"iat":{{now.ToUnixTimeSeconds()}},"exp":{{(now + life).ToUnixTimeSeconds()}}}""";
            return Base64Url("""{"alg":"HS256","typ":"JWT"}""") + "." + Base64Url(payload) + ".c2lnbmF0dXJl";
        }

        private static HttpResponseMessage Text(HttpStatusCode status, string body) => new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    }

    private sealed class Front(Server server) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await server.SendAsync(request);
            response.RequestMessage = request;
            return response;
        }
    }
}
