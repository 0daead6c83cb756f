using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Senar.Client;

namespace TrainingApis.Redis.Tests;

/// <summary>One Senar login shared by every instance through Redis (Garnet, in process).</summary>
[Collection(GarnetCollection.Name)]
public sealed class SharedLoginTests(GarnetFixture garnet)
{
    [Fact]
    public async Task Three_instances_with_fifty_concurrent_first_calls_each_log_in_once_and_replace_a_refused_token_once()
    {
        var server = new FakeSenar();
        var prefix = SharedQuotaTests.UniquePrefix();
        var instances = Enumerable.Range(0, 3).Select(_ => Instance(server, prefix)).ToArray();
        try
        {
            var clients = instances.Select(i => i.GetRequiredService<ISenarClient>()).ToArray();
            await Task.WhenAll(clients.SelectMany(c => Enumerable.Range(0, 50).Select(_ => c.Users.ListAsync())));

            server.Logins.Should().Be(1, "the first instance to take the lock logs in; the others read its token from Redis");
            server.Refused.Should().Be(0);

            // The server drops the token: every instance meets a 401 and the token is replaced once for all.
            server.Revoke();
            await Task.WhenAll(clients.SelectMany(c => Enumerable.Range(0, 20).Select(_ => c.Users.ListAsync())));

            server.Logins.Should().Be(2, "one replacement login for all three instances");
            server.Refused.Should().BeGreaterThanOrEqualTo(3, "each instance met the 401 before taking the new token");
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_shared_login_logs_neither_the_password_nor_the_token_with_redis_up_or_down(bool outage)
    {
        var server = new FakeSenar();
        var logs = new FakeLogCollector();
        await using var instance = Instance(server, SharedQuotaTests.UniquePrefix(), logs);
        var client = instance.GetRequiredService<ISenarClient>();

        await client.Users.ListAsync();
        server.Revoke();
        if (outage)
        {
            garnet.Stop();
        }

        try
        {
            // A refused token, replaced through the store, or by a login of the instance's own while Redis is down (the
            // store's warning then names only the exception's type, when a command fails rather than the connection).
            await client.Users.ListAsync();
        }
        finally
        {
            garnet.Start();
        }

        server.Logins.Should().Be(2);
        var records = logs.GetSnapshot();
        records.Should().Contain(e => e.Level == LogLevel.Trace, "logging runs at Trace");

        // Every text a sink gets: message, structured values (IHttpClientFactory's header logs kept raw values there), exception.
        var texts = records.SelectMany(e => new[] { e.Message, e.Exception?.ToString() }.Concat((e.StructuredState ?? []).Select(p => $"{p.Key}={p.Value}")));
        var forms = new[] { Password, FakeSenar.TokenPrefix }.SelectMany(s => new[] { s, Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('='), Uri.EscapeDataString(s) }).ToArray();
        texts.Where(t => t is not null && forms.Any(f => t.Contains(f, StringComparison.OrdinalIgnoreCase))).Should().BeEmpty();
    }

    private const string Password = "Secret-password-1";

    private ServiceProvider Instance(FakeSenar server, string prefix, FakeLogCollector? logs = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new InstanceClock());
        if (logs is not null)
        {
            services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));
        }

        services.AddSenarClient(o =>
            {
                o.BaseAddress = new Uri("http://127.0.0.1:1/");
                o.Username = "api@example.test";
                o.Password = Password;
            })
            .ConfigurePrimaryHttpMessageHandler(() => server)
            // A generous operation timeout: a Redis command that times out means a login of the instance's own.
            .UseRedis(o => { o.Configuration = garnet.Configuration; o.KeyPrefix = prefix; o.OperationTimeout = TimeSpan.FromSeconds(5); });
        return services.BuildServiceProvider();
    }

    private sealed class InstanceClock : TimeProvider;

    /// <summary>Plays Senar for every instance: counts logins, and accepts only the token of the last one unless revoked.</summary>
    private sealed class FakeSenar : HttpMessageHandler
    {
        public const string TokenPrefix = "tok-3f9a-";

        private readonly object _gate = new();
        private string? _valid;
        private int _logins;
        private int _refused;

        public int Logins => Volatile.Read(ref _logins);

        public int Refused => Volatile.Read(ref _refused);

        public void Revoke()
        {
            lock (_gate)
            {
                _valid = null;
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Yield();
            if (request.RequestUri!.AbsolutePath.EndsWith("/auth/login", StringComparison.Ordinal))
            {
                var login = Interlocked.Increment(ref _logins);
                await Task.Delay(50, cancellationToken); // A login takes a while: concurrent callers pile up meanwhile.
                var token = TokenPrefix + login;
                lock (_gate)
                {
                    _valid = token;
                }

                return Json($$"""{"Token":"{{token}}"}""");
            }

            var bearer = request.Headers.Authorization?.Parameter;
            lock (_gate)
            {
                if (bearer is null || bearer != _valid)
                {
                    Interlocked.Increment(ref _refused);
                    return new HttpResponseMessage(HttpStatusCode.Unauthorized) { RequestMessage = request };
                }
            }

            return Json("[]");
        }

        private static HttpResponseMessage Json(string body) => new(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    }
}
