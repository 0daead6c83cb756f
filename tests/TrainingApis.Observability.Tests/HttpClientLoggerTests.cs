using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Logging;
using Microsoft.Extensions.Logging;
using Senar.Client;
using Symtrain.Client;
using TrainingApis.Core;
using TrainingApis.Observability.Tests.TestSupport;
using TrainingApis.Testing;

namespace TrainingApis.Observability.Tests;

/// <summary>
/// Loggers an application adds to every HttpClient (<c>ConfigureHttpClientDefaults</c>) never run on the SDK's clients,
/// whichever is registered first: they may write header values, <c>Authorization</c> included. A logger added to the
/// builder <c>Add…Client</c> returns is the caller's choice and runs.
/// </summary>
public sealed class HttpClientLoggerTests
{
    private const string OtherHost = "other.example";

    private const string OtherToken = "the-application's-own-token";

    public static TheoryData<string, bool> ApplicationWideLoggers => new()
    {
        { "AddLogger", true },
        { "AddLogger", false },
        { "AddExtendedHttpClientLogging", true },
        { "AddExtendedHttpClientLogging", false },
    };

    [Theory]
    [MemberData(nameof(ApplicationWideLoggers))]
    public async Task Loggers_added_to_every_client_never_run_on_the_sdk_clients(string kind, bool beforeTheSdk)
    {
        var logs = new FakeLogCollector();
        var careless = new CarelessLogger();
        var services = Services(logs, out var time);
        Action<IServiceCollection> applicationWide = kind switch
        {
            "AddLogger" => s => s.ConfigureHttpClientDefaults(b => b.AddLogger(_ => careless)),

            // Headers are logged only when classified, then redacted: Authorization is classified here, and the
            // redactor keeps every value, as a careless application's might.
            _ => s =>
            {
                s.AddSingleton<IRedactorProvider, KeepingRedactorProvider>();
                s.AddExtendedHttpClientLogging(o =>
                {
                    o.LogRequestStart = true;
                    o.RequestHeadersDataClasses["Authorization"] = new DataClassification("Test", "Credential");
                    o.ResponseHeadersDataClasses["X-Request-Id"] = new DataClassification("Test", "Identifier");
                });
            },
        };
        if (beforeTheSdk)
        {
            applicationWide(services);
        }

        AddSdkClients(services, time);
        services.AddHttpClient("Other", c => c.BaseAddress = new Uri($"https://{OtherHost}/"))
            .ConfigurePrimaryHttpMessageHandler(() => FakeHttpHandler.Json("{}"));
        if (!beforeTheSdk)
        {
            applicationWide(services);
        }

        await using var provider = services.BuildServiceProvider();
        await CallAsync(provider, time, application: true);

        var texts = logs.GetSnapshot().SelectMany(e => e.Texts().Select(t => $"{e.Category}#{e.Id.Id}: {t}")).Concat(careless.Seen).ToList();
        texts.Should().Contain(t => t.Contains(OtherHost, StringComparison.Ordinal), $"the application's {kind} runs on its own clients");
        texts.Should().Contain(t => t.Contains(OtherToken, StringComparison.Ordinal), "it writes their Authorization header");
        texts.Should().NotContain(t => t.Contains(SymtrainHost, StringComparison.Ordinal) || t.Contains(SenarHost, StringComparison.Ordinal), "no factory logger runs on the SDK's clients");
        texts.SelectMany(t => Secrets.FoundIn(t).Select(secret => $"'{secret}' in {t}")).Should().BeEmpty();
    }

    [Fact]
    public async Task A_logger_added_to_the_builder_the_registration_returns_runs()
    {
        var logs = new FakeLogCollector();
        var careless = new CarelessLogger();
        var services = Services(logs, out var time);
        AddSdkClients(services, time, symtrain => symtrain.AddLogger(_ => careless));
        await using var provider = services.BuildServiceProvider();
        await CallAsync(provider, time, application: false);

        careless.Seen.Should().Contain(t => t.Contains(SymtrainHost, StringComparison.Ordinal), "a logger the caller adds to the SDK's client is the caller's choice");
        careless.Seen.Should().NotContain(t => t.Contains(SenarHost, StringComparison.Ordinal), "it was added to the Symtrain client only");
    }

    private static string SymtrainHost => new SymtrainClientOptions().BaseAddress.Host;

    private static string SenarHost => new SenarClientOptions().BaseAddress.Host;

    private static ServiceCollection Services(FakeLogCollector logs, out FakeTimeProvider time)
    {
        time = FakeTime.Create();
        var services = new ServiceCollection();
        services.AddLogging(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));
        services.AddSingleton<TimeProvider>(time);
        return services;
    }

    private static void AddSdkClients(IServiceCollection services, FakeTimeProvider time, Action<IHttpClientBuilder>? symtrain = null)
    {
        var builder = services.AddSymtrainClient(o =>
        {
            o.ApiKey = Secrets.SymtrainApiKey;
            o.RateLimit = new RateLimitOptions { Enabled = false };
        }).ConfigurePrimaryHttpMessageHandler(() => Fakes.Symtrain(time));
        symtrain?.Invoke(builder);
        services.AddSenarClient(o =>
        {
            o.Username = "api@senar.example";
            o.Password = Secrets.SenarPassword;
        }).ConfigurePrimaryHttpMessageHandler(() => Fakes.Senar(time));
    }

    /// <summary>A Symtrain call, a Senar login and call, and a request of the application's own client.</summary>
    private static async Task CallAsync(IServiceProvider provider, FakeTimeProvider time, bool application)
    {
        await time.RunAsync(provider.GetRequiredService<ISymtrainClient>().Users.CreateAccessTokenAsync("org-1", "ana@example.com"));
        await time.RunAsync(provider.GetRequiredService<ISenarClient>().Users.ListAsync());
        if (!application)
        {
            return;
        }

        using var other = provider.GetRequiredService<IHttpClientFactory>().CreateClient("Other");
        using var request = new HttpRequestMessage(HttpMethod.Get, "ping");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", OtherToken);
        using var response = await other.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Redaction that keeps every value.</summary>
    private sealed class KeepingRedactorProvider : IRedactorProvider
    {
        public Redactor GetRedactor(DataClassificationSet classifications) => NullRedactor.Instance;
    }

    /// <summary>An application's logger that writes every request header's value.</summary>
    private sealed class CarelessLogger : IHttpClientLogger
    {
        private readonly ConcurrentQueue<string> _seen = new();

        public IReadOnlyList<string> Seen => [.. _seen];

        public object? LogRequestStart(HttpRequestMessage request)
        {
            _seen.Enqueue($"{request.Method} {request.RequestUri} {string.Join("; ", request.Headers.Select(h => $"{h.Key}: {string.Join(",", h.Value)}"))}");
            return null;
        }

        public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed) =>
            _seen.Enqueue($"{request.RequestUri} answered {(int)response.StatusCode}: {string.Join("; ", response.Headers.Select(h => $"{h.Key}: {string.Join(",", h.Value)}"))}");

        public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed) =>
            _seen.Enqueue($"{request.RequestUri} failed: {exception.GetType().Name}");
    }
}
