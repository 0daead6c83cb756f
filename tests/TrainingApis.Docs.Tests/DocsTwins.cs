namespace TrainingApis.Docs.Tests;

/// <summary>Matches each docs C# block with the compiled region that has the same code.</summary>
public static class DocsTwins
{
    /// <summary>One line per block without a compiled twin, naming the file, the block number and the closest region.</summary>
    public static IReadOnlyList<string> FindProblems(IEnumerable<CodeBlock> blocks, IReadOnlyList<SnippetRegion> regions)
    {
        var problems = new List<string>();
        foreach (var block in blocks)
        {
            var (usings, code) = CodeText.SplitUsings(block.Lines);
            var normalized = CodeText.Normalize(code);
            if (normalized.Length == 0)
            {
                continue; // Only using directives: the page's usings, compiled with its blocks (PageCompiler).
            }

            var twins = regions.Where(r => r.NormalizedCode == normalized).ToList();
            if (twins.Count == 0)
            {
                problems.Add($"{block}: no #region in samples/DocSnippets has this code{Closest(normalized, regions)}");
                continue;
            }

            if (!twins.Any(twin => MissingUsings(usings, twin).Count == 0))
            {
                problems.Add($"{block}: its twin {twins[0]} is compiled without the block's {string.Join(" ", MissingUsings(usings, twins[0]))}");
            }
        }

        return problems;
    }

    private static List<string> MissingUsings(IReadOnlyList<string> usings, SnippetRegion twin) =>
        usings.Where(u => !twin.FileUsings.Contains(u) && !CodeText.ImplicitNamespaces.Contains(CodeText.UsingNamespace(u) ?? string.Empty)).ToList();

    /// <summary>The region sharing the most leading lines with the block, and the first line where they differ.</summary>
    private static string Closest(string normalized, IReadOnlyList<SnippetRegion> regions)
    {
        var blockLines = normalized.Split('\n');
        var best = regions
            .Select(region => (Region: region, Lines: region.NormalizedCode.Split('\n')))
            .Select(r => (r.Region, r.Lines, Common: blockLines.Zip(r.Lines).TakeWhile(pair => pair.First == pair.Second).Count()))
            .OrderByDescending(r => r.Common)
            .FirstOrDefault();
        if (best.Region is null || best.Common == 0)
        {
            return " (add one: see samples/DocSnippets).";
        }

        var docLine = best.Common < blockLines.Length ? blockLines[best.Common] : "(end of block)";
        var snippetLine = best.Common < best.Lines.Length ? best.Lines[best.Common] : "(end of region)";
        return $"; closest is {best.Region}, which differs at code line {best.Common + 1}: docs `{docLine}` vs snippet `{snippetLine}`.";
    }
}
