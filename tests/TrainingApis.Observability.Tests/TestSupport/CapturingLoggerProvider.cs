using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TrainingApis.Observability.Tests.TestSupport;

/// <summary>One log call as a provider sees it: the formatted message, every structured value and the exception.</summary>
internal sealed record LogEntry(
    string Category,
    LogLevel Level,
    EventId EventId,
    string Message,
    IReadOnlyList<KeyValuePair<string, object?>> State,
    Exception? Exception)
{
    public object? Value(string name) => State.FirstOrDefault(p => p.Key == name).Value;

    /// <summary>Everything of the entry that reaches a log sink, as text.</summary>
    public IEnumerable<string> Texts()
    {
        yield return Category;
        yield return Message;
        foreach (var (key, value) in State)
        {
            yield return key;
            yield return Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
        }

        if (Exception is not null)
        {
            yield return Exception.ToString();
        }
    }
}

/// <summary>A logger provider enabled at every level (Trace included) that keeps every entry and scope.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();
    private readonly ConcurrentQueue<string> _scopes = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public IReadOnlyList<string> Scopes => [.. _scopes];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            owner._scopes.Enqueue(state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}"))
                : state.ToString() ?? string.Empty);
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var pairs = state is IEnumerable<KeyValuePair<string, object?>> values ? values.ToList() : [];
            owner._entries.Enqueue(new LogEntry(category, logLevel, eventId, formatter(state, exception), pairs, exception));
        }
    }
}
