using TrainingApis.Core.Diagnostics;

namespace Symtrain.Client.Internal;

/// <summary>The activity source and meter of the package, named <c>Symtrain.Client</c>.</summary>
internal static class SymtrainDiagnostics
{
    public const string Name = "Symtrain.Client";

    public static ApiDiagnostics Instance { get; } =
        new(Name, typeof(SymtrainDiagnostics).Assembly.GetName().Version?.ToString());
}
