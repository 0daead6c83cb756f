namespace TrainingApis.Docs.Tests;

/// <summary>The matcher itself: what counts as the same code, and what a failure says.</summary>
public sealed class DocsTwinsTests
{
    private const string Snippets = """
        using Symtrain.Client;

        namespace DocSnippets;

        internal static class Example
        {
            public static async Task RunAsync(ISymtrainClient symtrain)
            {
                #region outer
                #region inner
                var page = await symtrain.Access.GetLibraryPageAsync(query);
                    Console.WriteLine(page.Total);
                #endregion

                Console.WriteLine("after");
                #endregion
            }
        }
        """;

    private static IReadOnlyList<string> Check(string markdown) =>
        DocsTwins.FindProblems(MarkdownCode.CSharpBlocks("docs/x.md", markdown), SnippetRegions.Parse("samples/DocSnippets/Example.cs", Snippets));

    [Fact]
    public void A_block_matches_whatever_its_indentation_blank_lines_and_spacing()
    {
        var problems = Check("""
            Text.

            ```csharp
            var page  =  await symtrain.Access.GetLibraryPageAsync(query);

            Console.WriteLine(page.Total);
            ```
            """);

        problems.Should().BeEmpty();
    }

    [Fact]
    public void An_outer_region_holds_the_inner_code_too()
    {
        var regions = SnippetRegions.Parse("Example.cs", Snippets);

        regions.Select(r => r.Name).Should().Equal("inner", "outer");
        regions[1].NormalizedCode.Should().Be("var page = await symtrain.Access.GetLibraryPageAsync(query);\nConsole.WriteLine(page.Total);\nConsole.WriteLine(\"after\");");
    }

    [Fact]
    public void A_changed_line_fails_naming_the_file_the_block_number_and_the_difference()
    {
        var problems = Check("""
            ```sh
            dotnet test
            ```

            ```csharp
            var page = await symtrain.Access.GetLibraryPageAsync(query);
            Console.WriteLine(page.Total);
            ```

            ```csharp
            var page = await symtrain.Access.GetLibraryPageAsync(query);
            Console.WriteLine(page.Count);
            ```
            """);

        problems.Should().ContainSingle().Which.Should()
            .StartWith("docs/x.md C# block 2 (line 10): no #region")
            .And.Contain("closest is samples/DocSnippets/Example.cs#inner")
            .And.Contain("code line 2: docs `Console.WriteLine(page.Count);` vs snippet `Console.WriteLine(page.Total);`");
    }

    [Fact]
    public void Using_directives_of_a_block_must_be_those_of_the_twin_file()
    {
        var problems = Check("""
            ```csharp
            using Symtrain.Client;
            using System.Linq;
            using Senar.Client;

            var page = await symtrain.Access.GetLibraryPageAsync(query);
            Console.WriteLine(page.Total);
            ```
            """);

        problems.Should().ContainSingle().Which.Should().EndWith("is compiled without the block's using Senar.Client;");
    }

    [Theory]
    [InlineData("using Senar.Client;", true)]
    [InlineData("using static System.Math;", true)]
    [InlineData("using Json = System.Text.Json;", true)]
    [InlineData("using var client = new SenarClient(options);", false)]
    [InlineData("using (var scope = provider.CreateScope())", false)]
    public void Using_directives_are_told_from_using_statements(string line, bool isDirective)
    {
        CodeText.IsUsingDirective(line).Should().Be(isDirective);
    }
}
