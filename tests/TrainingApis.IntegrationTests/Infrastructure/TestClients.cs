using Senar.Client;
using Symtrain.Client;
using TrainingApis.Core;

namespace TrainingApis.IntegrationTests.Infrastructure;

/// <summary>
/// Client options pointed at WireMock, with tiny real waits so the suite stays fast: backoff of a few milliseconds,
/// Retry-After capped at 50 ms, no client-side quota. Every call makes a fresh credential: the quota and token caches
/// are shared per credential per process, so tests stay isolated.
/// </summary>
public static class TestClients
{
    public const int MaxRetries = 3;

    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMilliseconds(50);

    public const string SenarPassword = "Password8";

    public static SymtrainClientOptions SymtrainOptions(StubServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var options = new SymtrainClientOptions
        {
            BaseAddress = server.BaseAddress,
            ApiKey = $"sk_test_{Guid.NewGuid():N}",
        };
        Tune(options);
        return options;
    }

    public static SenarClientOptions SenarOptions(StubServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var options = new SenarClientOptions
        {
            BaseAddress = server.BaseAddress,
            Username = $"integration-{Guid.NewGuid():N}@acme.example",
            Password = SenarPassword,
        };
        Tune(options);
        return options;
    }

    private static void Tune(ApiClientOptions options)
    {
        options.Timeout = TimeSpan.FromSeconds(30);
        options.AttemptTimeout = TimeSpan.FromSeconds(10);
        options.Retry = new RetryOptions
        {
            MaxRetries = MaxRetries,
            BaseDelay = TimeSpan.FromMilliseconds(2),
            MaxDelay = TimeSpan.FromMilliseconds(10),
            MaxRetryAfter = MaxRetryAfter,
        };
        options.RateLimit = new RateLimitOptions { Enabled = false };
    }
}
