namespace TrainingApis.Docs.Tests;

/// <summary>
/// Every ```csharp block of README.md, docs/*.md and src/*/README.md has a twin #region in samples/DocSnippets with
/// the same code (indentation and blank lines aside), and that project builds with warnings as errors — so the
/// code a reader copies compiles.
/// </summary>
public sealed class DocsCodeCompilesTests
{
    private static readonly Lazy<IReadOnlyList<SnippetRegion>> Regions = new(() =>
        RepositoryFiles.SnippetSources().SelectMany(file => SnippetRegions.Parse(file, RepositoryFiles.Read(file))).ToList());

    public static TheoryData<string> MarkdownFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in RepositoryFiles.MarkdownWithCode())
        {
            data.Add(file);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MarkdownFiles))]
    public void Every_csharp_block_has_a_compiled_twin(string file)
    {
        var blocks = MarkdownCode.CSharpBlocks(file, RepositoryFiles.Read(file));

        var problems = DocsTwins.FindProblems(blocks, Regions.Value);

        problems.Should().BeEmpty("every C# block of {0} must equal a #region of samples/DocSnippets:\n{1}", file, string.Join("\n", problems));
    }

    [Fact]
    public void The_docs_and_the_snippets_are_where_the_test_looks()
    {
        var files = RepositoryFiles.MarkdownWithCode();
        var blockCount = files.Sum(file => MarkdownCode.CSharpBlocks(file, RepositoryFiles.Read(file))
            .Count(block => CodeText.Normalize(CodeText.SplitUsings(block.Lines).Code).Length > 0)); // a block of usings only has no twin

        files.Should().Contain(["README.md", "docs/getting-started.md", "docs/configuration.md", "docs/errors.md", "docs/rate-limits.md", "docs/sandbox.md", "docs/symtrain.md", "docs/senar.md"]);
        blockCount.Should().BeGreaterThan(40);
        Regions.Value.Should().HaveCountGreaterThanOrEqualTo(blockCount);
        Regions.Value.Select(r => r.Name).Should().OnlyHaveUniqueItems("a region name says which docs block it is");
    }

    [Fact]
    public void Readme_starts_with_the_quickstart_then_the_tests_each_in_its_own_block()
    {
        var readme = RepositoryFiles.Read("README.md");
        var afterPrerequisites = readme[readme.IndexOf("## Prerequisites", StringComparison.Ordinal)..];

        var blocks = MarkdownCode.AllBlocks("README.md", afterPrerequisites);

        blocks.Take(2).Select(b => CodeText.Normalize(b.Lines)).Should().Equal("dotnet run --project samples/Quickstart", "dotnet test");
    }
}
