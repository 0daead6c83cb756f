namespace TrainingApis.Docs.Tests;

/// <summary>
/// Each page's C# compiles in a fresh console project with only the packages and the using directives the page
/// names (see <see cref="PageContext"/>): a reader who follows one page never meets a missing package or using.
/// </summary>
public sealed class DocsPagesCompileTests
{
    private static readonly Lazy<CompileReferences> References = new(() => CompileReferences.Load(Path.Combine(RepositoryFiles.Root, "samples", "DocSnippets")));

    private static readonly Lazy<IReadOnlyDictionary<string, string>> Sources = new(() =>
        RepositoryFiles.SnippetSources().ToDictionary(file => file, RepositoryFiles.Read, StringComparer.Ordinal));

    private static readonly Lazy<IReadOnlyList<SnippetRegion>> Regions = new(() =>
        Sources.Value.SelectMany(source => SnippetRegions.Parse(source.Key, source.Value)).ToList());

    public static TheoryData<string> PagesWithCode()
    {
        var data = new TheoryData<string>();
        foreach (var file in RepositoryFiles.MarkdownWithCode().Where(f => MarkdownCode.CSharpBlocks(f, RepositoryFiles.Read(f)).Count > 0))
        {
            data.Add(file);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PagesWithCode))]
    public void Every_page_with_csharp_names_its_packages(string file)
    {
        var page = PageContext.Parse(file, RepositoryFiles.Read(file));

        page.Packages.Should().NotBeEmpty("{0} shows C#: it names the packages it needs, with `dotnet add package <id>` or a line `Packages: `A`, `B``", file);
    }

    [Theory]
    [MemberData(nameof(PagesWithCode))]
    public void Every_csharp_block_compiles_with_only_the_packages_and_usings_its_page_names(string file)
    {
        var markdown = RepositoryFiles.Read(file);

        var problems = PageCompiler.FindProblems(PageContext.Parse(file, markdown), MarkdownCode.CSharpBlocks(file, markdown), Regions.Value, Sources.Value, References.Value);

        problems.Should().BeEmpty("a reader of {0} starts from `dotnet new console` with what the page names:\n{1}", file, string.Join("\n", problems));
    }

    [Fact]
    public void A_page_names_its_packages_with_dotnet_add_package_or_a_packages_line_and_its_usings_in_its_blocks()
    {
        var page = PageContext.Parse("docs/x.md", """
            Packages: `Symtrain.Client`, `Microsoft.Extensions.Hosting`

            ```sh
            dotnet add package Senar.Client --version 1.0.0 --source ./packages
            ```

            ```csharp
            using Symtrain.Client;
            using var client = new SymtrainClient(options);
            ```

            ```csharp
            using static System.Math;
            using Symtrain.Client;
            ```
            """);

        page.Packages.Should().BeEquivalentTo("Senar.Client", "Symtrain.Client", "Microsoft.Extensions.Hosting");
        page.Usings.Should().Equal("using Symtrain.Client;", "using static System.Math;");
    }

    [Fact]
    public void A_block_that_needs_a_using_or_a_package_the_page_never_names_fails_naming_the_block()
    {
        const string Snippet = """
            using Microsoft.Extensions.Hosting;

            namespace DocSnippets;

            internal static class Example
            {
                public static void Run(string[] args)
                {
                    #region example-host
                    var builder = Host.CreateApplicationBuilder(args);
                    using var host = builder.Build();
                    #endregion
                }
            }
            """;
        const string Block = """
            ```csharp
            var builder = Host.CreateApplicationBuilder(args);
            using var host = builder.Build();
            ```
            """;
        var sources = new Dictionary<string, string> { ["samples/DocSnippets/Example.cs"] = Snippet };
        var regions = SnippetRegions.Parse("samples/DocSnippets/Example.cs", Snippet);

        IReadOnlyList<string> Check(string markdown) =>
            PageCompiler.FindProblems(PageContext.Parse("docs/x.md", markdown), MarkdownCode.CSharpBlocks("docs/x.md", markdown), regions, sources, References.Value);

        Check("Packages: `Symtrain.Client`\n\n" + Block).Should().ContainSingle()
            .Which.Should().StartWith("docs/x.md C# block 1 (line 3): CS0103").And.Contain("'Host'").And.Contain("packages [Symtrain.Client]");
        Check("Packages: `Symtrain.Client`\n\n```csharp\nusing Microsoft.Extensions.Hosting;\n```\n\n" + Block).Should().NotBeEmpty("the using alone does not bring the package");
        Check("Packages: `Microsoft.Extensions.Hosting`\n\n```csharp\nusing Microsoft.Extensions.Hosting;\n```\n\n" + Block).Should().BeEmpty();
        Check("Packages: `No.Such.Package`\n\n" + Block).Should().Contain(p => p.Contains("names the package No.Such.Package"));
    }
}
