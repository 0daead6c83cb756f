using Symtrain.Client;

namespace TrainingApis.Cli.Export;

/// <summary>The reports by the API's route names (<c>syms-result</c>, <c>training-plan-result</c>, …).</summary>
internal static class ReportNames
{
    public const string All = "all";

    public static readonly IReadOnlyList<SymtrainReport> Reports = Enum.GetValues<SymtrainReport>();

    /// <summary>Every accepted value of <c>--report</c>.</summary>
    public static readonly string[] Choices = [.. Reports.Select(Route), All];

    /// <summary>The route name: <c>TrainingPlanResult</c> → <c>training-plan-result</c>.</summary>
    public static string Route(SymtrainReport report) =>
        string.Concat(report.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    /// <summary>The reports a list of <c>--report</c> values selects, in the API's order, each once.</summary>
    public static IReadOnlyList<SymtrainReport> Select(IEnumerable<string> names)
    {
        var set = names.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return set.Contains(All) ? Reports : [.. Reports.Where(r => set.Contains(Route(r)))];
    }
}
