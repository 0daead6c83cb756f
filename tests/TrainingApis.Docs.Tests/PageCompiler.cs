using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace TrainingApis.Docs.Tests;

/// <summary>
/// Compiles the C# of one page as a reader gets it: the twin regions of its blocks (with the code around them in
/// samples/DocSnippets, which stands for the variables the page's earlier blocks declared), with the snippet files' own
/// using directives removed and only the page's usings, the implicit usings of a console project and the packages the
/// page names. Errors inside the page's regions, or in the code around them, are the page's.
/// </summary>
public static class PageCompiler
{
    private const string SnippetFolder = "samples/DocSnippets/";

    /// <summary>
    /// One line per compile error, naming the page's block, the error and the page's packages and usings; empty when
    /// every block compiles with only what the page names.
    /// </summary>
    /// <param name="page">The page's packages and usings.</param>
    /// <param name="blocks">The page's C# blocks.</param>
    /// <param name="regions">Every snippet region (their file names say which project holds them).</param>
    /// <param name="sources">The text of each snippet file, by path relative to the repository root.</param>
    /// <param name="references">Resolves the page's packages to assemblies.</param>
    public static IReadOnlyList<string> FindProblems(
        PageContext page, IReadOnlyList<CodeBlock> blocks, IReadOnlyList<SnippetRegion> regions, IReadOnlyDictionary<string, string> sources, CompileReferences references)
    {
        var problems = new List<string>();
        var mine = new Dictionary<string, CodeBlock>(StringComparer.Ordinal); // region name -> block
        var usings = new List<string>(); // of the blocks compiled here, and of blocks that hold only usings
        foreach (var block in blocks)
        {
            var (blockUsings, code) = CodeText.SplitUsings(block.Lines);
            var normalized = CodeText.Normalize(code);
            var twins = regions.Where(r => r.NormalizedCode == normalized && r.File.StartsWith(SnippetFolder, StringComparison.Ordinal)).ToList();
            foreach (var twin in twins)
            {
                mine.TryAdd(twin.Name, block);
            }

            if (twins.Count > 0 || normalized.Length == 0)
            {
                usings.AddRange(blockUsings.Where(u => !usings.Contains(u)));
            }
        }

        var pageFiles = regions.Where(r => mine.ContainsKey(r.Name)).Select(r => r.File).ToHashSet(StringComparer.Ordinal);
        if (pageFiles.Count == 0)
        {
            return problems;
        }

        var metadata = references.For(page.Packages, out var unknown);
        problems.AddRange(unknown.Select(id => $"{page.File}: names the package {id}, which no project of this repository restores."));

        var trees = new List<SyntaxTree>();
        foreach (var (path, text) in sources.Where(s => s.Key.StartsWith(SnippetFolder, StringComparison.Ordinal)))
        {
            var tree = CSharpSyntaxTree.ParseText(text, ParseOptions, path);
            trees.Add(pageFiles.Contains(path) ? WithoutUsings(tree) : tree);
        }

        var implicitUsings = CodeText.ImplicitNamespaces.Select(ns => $"global using {ns};");
        var pageUsings = usings.Select(u => "global " + u);
        trees.Add(CSharpSyntaxTree.ParseText(string.Join("\n", implicitUsings.Concat(pageUsings)), ParseOptions, "PageUsings.cs"));

        Compilation compilation = CSharpCompilation.Create(
            "DocPage",
            trees,
            metadata,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        CSharpGeneratorDriver.Create(Generators.Value).RunGeneratorsAndUpdateCompilation(compilation, out compilation, out _);
        foreach (var error in compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error))
        {
            if (error.Location.SourceTree is not { } tree || !pageFiles.Contains(tree.FilePath))
            {
                if (error.Location.SourceTree?.FilePath == "PageUsings.cs")
                {
                    problems.Add($"{page.File}: its using directives do not compile with its packages ({Describe(page)}): {error.Id} {error.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
                }

                continue;
            }

            if (Owner(tree, error.Location.SourceSpan.Start, mine) is { } owner)
            {
                var line = error.Location.GetLineSpan().StartLinePosition.Line + 1;
                problems.Add($"{owner.Block}: {error.Id} {error.GetMessage(System.Globalization.CultureInfo.InvariantCulture)} "
                    + $"(twin {tree.FilePath}#{owner.Region} line {line}; compiled with only the page's {Describe(page)})");
            }
        }

        return problems.Distinct(StringComparer.Ordinal).ToList();
    }

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ISourceGenerator[]> Generators = new(() =>
        [.. CompileReferences.SourceGenerators().SelectMany(path => new AnalyzerFileReference(path, new AnalyzerLoader()).GetGenerators(LanguageNames.CSharp))]);

    private static string Describe(PageContext page) =>
        $"packages [{string.Join(", ", page.Packages)}] and usings [{string.Join(" ", page.Usings)}]";

    private static SyntaxTree WithoutUsings(SyntaxTree tree)
    {
        var root = tree.GetCompilationUnitRoot();
        var usings = root.DescendantNodes().OfType<UsingDirectiveSyntax>().ToList();
        return tree.WithRootAndOptions(root.RemoveNodes(usings, SyntaxRemoveOptions.KeepDirectives)!, tree.Options);
    }

    /// <summary>
    /// The page's region an error belongs to: the region around it, or the region inside the member around it (the
    /// code that gives the region its variables). Null for code of other pages sharing the file.
    /// </summary>
    private static (string Region, CodeBlock Block)? Owner(SyntaxTree tree, int position, IReadOnlyDictionary<string, CodeBlock> mine)
    {
        var root = tree.GetCompilationUnitRoot();
        var regions = RegionSpans(root).ToList();
        foreach (var (name, _, _) in regions.Where(r => r.Start <= position && position <= r.End).OrderBy(r => r.End - r.Start))
        {
            return mine.TryGetValue(name, out var block) ? (name, block) : null;
        }

        // Outside any region: the innermost member around it that holds a region says whose code it is.
        for (var node = root.FindToken(position).Parent; node is not null; node = node.Parent)
        {
            if (node is MemberDeclarationSyntax member && regions.Where(r => member.FullSpan.Contains(r.Start)).ToList() is { Count: > 0 } inside)
            {
                return inside.FirstOrDefault(r => mine.ContainsKey(r.Name)) is { Name: { } name } ? (name, mine[name]) : null;
            }
        }

        return null;
    }

    private static IEnumerable<(string Name, int Start, int End)> RegionSpans(CompilationUnitSyntax root)
    {
        var open = new Stack<(string Name, int Start)>();
        foreach (var directive in root.DescendantTrivia(descendIntoTrivia: true).Select(t => t.GetStructure()).OfType<DirectiveTriviaSyntax>())
        {
            if (directive is RegionDirectiveTriviaSyntax region)
            {
                open.Push((region.EndOfDirectiveToken.LeadingTrivia.ToString().Trim(), region.SpanStart));
            }
            else if (directive is EndRegionDirectiveTriviaSyntax && open.TryPop(out var start))
            {
                yield return (start.Name, start.Start, directive.Span.End);
            }
        }
    }

    /// <summary>Loads a generator and its dependencies from their folder, into the test's own context.</summary>
    private sealed class AnalyzerLoader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public System.Reflection.Assembly LoadFromPath(string fullPath) => System.Reflection.Assembly.LoadFrom(fullPath);
    }
}
