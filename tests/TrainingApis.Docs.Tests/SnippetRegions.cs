using System.Text.RegularExpressions;

namespace TrainingApis.Docs.Tests;

/// <summary>A <c>#region name</c> … <c>#endregion</c> of a snippet source, and the using directives of its file.</summary>
public sealed record SnippetRegion(string File, string Name, int Line, string NormalizedCode, IReadOnlySet<string> FileUsings)
{
    public override string ToString() => $"{File}#{Name} (line {Line})";
}

public static partial class SnippetRegions
{
    public static IReadOnlyList<SnippetRegion> Parse(string file, string source)
    {
        var lines = source.Replace("\r\n", "\n").Split('\n');
        var usings = lines.Where(CodeText.IsUsingDirective).Select(CodeText.NormalizeLine).ToHashSet(StringComparer.Ordinal);
        var regions = new List<SnippetRegion>();
        var open = new Stack<(string Name, int Line, List<string> Body)>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (RegionStart().Match(lines[i]) is { Success: true } start)
            {
                open.Push((start.Groups["name"].Value.Trim(), i + 1, []));
                continue;
            }

            if (RegionEnd().IsMatch(lines[i]))
            {
                if (open.Count == 0)
                {
                    throw new FormatException($"{file} line {i + 1}: #endregion without #region.");
                }

                var (name, line, body) = open.Pop();
                regions.Add(new SnippetRegion(file, name, line, CodeText.Normalize(body), usings));
                continue;
            }

            foreach (var region in open)
            {
                region.Body.Add(lines[i]); // an outer region holds the inner one's code too
            }
        }

        if (open.Count > 0)
        {
            throw new FormatException($"{file} line {open.Peek().Line}: #region {open.Peek().Name} is not closed.");
        }

        return regions;
    }

    [GeneratedRegex(@"^\s*#region\b(?<name>.*)$")]
    private static partial Regex RegionStart();

    [GeneratedRegex(@"^\s*#endregion\b")]
    private static partial Regex RegionEnd();
}
