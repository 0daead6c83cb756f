using Microsoft.Extensions.Logging.Testing;

namespace Senar.Client.Tests.TestSupport;

/// <summary>The formatted messages a <see cref="FakeLogCollector"/> kept, each with its exception: to check that no secret is logged.</summary>
internal static class LogMessages
{
    public static IReadOnlyList<string> Messages(this FakeLogCollector logs) =>
        [.. logs.GetSnapshot().Select(r => r.Message + (r.Exception is null ? string.Empty : " " + r.Exception))];
}
