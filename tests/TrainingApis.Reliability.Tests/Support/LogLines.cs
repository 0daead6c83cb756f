using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace TrainingApis.Reliability.Tests.Support;

/// <summary>What a <see cref="FakeLogCollector"/> kept, as the lines a sink writes: level, category, message, structured values, exception, scopes.</summary>
internal static class LogLines
{
    /// <summary>A logger factory at Trace whose records <paramref name="logs"/> keeps.</summary>
    public static ILoggerFactory CreateFactory(this FakeLogCollector logs) =>
        LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));

    /// <summary>One line per record, plus one per scope a record was logged in.</summary>
    public static IReadOnlyList<string> Lines(this FakeLogCollector logs) =>
    [
        .. logs.GetSnapshot().SelectMany(r => r.Scopes.Select(s => $"[scope] {r.Category}: {s}").Prepend(
            $"{r.Level} {r.Category}: {r.Message} {{{string.Join(", ", (r.StructuredState ?? []).Select(p => $"{p.Key}={p.Value}"))}}} {r.Exception}")),
    ];
}
