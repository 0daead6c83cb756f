using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Symtrain.Client.Access;
using Symtrain.Client.Users;
using TrainingApis.Core;

namespace Symtrain.Client.Tests;

/// <summary>
/// Review of issue 13: siblings of the faults it names (other registration shapes, other stall points, options
/// reloaded while the client lives, cancellation against timeout). Each test states the behaviour the issue promises.
/// </summary>
public sealed class HostileReview13Tests
{
    private static readonly DateRange Week = DateRange.FromDays(new DateOnly(2024, 1, 1), 7);

    private static ServiceProvider Build(Action<IServiceCollection> before, Func<IServiceCollection, IHttpClientBuilder> register, Action<IServiceCollection> after, FakeHttpHandler handler, FakeTimeProvider time)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        before(services);
        register(services).ConfigurePrimaryHttpMessageHandler(() => handler);
        after(services);
        return services.BuildServiceProvider();
    }

    private static FakeHttpHandler Always503() =>
        new((_, _) => FakeHttpHandler.JsonResponse("{}", HttpStatusCode.ServiceUnavailable));

    [Fact]
    public async Task An_application_wide_standard_resilience_handler_registered_after_the_SDK_never_stacks_on_its_retries()
    {
        var time = FakeTime.Create();
        var handler = Always503();
        await using var provider = Build(
            _ => { },
            s => s.AddSymtrainClient(o => (o.ApiKey, o.Retry.BaseDelay) = ("sk_after", TimeSpan.FromMilliseconds(10))),
            s => s.ConfigureHttpClientDefaults(static b => b.AddStandardResilienceHandler()),
            handler,
            time);

        var act = () => time.RunAsync(provider.GetRequiredService<ISymtrainClient>().Reports.GetUsersAsync(Week));

        (await act.Should().ThrowAsync<ApiException>()).Which.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        handler.Count.Should().Be(4, "1 + Retry.MaxRetries (3), whatever the order of registration");
    }

    [Fact]
    public async Task An_application_wide_standard_hedging_handler_never_stacks_on_a_named_client_s_retries()
    {
        var time = FakeTime.Create();
        var handler = Always503();
        await using var provider = Build(
            s => s.ConfigureHttpClientDefaults(static b => b.AddStandardHedgingHandler()),
            s => s.AddSymtrainClient("hedged", o => (o.ApiKey, o.Retry.BaseDelay) = ("sk_hedged", TimeSpan.FromMilliseconds(10))),
            _ => { },
            handler,
            time);

        var act = () => time.RunAsync(provider.GetRequiredKeyedService<ISymtrainClient>("hedged").Reports.GetUsersAsync(Week));

        (await act.Should().ThrowAsync<ApiException>()).Which.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        handler.Count.Should().Be(4, "1 + Retry.MaxRetries (3)");
    }

    [Fact]
    public async Task A_user_s_own_resilience_handler_on_the_returned_builder_survives_the_removal_of_application_wide_ones()
    {
        var time = FakeTime.Create();
        var handler = Always503();
        var seen = 0;
        await using var provider = Build(
            s => s.ConfigureHttpClientDefaults(static b => b.AddStandardResilienceHandler()),
            s =>
            {
                var builder = s.AddSymtrainClient(o => (o.ApiKey, o.Retry.BaseDelay) = ("sk_own", TimeSpan.FromMilliseconds(10)));
                builder.AddResilienceHandler("mine", p => p.AddRetry(new HttpRetryStrategyOptions
                {
                    ShouldHandle = _ =>
                    {
                        Interlocked.Increment(ref seen);
                        return new ValueTask<bool>(false);
                    },
                }));
                return builder;
            },
            _ => { },
            handler,
            time);

        var act = () => time.RunAsync(provider.GetRequiredService<ISymtrainClient>().Reports.GetUsersAsync(Week));

        await act.Should().ThrowAsync<ApiException>();
        handler.Count.Should().Be(4);
        seen.Should().Be(4, "the user's handler sits under the SDK's retry and sees every attempt");
    }

    [Fact]
    public async Task A_primary_handler_set_for_every_client_wins_for_named_and_unnamed_clients_whatever_the_order()
    {
        var before = FakeHttpHandler.Json("[]");
        var after = FakeHttpHandler.Json("[]");
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(FakeTime.Create());
        services.ConfigureHttpClientDefaults(b => b.ConfigurePrimaryHttpMessageHandler(() => before));
        services.AddSymtrainClient(o => o.ApiKey = "sk_default");
        services.AddSymtrainClient("named", o => o.ApiKey = "sk_named");
        await using (var provider = services.BuildServiceProvider())
        {
            await provider.GetRequiredService<ISymtrainClient>().Reports.GetUsersAsync(Week);
            await provider.GetRequiredKeyedService<ISymtrainClient>("named").Reports.GetUsersAsync(Week);
        }

        var later = new ServiceCollection();
        later.AddSingleton<TimeProvider>(FakeTime.Create());
        later.AddSymtrainClient(o => o.ApiKey = "sk_default");
        later.AddSymtrainClient("named", o => o.ApiKey = "sk_named");
        later.ConfigureHttpClientDefaults(b => b.ConfigurePrimaryHttpMessageHandler(() => after));
        await using (var provider = later.BuildServiceProvider())
        {
            await provider.GetRequiredService<ISymtrainClient>().Reports.GetUsersAsync(Week);
            await provider.GetRequiredKeyedService<ISymtrainClient>("named").Reports.GetUsersAsync(Week);
        }

        before.Requests.Select(r => r.Authorization).Should().Equal("Bearer sk_default", "Bearer sk_named");
        after.Requests.Select(r => r.Authorization).Should().Equal("Bearer sk_default", "Bearer sk_named");
    }

    [Fact]
    public async Task A_reloaded_MaxResponseBufferSize_applies_to_the_next_call()
    {
        // A singleton client lives for hours: a reloaded limit must not wait for the factory's handler rotation.
        var configuration = Configuration(("MaxResponseBufferSize", "16"));
        var time = FakeTime.Create();
        var handler = FakeHttpHandler.Json("[" + new string(' ', 30) + "]");
        await using var provider = Build(_ => { }, s => s.AddSymtrainClient(configuration), _ => { }, handler, time);
        var client = provider.GetRequiredService<ISymtrainClient>();

        var tooLarge = () => time.RunAsync(client.Access.GetCompletionDataAsync("org", "u", "s"));
        (await tooLarge.Should().ThrowAsync<ApiException>()).Which.Message.Should().Contain("MaxResponseBufferSize");
        configuration["MaxResponseBufferSize"] = "1048576";
        configuration.Reload();

        (await time.RunAsync(client.Access.GetCompletionDataAsync("org", "u", "s"))).Should().BeEmpty("MaxResponseBufferSize is 1 MiB now");
    }

    [Fact]
    public async Task A_reloaded_AttemptTimeout_applies_to_the_idle_bound_of_the_next_stream()
    {
        // Rows every 5 s: too slow for AttemptTimeout = 2 s, fine once it is reloaded as 30 s.
        var configuration = Configuration(("AttemptTimeout", "00:00:02"), ("Timeout", "00:10:00"));
        var time = FakeTime.Create();
        var handler = new FakeHttpHandler((_, _) => Trickle(time, TimeSpan.FromSeconds(5), "[", i => i < 3 ? $"{{\"userId\":\"u-{i}\"}}," : i == 3 ? "{\"userId\":\"u-3\"}]" : null));
        await using var provider = Build(_ => { }, s => s.AddSymtrainClient(configuration), _ => { }, handler, time);
        var client = provider.GetRequiredService<ISymtrainClient>();

        var slow = () => time.RunAsync(Count(client.Reports.StreamReportAsync(SymtrainReport.Users, Week)));
        await slow.Should().ThrowAsync<TimeoutException>();
        configuration["AttemptTimeout"] = "00:00:30";
        configuration.Reload();

        (await time.RunAsync(Count(client.Reports.StreamReportAsync(SymtrainReport.Users, Week)))).Should().Be(4, "AttemptTimeout is 30 s now");
    }

    [Fact]
    public async Task A_reloaded_Timeout_bounds_the_body_of_the_next_collected_report()
    {
        // A body that trickles a byte every 20 s forever (within AttemptTimeout): only Timeout ends it. Reloaded from 10 minutes to 1.
        var configuration = Configuration(("AttemptTimeout", "00:00:30"), ("Timeout", "00:10:00"));
        var time = FakeTime.Create();
        var handler = new FakeHttpHandler((_, n) => n == 0 ? FakeHttpHandler.JsonResponse("[]") : Trickle(time, TimeSpan.FromSeconds(20), "[", _ => " "));
        await using var provider = Build(_ => { }, s => s.AddSymtrainClient(configuration), _ => { }, handler, time);
        var client = provider.GetRequiredService<ISymtrainClient>();
        await time.RunAsync(client.Reports.GetUsersAsync(Week)); // Builds the handler chain under the old options.
        configuration["Timeout"] = "00:01:00";
        configuration.Reload();
        var started = time.GetUtcNow();

        var act = () => time.RunAsync(client.Reports.GetUsersAsync(Week));

        (await act.Should().ThrowAsync<TimeoutException>()).Which.Message.Should().Contain("Timeout = 60 s");
        (time.GetUtcNow() - started).Should().BeLessThanOrEqualTo(TimeSpan.FromMinutes(1), "Timeout is 1 minute since the reload");
    }

    [Fact]
    public async Task Cancelling_during_a_quota_wait_is_an_OperationCanceledException_of_the_caller_s_token()
    {
        using var harness = new Harness((_, _) => FakeHttpHandler.JsonResponse("[]"), o => o.RateLimit = new RateLimitOptions { PermitLimit = 1, Window = TimeSpan.FromMinutes(1), QueueLimit = 1 });
        await harness.Client.Reports.GetUsersAsync(Week);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5), harness.Time);

        var act = () => harness.Time.RunAsync(harness.Client.Reports.GetUsersAsync(Week, cts.Token));

        (await act.Should().ThrowAsync<OperationCanceledException>()).Which.CancellationToken.Should().Be(cts.Token);
        harness.Requests.Should().HaveCount(1);
    }

    [Fact]
    public async Task Cancelling_during_a_retry_delay_is_an_OperationCanceledException_of_the_caller_s_token()
    {
        using var harness = new Harness(
            (_, _) =>
            {
                var response = FakeHttpHandler.JsonResponse("{}", HttpStatusCode.ServiceUnavailable);
                response.Headers.Add("Retry-After", "30");
                return response;
            },
            o => o.Retry = new RetryOptions { MaxRetries = 3, MaxRetryAfter = TimeSpan.FromMinutes(1) });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5), harness.Time);

        var act = () => harness.Time.RunAsync(harness.Client.Reports.GetUsersAsync(Week, cts.Token));

        (await act.Should().ThrowAsync<OperationCanceledException>()).Which.CancellationToken.Should().Be(cts.Token);
        harness.Requests.Should().HaveCount(1);
    }

    [Theory]
    [InlineData("completion")]
    [InlineData("report")]
    public async Task A_body_trickling_a_byte_per_just_under_AttemptTimeout_ends_within_Timeout(string call)
    {
        Harness? harness = null;
        harness = new Harness(
            (_, _) => Trickle(harness!.Time, TimeSpan.FromMilliseconds(1999), "[", _ => " "),
            o => (o.Timeout, o.AttemptTimeout, o.Retry) = (TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), new RetryOptions { MaxRetries = 3, BaseDelay = TimeSpan.FromMilliseconds(10) }));
        var started = harness.Time.GetUtcNow();

        Func<Task> act = call == "completion"
            ? () => harness.Time.RunAsync(harness.Client.Access.GetCompletionDataAsync("org", "u", "s"))
            : () => harness.Time.RunAsync(harness.Client.Reports.GetUsersAsync(Week));

        await act.Should().ThrowAsync<TimeoutException>();
        (harness.Time.GetUtcNow() - started).Should().BeLessThanOrEqualTo(TimeSpan.FromSeconds(10));
        harness.Dispose();
    }

    [Fact]
    public async Task A_stalled_error_body_of_a_stream_ends_with_TimeoutException()
    {
        Harness? harness = null;
        harness = new Harness(
            (_, _) =>
            {
                var response = TrickleStream.Stalled("""{"message":"bro""", harness!.Time);
                response.StatusCode = HttpStatusCode.BadRequest;
                return response;
            },
            o => (o.Timeout, o.AttemptTimeout) = (TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(2)));
        var started = harness.Time.GetUtcNow();

        var act = () => harness.Time.RunAsync(Count(harness.Client.Reports.StreamReportAsync(SymtrainReport.Users, Week)));

        await act.Should().ThrowAsync<TimeoutException>();
        (harness.Time.GetUtcNow() - started).Should().BeLessThanOrEqualTo(TimeSpan.FromSeconds(2));
        harness.Dispose();
    }

    [Fact]
    public async Task A_stall_in_the_second_envelope_page_of_a_stream_ends_with_TimeoutException()
    {
        Harness? harness = null;
        harness = new Harness(
            (_, n) => n == 0
                ? FakeHttpHandler.JsonResponse("""{"page":1,"pageSize":1,"results":[{"userId":"u-1"}]}""")
                : TrickleStream.Stalled("""{"page":2,"pageSize":1,"results":[""", harness!.Time),
            o => (o.Timeout, o.AttemptTimeout) = (TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(2)));

        var act = () => harness.Time.RunAsync(Count(harness.Client.Reports.StreamReportAsync(SymtrainReport.Users, Week)));

        (await act.Should().ThrowAsync<TimeoutException>()).Which.Message.Should().Contain("AttemptTimeout");
        harness.Requests.Should().HaveCount(2);
        harness.Dispose();
    }

    [Fact]
    public async Task Two_named_clients_on_one_partition_with_different_limits_apply_the_stricter_and_warn_once()
    {
        var time = FakeTime.Create();
        var handler = FakeHttpHandler.Json("[]");
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddFakeLogging();
        services.AddSymtrainClient("one", o => (o.ApiKey, o.Retry.MaxRetries, o.RateLimit) = ("sk_one", 0, new RateLimitOptions { PermitLimit = 5, Window = TimeSpan.FromMinutes(5), QueueLimit = 0, PartitionKey = "egress" }))
            .ConfigurePrimaryHttpMessageHandler(() => handler);
        services.AddSymtrainClient("two", o => (o.ApiKey, o.Retry.MaxRetries, o.RateLimit) = ("sk_two", 0, new RateLimitOptions { PermitLimit = 2, Window = TimeSpan.FromMinutes(5), QueueLimit = 0, PartitionKey = "egress" }))
            .ConfigurePrimaryHttpMessageHandler(() => handler);
        await using var provider = services.BuildServiceProvider();
        var one = provider.GetRequiredKeyedService<ISymtrainClient>("one");
        var two = provider.GetRequiredKeyedService<ISymtrainClient>("two");

        await one.Reports.GetUsersAsync(Week);
        await two.Reports.GetUsersAsync(Week);
        var third = () => one.Reports.GetUsersAsync(Week);
        var fourth = () => two.Reports.GetUsersAsync(Week);

        (await third.Should().ThrowAsync<ApiRateLimitException>()).Which.IsLocal.Should().BeTrue("the stricter limit (2) applies to both");
        await fourth.Should().ThrowAsync<ApiRateLimitException>();
        var warnings = provider.GetFakeLogCollector().GetSnapshot().Where(r => r.Level == LogLevel.Warning && r.Message.Contains("different limits")).ToList();
        warnings.Should().ContainSingle().Which.Message.Should().Contain("5 requests per 00:05:00").And.Contain("2 requests per 00:05:00");
        handler.Requests.Select(r => r.Authorization).Should().Equal("Bearer sk_one", "Bearer sk_two");
    }

    private static IConfigurationRoot Configuration(params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?> { ["ApiKey"] = "sk_reload", ["Retry:MaxRetries"] = "0" };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    private static HttpResponseMessage Trickle(FakeTimeProvider time, TimeSpan interval, string prefix, Func<int, string?> next)
    {
        var content = new StreamContent(new TrickleStream(Encoding.UTF8.GetBytes(prefix), time, interval, i => next(i) is { } text ? Encoding.UTF8.GetBytes(text) : null));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }

    private static Task<int> Count<T>(IAsyncEnumerable<T> rows) => Task.Run(async () =>
    {
        var count = 0;
        await foreach (var _ in rows)
        {
            count++;
        }

        return count;
    });

    private static readonly Dictionary<string, Func<SymtrainClient, CancellationToken, Task>> Operations = new()
    {
        ["Users.CreateAccessToken"] = (c, t) => c.Users.CreateAccessTokenAsync("org-1", "ana@example.com", t),
        ["Users.CreateUser"] = (c, t) => c.Users.CreateUserAsync(new CreateUserRequest { OrganizationId = "org-1", Email = "new@example.com", FirstName = "New" }, t),
        ["Users.BulkImport"] = (c, t) => c.Users.BulkImportAsync("org-1", [new BulkImportRow { FirstName = "Ana", LastName = "Diaz", Email = "ana@example.com" }], t),
        ["Users.GetBulkImportStatus"] = (c, t) => c.Users.GetBulkImportStatusAsync("org-1", "task-1", t),
        ["Access.CreateDeepLink"] = (c, t) => c.Access.CreateDeepLinkAsync("org-1", "ana@example.com", "sim-1", t),
        ["Access.GetCompletionData"] = (c, t) => c.Access.GetCompletionDataAsync("org-1", "ana@example.com", "sim-1", t),
        ["Access.GetLibraryPage"] = (c, t) => c.Access.GetLibraryPageAsync(new LibraryQuery { OrganizationId = "org-1", UserId = "ana@example.com" }, t),
        ["Access.ListLibrary"] = (c, t) => Count(c.Access.ListLibraryAsync(new LibraryQuery { OrganizationId = "org-1", UserId = "ana@example.com" }, t)),
        ["Access.AssignSimulation"] = (c, t) => c.Access.AssignSimulationAsync("org-1", "ana@example.com", "sim-1", t),
        ["Access.UnassignSimulation"] = (c, t) => c.Access.UnassignSimulationAsync("org-1", "ana@example.com", "sim-1", t),
        ["Reports.GetSymsResult"] = (c, t) => c.Reports.GetSymsResultAsync(Week, t),
        ["Reports.StreamReport"] = (c, t) => Count(c.Reports.StreamReportAsync(SymtrainReport.Users, Week, t)),
    };

    public static TheoryData<string> OperationNames => [.. Operations.Keys];

    [Theory]
    [MemberData(nameof(OperationNames))]
    public async Task Every_operation_with_a_stalled_body_ends_with_TimeoutException_within_Timeout(string operation)
    {
        Harness? harness = null;
        harness = new Harness(
            (_, _) => TrickleStream.Stalled("""{"data":[{"x":""", harness!.Time),
            o => (o.Timeout, o.AttemptTimeout, o.Retry) = (TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2), new RetryOptions { MaxRetries = 3, BaseDelay = TimeSpan.FromMilliseconds(10) }));
        var started = harness.Time.GetUtcNow();

        var act = () => harness.Time.RunAsync(Operations[operation](harness.Client, CancellationToken.None));

        await act.Should().ThrowAsync<TimeoutException>();
        (harness.Time.GetUtcNow() - started).Should().BeLessThanOrEqualTo(TimeSpan.FromSeconds(3));
        harness.Dispose();
    }

    [Theory]
    [MemberData(nameof(OperationNames))]
    public async Task Every_operation_cancelled_during_a_stalled_body_ends_with_an_OperationCanceledException_of_the_caller_s_token(string operation)
    {
        Harness? harness = null;
        harness = new Harness(
            (_, _) => TrickleStream.Stalled("""{"data":[{"x":""", harness!.Time),
            o => (o.Timeout, o.AttemptTimeout) = (TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1)));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5), harness.Time);

        var act = () => harness.Time.RunAsync(Operations[operation](harness.Client, cts.Token));

        var thrown = (await act.Should().ThrowAsync<OperationCanceledException>()).Which;
        thrown.CancellationToken.Should().Be(cts.Token);
        harness.Dispose();
    }

    [Fact]
    public async Task Cancelling_during_the_wait_of_a_user_s_quota_limiter_is_an_OperationCanceledException_of_the_caller_s_token()
    {
        var time = FakeTime.Create();
        var gate = new System.Threading.RateLimiting.ConcurrencyLimiter(new System.Threading.RateLimiting.ConcurrencyLimiterOptions { PermitLimit = 1, QueueLimit = 1 });
        using var held = await gate.AcquireAsync(1);
        var handler = FakeHttpHandler.Json("[]");
        await using var provider = Build(_ => { }, s => s.AddSymtrainClient(o => o.ApiKey = "sk_own_limiter").UseQuotaLimiter(_ => gate), _ => { }, handler, time);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5), time);

        var act = () => time.RunAsync(provider.GetRequiredService<ISymtrainClient>().Reports.GetUsersAsync(Week, cts.Token));

        (await act.Should().ThrowAsync<OperationCanceledException>()).Which.CancellationToken.Should().Be(cts.Token);
        handler.Count.Should().Be(0);
    }

    [Fact]
    public async Task Timeout_running_out_in_the_wait_of_a_user_s_quota_limiter_is_a_TimeoutException()
    {
        var time = FakeTime.Create();
        var gate = new System.Threading.RateLimiting.ConcurrencyLimiter(new System.Threading.RateLimiting.ConcurrencyLimiterOptions { PermitLimit = 1, QueueLimit = 1 });
        using var held = await gate.AcquireAsync(1);
        var handler = FakeHttpHandler.Json("[]");
        await using var provider = Build(_ => { }, s => s.AddSymtrainClient(o => (o.ApiKey, o.Timeout) = ("sk_own_limiter_2", TimeSpan.FromSeconds(5))).UseQuotaLimiter(_ => gate), _ => { }, handler, time);

        var act = () => time.RunAsync(provider.GetRequiredService<ISymtrainClient>().Reports.GetUsersAsync(Week));

        (await act.Should().ThrowAsync<TimeoutException>()).Which.Message.Should().Contain("Timeout");
        handler.Count.Should().Be(0);
    }

    [Fact]
    public async Task A_quota_wait_between_the_pages_of_a_collected_report_is_not_idle_time()
    {
        using var harness = new Harness(
            (_, n) => FakeHttpHandler.JsonResponse(n == 0
                ? """{"page":1,"pageSize":1,"results":[{"n":1}]}"""
                : """{"page":2,"pageSize":1,"results":[]}"""),
            o =>
            {
                o.AttemptTimeout = TimeSpan.FromSeconds(2);
                o.Timeout = TimeSpan.FromSeconds(30);
                o.RateLimit = new RateLimitOptions { PermitLimit = 1, Window = TimeSpan.FromSeconds(10) };
            });

        var rows = await harness.Time.RunAsync(harness.Client.Reports.GetUsersAsync(Week));

        rows.Should().ContainSingle();
        harness.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task Client_settings_for_every_client_registered_after_the_SDK_never_redirect_its_key_or_bound_its_calls()
    {
        var handler = FakeHttpHandler.Json("[]");
        var time = FakeTime.Create();
        await using var provider = Build(
            _ => { },
            s => s.AddSymtrainClient(o => o.ApiKey = "sk_defaults_after"),
            s => s.ConfigureHttpClientDefaults(b => b.ConfigureHttpClient(c => (c.BaseAddress, c.Timeout) = (new Uri("https://collector.example.com"), TimeSpan.FromSeconds(1)))),
            handler,
            time);

        await provider.GetRequiredService<ISymtrainClient>().Reports.GetUsersAsync(Week);

        handler.Requests.Should().ContainSingle().Which.Uri!.Host.Should().Be("api.symtrain.com", "the key goes only to the configured BaseAddress");
        provider.GetRequiredService<IHttpClientFactory>().CreateClient(SymtrainClientServiceCollectionExtensions.HttpClientName).Timeout.Should().Be(Timeout.InfiniteTimeSpan, "the pipeline owns the timeouts");
    }

    [Fact]
    public async Task Tuning_one_named_client_s_retry_through_the_library_s_options_leaves_the_other_alone_whatever_the_order()
    {
        var time = FakeTime.Create();
        var handler = Always503();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);

        // Configured before the client is registered: still applies on top of the SDK's defaults.
        services.Configure<HttpRetryStrategyOptions>("Symtrain.Client:a-call", o => o.MaxRetryAttempts = 1);
        services.AddSymtrainClient("a", o => (o.ApiKey, o.Retry.BaseDelay) = ("sk_a", TimeSpan.FromMilliseconds(10))).ConfigurePrimaryHttpMessageHandler(() => handler);
        services.AddSymtrainClient("b", o => (o.ApiKey, o.Retry.BaseDelay) = ("sk_b", TimeSpan.FromMilliseconds(10))).ConfigurePrimaryHttpMessageHandler(() => handler);
        await using var provider = services.BuildServiceProvider();

        var a = () => time.RunAsync(provider.GetRequiredKeyedService<ISymtrainClient>("a").Reports.GetUsersAsync(Week));
        var b = () => time.RunAsync(provider.GetRequiredKeyedService<ISymtrainClient>("b").Reports.GetUsersAsync(Week));
        await a.Should().ThrowAsync<ApiException>();
        await b.Should().ThrowAsync<ApiException>();

        handler.Requests.Count(r => r.Authorization == "Bearer sk_a").Should().Be(2, "a's retry was tuned to 1");
        handler.Requests.Count(r => r.Authorization == "Bearer sk_b").Should().Be(4, "b keeps 1 + Retry.MaxRetries (3)");
    }

    [Fact]
    public async Task A_reloaded_retry_setting_of_a_named_client_applies_to_its_next_call()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tenant:ApiKey"] = "sk_named_reload",
            ["Tenant:Retry:MaxRetries"] = "0",
            ["Tenant:Retry:BaseDelay"] = "00:00:00.010",
        }).Build();
        var time = FakeTime.Create();
        var handler = new FakeHttpHandler((_, _) => FakeHttpHandler.JsonResponse("{}", HttpStatusCode.BadGateway));
        await using var provider = Build(_ => { }, s => s.AddSymtrainClient("tenant", configuration.GetSection("Tenant")), _ => { }, handler, time);
        var client = provider.GetRequiredKeyedService<ISymtrainClient>("tenant");

        var call = () => time.RunAsync(client.Reports.GetUsersAsync(Week));
        await call.Should().ThrowAsync<ApiException>();
        configuration["Tenant:Retry:MaxRetries"] = "2";
        configuration.Reload();
        await call.Should().ThrowAsync<ApiException>();

        handler.Count.Should().Be(1 + 3);
    }
}
