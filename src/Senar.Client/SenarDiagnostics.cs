using TrainingApis.Core.Diagnostics;

namespace Senar.Client;

/// <summary>The package's <see cref="System.Diagnostics.ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/>, both named <c>Senar.Client</c>.</summary>
internal static class SenarDiagnostics
{
    public const string Name = "Senar.Client";

    public const string ServiceName = "Senar";

    public static ApiDiagnostics Instance { get; } = new(Name, typeof(SenarDiagnostics).Assembly.GetName().Version?.ToString());
}
