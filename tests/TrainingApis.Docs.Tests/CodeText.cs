using System.Text.RegularExpressions;

namespace TrainingApis.Docs.Tests;

/// <summary>
/// Compares code the way a reader does: indentation, blank lines and runs of spaces do not matter. A docs block may
/// start with using directives; they are compared separately, against the directives of the snippet's file.
/// </summary>
public static partial class CodeText
{
    /// <summary>The implicit global usings of an SDK-style project (ImplicitUsings is on).</summary>
    public static readonly IReadOnlySet<string> ImplicitNamespaces = new HashSet<string>(StringComparer.Ordinal)
    {
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks",
    };

    public static string Normalize(IEnumerable<string> lines) =>
        string.Join("\n", lines.Select(NormalizeLine).Where(line => line.Length > 0));

    public static string NormalizeLine(string line) => Spaces().Replace(line.Trim(), " ");

    public static bool IsUsingDirective(string line) => UsingDirective().IsMatch(line);

    /// <summary>The namespace of a plain using directive (<c>using A.B;</c>), or null.</summary>
    public static string? UsingNamespace(string line) =>
        UsingDirective().Match(line) is { Success: true } match ? match.Groups["ns"].Value : null;

    /// <summary>Splits a docs block into its leading using directives and the code after them.</summary>
    public static (IReadOnlyList<string> Usings, IReadOnlyList<string> Code) SplitUsings(IReadOnlyList<string> lines)
    {
        var usings = lines.Where(IsUsingDirective).Select(NormalizeLine).ToList();
        var code = lines.Where(line => !IsUsingDirective(line)).ToList();
        return (usings, code);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    // using A.B;  using static A.B;  using X = A.B;  — not "using var x = …" nor "using (…)".
    [GeneratedRegex(@"^\s*using\s+(?:static\s+)?(?:\w+\s*=\s*)?(?<ns>[\w.]+(?:<[\w.,\s]+>)?)\s*;\s*$")]
    private static partial Regex UsingDirective();
}
