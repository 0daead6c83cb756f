using Microsoft.Extensions.Logging;

namespace TrainingApis.Sandbox;

/// <summary>
/// The caller's logger factory as the web host sees it: ASP.NET Core's own categories only from Warning up, since its
/// Information lines (<c>Request starting HTTP/1.1 GET http://…/_sandbox/launch/…?token=…</c>) carry the whole URL, query
/// included, where a deep link's token travels. The sandbox's own request log (method, path, status) replaces them.
/// </summary>
internal sealed class HostLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private const string AspNetCoreCategory = "Microsoft.AspNetCore";

    public ILogger CreateLogger(string categoryName)
    {
        var logger = inner.CreateLogger(categoryName);
        return categoryName.StartsWith(AspNetCoreCategory, StringComparison.Ordinal) ? new WarningAndAbove(logger) : logger;
    }

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    // The caller's factory: the caller disposes it.
    public void Dispose()
    {
    }

    private sealed class WarningAndAbove(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
