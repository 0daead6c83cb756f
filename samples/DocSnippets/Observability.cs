using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Symtrain.Client;

namespace DocSnippets;

/// <summary>The code of docs/observability.md, compiled.</summary>
internal static class Observability
{
    public static void WireOpenTelemetry(WebApplicationBuilder builder)
    {
        #region observability-opentelemetry
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing
                .AddSource("Symtrain.Client", "Senar.Client")
                .AddOtlpExporter())
            .WithMetrics(metrics => metrics
                .AddMeter("Symtrain.Client", "Senar.Client")
                .AddOtlpExporter());

        builder.Logging.AddOpenTelemetry(logging => logging.AddOtlpExporter());
        #endregion
    }

    public static void TurnOnLogging(SymtrainClientOptions options)
    {
        #region observability-logging
        using var loggerFactory = LoggerFactory.Create(logging => logging
            .AddSimpleConsole()
            .AddFilter("Symtrain.Client", LogLevel.Debug)
            .AddFilter("Senar.Client", LogLevel.Debug));
        using var symtrain = new SymtrainClient(options, primaryHandler: null, timeProvider: null, loggerFactory);
        #endregion
    }
}
