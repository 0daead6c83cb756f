namespace TrainingApis.Docs.Tests;

/// <summary>Finds the repository root (the folder holding TrainingApis.sln) from the test's output folder.</summary>
public static class RepositoryFiles
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    /// <summary>README.md, docs/*.md and the packages' src/*/README.md, as paths relative to the root with '/'.</summary>
    public static IReadOnlyList<string> MarkdownWithCode()
    {
        var files = new List<string> { "README.md" };
        files.AddRange(Directory.GetFiles(Path.Combine(Root, "docs"), "*.md").Select(Relative).Order(StringComparer.Ordinal));
        files.AddRange(Directory.GetDirectories(Path.Combine(Root, "src"))
            .Select(dir => Path.Combine(dir, "README.md"))
            .Where(File.Exists)
            .Select(Relative)
            .Order(StringComparer.Ordinal));
        return files;
    }

    /// <summary>
    /// Every C# source of samples/DocSnippets, and the examples the integration tests run
    /// (tests/TrainingApis.IntegrationTests/Examples), build output excluded.
    /// </summary>
    public static IReadOnlyList<string> SnippetSources()
    {
        string[] folders = [Path.Combine(Root, "samples", "DocSnippets"), Path.Combine(Root, "tests", "TrainingApis.IntegrationTests", "Examples")];
        return folders
            .SelectMany(folder => Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
                .Where(path => !IsBuildOutput(Path.GetRelativePath(folder, path))))
            .Select(Relative)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));

    private static string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    private static bool IsBuildOutput(string relative)
    {
        var first = relative.Replace('\\', '/').Split('/')[0];
        return first is "bin" or "obj";
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TrainingApis.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No TrainingApis.sln above {AppContext.BaseDirectory}.");
    }
}
