using System.Text.RegularExpressions;

namespace TrainingApis.Docs.Tests;

/// <summary>A fenced code block of a markdown file: its language, 1-based number among the file's C# blocks, and first line.</summary>
public sealed record CodeBlock(string File, int Number, int Line, string Language, IReadOnlyList<string> Lines)
{
    public override string ToString() => $"{File} C# block {Number} (line {Line})";
}

/// <summary>Reads fenced code blocks (```lang … ```) from markdown.</summary>
public static partial class MarkdownCode
{
    /// <summary>
    /// The C# blocks, except those the page itself marks, on the line above the fence, with
    /// <c>&lt;!-- not compiled: reason --&gt;</c> (code for a library this repository cannot restore).
    /// </summary>
    public static IReadOnlyList<CodeBlock> CSharpBlocks(string file, string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        return AllBlocks(file, markdown)
            .Where(b => b.Language is "csharp" or "cs" or "c#")
            .Where(b => b.Line < 2 || !lines[b.Line - 2].TrimStart().StartsWith("<!-- not compiled:", StringComparison.Ordinal))
            .Select((b, i) => b with { Number = i + 1 })
            .ToList();
    }

    public static IReadOnlyList<CodeBlock> AllBlocks(string file, string markdown)
    {
        var blocks = new List<CodeBlock>();
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var open = Fence().Match(lines[i]);
            if (!open.Success)
            {
                continue;
            }

            var body = new List<string>();
            var j = i + 1;
            while (j < lines.Length && !lines[j].TrimStart().StartsWith(open.Groups["fence"].Value, StringComparison.Ordinal))
            {
                body.Add(lines[j]);
                j++;
            }

            blocks.Add(new CodeBlock(file, blocks.Count + 1, i + 1, open.Groups["lang"].Value.Trim().ToLowerInvariant(), body));
            i = j;
        }

        return blocks;
    }

    [GeneratedRegex(@"^\s*(?<fence>```+)(?<lang>[^`]*)$")]
    private static partial Regex Fence();
}
