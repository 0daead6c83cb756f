using System.Text.RegularExpressions;

namespace TrainingApis.Docs.Tests;

/// <summary>
/// What a page gives a reader who starts from a fresh console project (<c>dotnet new console</c>: implicit usings and
/// nullable on): the packages it names and the using directives it shows. Its C# must compile with those and nothing
/// else.
/// </summary>
/// <remarks>
/// A page names a package with a <c>dotnet add package &lt;id&gt;</c> line in any of its code blocks, or with a text line
/// <c>Packages: `A`, `B`</c>. Its usings are every using directive of its C# blocks: a reader copies them once.
/// </remarks>
public sealed partial record PageContext(string File, IReadOnlyList<string> Packages, IReadOnlyList<string> Usings)
{
    public static PageContext Parse(string file, string markdown)
    {
        // A package's own README (src/<id>/README.md, shown on NuGet) names its package.
        var packages = new List<string>();
        if (file.StartsWith("src/", StringComparison.Ordinal) && file.EndsWith("/README.md", StringComparison.Ordinal))
        {
            packages.Add(file.Split('/')[1]);
        }

        foreach (var block in MarkdownCode.AllBlocks(file, markdown))
        {
            packages.AddRange(block.Lines.Select(line => AddPackage().Match(line)).Where(m => m.Success).Select(m => m.Groups["id"].Value));
        }

        foreach (var line in markdown.Replace("\r\n", "\n").Split('\n').Where(line => line.StartsWith("Packages:", StringComparison.Ordinal)))
        {
            packages.AddRange(Quoted().Matches(line).Select(m => m.Groups["id"].Value));
        }

        var usings = MarkdownCode.CSharpBlocks(file, markdown)
            .SelectMany(block => block.Lines.Where(CodeText.IsUsingDirective).Select(CodeText.NormalizeLine))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return new PageContext(file, packages.Distinct(StringComparer.OrdinalIgnoreCase).ToList(), usings);
    }

    [GeneratedRegex(@"dotnet add package (?<id>[A-Za-z0-9_.\-]+)")]
    private static partial Regex AddPackage();

    [GeneratedRegex(@"`(?<id>[A-Za-z0-9_.\-]+)`")]
    private static partial Regex Quoted();
}
