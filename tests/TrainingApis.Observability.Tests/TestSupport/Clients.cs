using Microsoft.Extensions.Logging;
using Senar.Client;
using Symtrain.Client;
using TrainingApis.Core;

namespace TrainingApis.Observability.Tests.TestSupport;

/// <summary>Hand-built clients over scripted handlers, with the test secrets.</summary>
internal static class Clients
{
    public static SymtrainClient Symtrain(HttpMessageHandler handler, TimeProvider time, ILoggerFactory? logging = null, Action<SymtrainClientOptions>? configure = null) =>
        new(SymtrainOptions(configure), handler, time, logging);

    public static SenarClient Senar(HttpMessageHandler handler, TimeProvider time, ILoggerFactory? logging = null, Action<SenarClientOptions>? configure = null) =>
        new(SenarOptions(configure), handler, time, logging);

    public static SymtrainClientOptions SymtrainOptions(Action<SymtrainClientOptions>? configure = null)
    {
        var options = new SymtrainClientOptions
        {
            ApiKey = Secrets.SymtrainApiKey,
            Retry = new RetryOptions { MaxRetries = 0 },
            RateLimit = new RateLimitOptions { Enabled = false },
        };
        configure?.Invoke(options);
        return options;
    }

    public static SenarClientOptions SenarOptions(Action<SenarClientOptions>? configure = null)
    {
        var options = new SenarClientOptions
        {
            Username = "api@senar.example",
            Password = Secrets.SenarPassword,
            Retry = new RetryOptions { MaxRetries = 0 },
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>A logger factory at Trace whose records <paramref name="logs"/> keeps.</summary>
    public static ILoggerFactory Logging(FakeLogCollector logs) =>
        LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));
}
