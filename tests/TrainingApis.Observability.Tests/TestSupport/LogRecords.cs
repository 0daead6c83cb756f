using Microsoft.Extensions.Logging.Testing;

namespace TrainingApis.Observability.Tests.TestSupport;

/// <summary>Reads the records a <see cref="FakeLogCollector"/> kept: structured values as logged, and every text a log sink gets.</summary>
internal static class LogRecords
{
    /// <summary>The structured value <paramref name="name"/> as FakeLogger keeps it (invariant text), or null.</summary>
    public static string? Value(this FakeLogRecord record, string name) => record.GetStructuredStateValue(name);

    /// <summary>Everything of the record that reaches a log sink, as text (the structured values unless <paramref name="includeValues"/> is false).</summary>
    public static IEnumerable<string> Texts(this FakeLogRecord record, bool includeValues = true)
    {
        yield return record.Category ?? string.Empty;
        yield return record.Message;
        foreach (var (key, value) in Values(record))
        {
            yield return key;
            if (includeValues)
            {
                yield return value ?? string.Empty;
            }
        }

        if (record.Exception is not null)
        {
            yield return record.Exception.ToString();
        }
    }

    /// <summary>The scopes the records were logged in, each as text.</summary>
    public static IReadOnlyList<string> Scopes(this FakeLogCollector logs) =>
    [
        .. logs.GetSnapshot().SelectMany(r => r.Scopes).Distinct().Select(scope => scope is IEnumerable<KeyValuePair<string, object?>> pairs
            ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}"))
            : scope?.ToString() ?? string.Empty),
    ];

    private static IReadOnlyList<KeyValuePair<string, string?>> Values(FakeLogRecord record) => record.StructuredState ?? [];
}
