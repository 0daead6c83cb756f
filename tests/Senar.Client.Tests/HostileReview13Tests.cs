using System.Diagnostics.Metrics;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Senar.Client.Tests.TestSupport;
using TrainingApis.Core;

namespace Senar.Client.Tests;

/// <summary>
/// Review of issue 13 on Senar: a stalled login, credentials of two accounts in one container, reloaded credentials,
/// and the caller's cancellation against the SDK's timeouts.
/// </summary>
public sealed class HostileReview13Tests
{
    [Fact]
    public async Task A_stalled_login_body_ends_the_call_with_TimeoutException_within_Timeout()
    {
        SenarFake? fake = null;
        fake = new SenarFake(login: _ => TrickleStream.Stalled("""{"Token":"tok""", fake!.Time));
        using var client = fake.CreateClient(o => (o.Timeout, o.AttemptTimeout, o.Retry.MaxRetries) = (TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2), 0));
        var started = fake.Time.GetUtcNow();

        var act = () => fake.Time.RunAsync(client.Users.ListAsync());

        var thrown = (await act.Should().ThrowAsync<TimeoutException>()).Which;
        (fake.Time.GetUtcNow() - started).Should().BeLessThanOrEqualTo(TimeSpan.FromSeconds(3));
        thrown.Message.Should().NotContain(SenarFake.Password);
        fake.ApiRequests.Should().BeEmpty("no token, no API call");
    }

    [Fact]
    public async Task A_stalled_login_body_of_a_named_client_ends_with_TimeoutException_within_Timeout()
    {
        var time = FakeTime.Create();
        var handler = new FakeHttpHandler((request, _) => request.Path.EndsWith(SenarFake.LoginPath, StringComparison.Ordinal)
            ? TrickleStream.Stalled("""{"Token":"tok""", time)
            : FakeHttpHandler.JsonResponse("[]"));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddSenarClient("north", o => (o.Username, o.Password, o.Timeout, o.AttemptTimeout, o.Retry.MaxRetries) = ("north@example.com", "North-pass-1", TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2), 0))
            .ConfigurePrimaryHttpMessageHandler(() => handler);
        await using var provider = services.BuildServiceProvider();
        var started = time.GetUtcNow();

        var act = () => time.RunAsync(provider.GetRequiredKeyedService<ISenarClient>("north").Activities.ListAsync());

        await act.Should().ThrowAsync<TimeoutException>();
        (time.GetUtcNow() - started).Should().BeLessThanOrEqualTo(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task A_stalled_error_body_of_a_refused_login_ends_with_TimeoutException()
    {
        SenarFake? fake = null;
        fake = new SenarFake(login: _ =>
        {
            var response = TrickleStream.Stalled("""{"message":"Invalid cre""", fake!.Time);
            response.StatusCode = HttpStatusCode.Unauthorized;
            return response;
        });
        using var client = fake.CreateClient(o => (o.Timeout, o.AttemptTimeout, o.Retry.MaxRetries) = (TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(2), 0));
        var started = fake.Time.GetUtcNow();

        var act = () => fake.Time.RunAsync(client.Activities.ListAsync());

        await act.Should().ThrowAsync<TimeoutException>();
        (fake.Time.GetUtcNow() - started).Should().BeLessThanOrEqualTo(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Two_named_clients_of_one_username_on_two_hosts_never_send_one_host_s_token_to_the_other()
    {
        var time = FakeTime.Create();
        var handler = new FakeHttpHandler((request, _) => request.Path.EndsWith(SenarFake.LoginPath, StringComparison.Ordinal)
            ? FakeHttpHandler.JsonResponse($$"""{"Token": "token-of-{{request.Uri!.Host}}"}""")
            : FakeHttpHandler.JsonResponse("[]"));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddSenarClient("prod", o => (o.Username, o.Password, o.BaseAddress) = ("ops@example.com", "Same-pass-1", new Uri("https://prod.senar.test")))
            .ConfigurePrimaryHttpMessageHandler(() => handler);
        services.AddSenarClient("staging", o => (o.Username, o.Password, o.BaseAddress) = ("ops@example.com", "Same-pass-1", new Uri("https://staging.senar.test")))
            .ConfigurePrimaryHttpMessageHandler(() => handler);
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredKeyedService<ISenarClient>("prod").Users.ListAsync();
        await provider.GetRequiredKeyedService<ISenarClient>("staging").Users.ListAsync();
        await provider.GetRequiredKeyedService<ISenarClient>("prod").Activities.ListAsync();

        handler.Requests.Where(r => !r.Path.EndsWith(SenarFake.LoginPath, StringComparison.Ordinal)).Select(r => $"{r.Uri!.Host} {r.Authorization}").Should().Equal(
            "prod.senar.test Bearer token-of-prod.senar.test",
            "staging.senar.test Bearer token-of-staging.senar.test",
            "prod.senar.test Bearer token-of-prod.senar.test");
    }

    [Fact]
    public async Task A_reloaded_username_of_a_named_client_logs_in_as_the_new_user_for_the_next_call()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Senar:Username"] = "first@example.com",
            ["Senar:Password"] = "First-pass-1",
        }).Build();
        var handler = new FakeHttpHandler((request, _) => request.Path.EndsWith(SenarFake.LoginPath, StringComparison.Ordinal)
            ? FakeHttpHandler.JsonResponse($$"""{"Token": "token-of-{{JsonNode.Parse(request.Body)!["username"]!.GetValue<string>()}}"}""")
            : FakeHttpHandler.JsonResponse("[]"));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(FakeTime.Create());
        services.AddSenarClient("acct", configuration.GetSection("Senar")).ConfigurePrimaryHttpMessageHandler(() => handler);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredKeyedService<ISenarClient>("acct");

        await client.Users.ListAsync();
        configuration["Senar:Username"] = "second@example.com";
        configuration["Senar:Password"] = "Second-pass-2";
        configuration.Reload();
        await client.Users.ListAsync();

        handler.Requests.Where(r => !r.Path.EndsWith(SenarFake.LoginPath, StringComparison.Ordinal)).Select(r => r.Authorization).Should().Equal(
            "Bearer token-of-first@example.com", "Bearer token-of-second@example.com");
    }

    [Fact]
    public async Task Cancelling_during_a_login_is_an_OperationCanceledException_of_the_caller_s_token()
    {
        var fake = new SenarFake(beforeLogin: _ => Task.Delay(Timeout.InfiniteTimeSpan));
        using var client = fake.CreateClient(o => (o.Timeout, o.AttemptTimeout) = (TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1)));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5), fake.Time);

        var act = () => fake.Time.RunAsync(client.Users.ListAsync(cts.Token));

        var thrown = (await act.Should().ThrowAsync<OperationCanceledException>()).Which;
        thrown.CancellationToken.Should().Be(cts.Token);
    }

    [Fact]
    public async Task Cancelling_during_the_body_read_of_a_collected_list_is_an_OperationCanceledException_of_the_caller_s_token()
    {
        SenarFake? fake = null;
        fake = new SenarFake(api: _ => TrickleStream.Stalled("""[{"id":1},""", fake!.Time));
        using var client = fake.CreateClient(o => o.AttemptTimeout = TimeSpan.FromMinutes(1));
        await client.Auth.LoginAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5), fake.Time);

        var act = () => fake.Time.RunAsync(client.Users.ListAsync(cts.Token));

        var thrown = (await act.Should().ThrowAsync<OperationCanceledException>()).Which;
        thrown.CancellationToken.Should().Be(cts.Token);
    }

    [Fact]
    public async Task A_client_from_a_container_with_a_meter_factory_counts_its_logins_on_the_factory_s_meter()
    {
        var fake = new SenarFake();
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddSingleton<TimeProvider>(fake.Time);
        services.AddSenarClient(o => (o.Username, o.Password) = ("meter@example.com", "Meter-pass-1")).ConfigurePrimaryHttpMessageHandler(() => fake.Handler);
        await using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IMeterFactory>();
        using var requests = new MetricCollector<long>(factory, "Senar.Client", "senar.client.requests");
        using var logins = new MetricCollector<long>(factory, "Senar.Client", "senar.client.token.refreshes");

        await provider.GetRequiredService<ISenarClient>().Users.ListAsync();
        await provider.GetRequiredService<ISenarClient>().Auth.LoginAsync();

        requests.GetMeasurementSnapshot().Should().HaveCount(3, "two logins and the list");
        logins.GetMeasurementSnapshot().Should().HaveCount(2, "the login for the list and the explicit one, on the container's meter like every other measurement");
    }

    [Fact]
    public async Task A_client_from_the_container_asks_for_gzip_and_reads_a_gzip_body()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var acceptEncodings = new List<string?>();
        var server = Task.Run(async () =>
        {
            for (var i = 0; i < 2; i++)
            {
                var context = await listener.GetContextAsync();
                acceptEncodings.Add(context.Request.Headers["Accept-Encoding"]);
                var json = Encoding.UTF8.GetBytes(context.Request.Url!.AbsolutePath.EndsWith("/login", StringComparison.Ordinal) ? """{"Token":"token-gzip"}""" : """[{"id":"1"},{"id":"2"}]""");
                using var compressed = new MemoryStream();
                await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
                {
                    await gzip.WriteAsync(json);
                }

                context.Response.ContentType = "application/json";
                context.Response.AddHeader("Content-Encoding", "gzip");
                context.Response.ContentLength64 = compressed.Length;
                await context.Response.OutputStream.WriteAsync(compressed.ToArray());
                context.Response.Close();
            }
        });
        var services = new ServiceCollection();
        services.AddSenarClient("gz", o => (o.Username, o.Password, o.BaseAddress) = ("gzip@example.com", "Gzip-pass-1", new Uri($"http://127.0.0.1:{port}")));
        await using var provider = services.BuildServiceProvider();

        var users = await provider.GetRequiredKeyedService<ISenarClient>("gz").Users.ListAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await server.WaitAsync(TimeSpan.FromSeconds(30));

        acceptEncodings.Should().HaveCount(2).And.OnlyContain(e => e != null && e.Contains("gzip") && e.Contains("br") && e.Contains("deflate"));
        users.Should().HaveCount(2);
    }

    private static readonly Dictionary<string, Func<SenarClient, CancellationToken, Task>> Operations = new()
    {
        ["Users.List"] = (c, t) => c.Users.ListAsync(t),
        ["Activities.List"] = (c, t) => c.Activities.ListAsync(t),
        ["Users.AssignCollection"] = (c, t) => c.Users.AssignCollectionAsync(
            new Senar.Client.Users.UserAssignment { Email = "new@example.com", FirstName = "New", LastName = "User", Password = "Password8", Organization = "NewOrg Inc.", CollectionId = 42 }, t),
        ["Webhooks.Register"] = (c, t) => c.Webhooks.RegisterAsync(new Uri("https://hooks.example.com/senar"), Senar.Client.Webhooks.SenarWebhookEvent.User, t),
        ["Users.Stream"] = (c, t) => Task.Run(async () =>
        {
            await foreach (var _ in c.Users.StreamAsync(t))
            {
            }
        }),
        ["Activities.Stream"] = (c, t) => Task.Run(async () =>
        {
            await foreach (var _ in c.Activities.StreamAsync(t))
            {
            }
        }),
    };

    public static TheoryData<string> OperationNames => [.. Operations.Keys];

    [Theory]
    [MemberData(nameof(OperationNames))]
    public async Task Every_operation_with_a_stalled_body_ends_with_TimeoutException_within_Timeout(string operation)
    {
        SenarFake? fake = null;
        fake = new SenarFake(api: _ => TrickleStream.Stalled("""[{"id":"1","x":""", fake!.Time));
        using var client = fake.CreateClient(o => (o.Timeout, o.AttemptTimeout, o.Retry.BaseDelay) = (TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(10)));
        await client.Auth.LoginAsync();
        var started = fake.Time.GetUtcNow();

        var act = () => fake.Time.RunAsync(Operations[operation](client, CancellationToken.None));

        await act.Should().ThrowAsync<TimeoutException>();
        (fake.Time.GetUtcNow() - started).Should().BeLessThanOrEqualTo(TimeSpan.FromSeconds(3));
    }

    [Theory]
    [MemberData(nameof(OperationNames))]
    public async Task Every_operation_cancelled_during_a_stalled_body_ends_with_an_OperationCanceledException_of_the_caller_s_token(string operation)
    {
        SenarFake? fake = null;
        fake = new SenarFake(api: _ => TrickleStream.Stalled("""[{"id":"1","x":""", fake!.Time));
        using var client = fake.CreateClient(o => (o.Timeout, o.AttemptTimeout) = (TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1)));
        await client.Auth.LoginAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5), fake.Time);

        var act = () => fake.Time.RunAsync(Operations[operation](client, cts.Token));

        (await act.Should().ThrowAsync<OperationCanceledException>()).Which.CancellationToken.Should().Be(cts.Token);
    }

    [Fact]
    public async Task One_caller_cancelling_a_shared_login_does_not_fail_the_other_caller()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var fake = new SenarFake(beforeLogin: _ => release.Task);
        using var client = fake.CreateClient(o => (o.Timeout, o.AttemptTimeout) = (TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1)));
        using var cts = new CancellationTokenSource();

        // The first caller starts the login; the second joins it while it is in flight; then the first gives up.
        var first = client.Users.ListAsync(cts.Token);
        await WaitUntilAsync(() => fake.LoginCount == 1);
        var second = client.Activities.ListAsync();
        cts.Cancel();
        var cancelled = () => first;
        (await cancelled.Should().ThrowAsync<OperationCanceledException>()).Which.CancellationToken.Should().Be(cts.Token);
        release.SetResult();

        await second.WaitAsync(TimeSpan.FromSeconds(30));
        fake.LoginCount.Should().BeLessThanOrEqualTo(2);
        fake.ApiRequests.Should().ContainSingle().Which.Authorization.Should().StartWith("Bearer token-");
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            started.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
            await Task.Yield();
        }
    }
}
