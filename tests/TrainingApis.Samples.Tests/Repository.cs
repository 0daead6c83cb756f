namespace TrainingApis.Samples.Tests;

/// <summary>The repository root (the folder holding TrainingApis.sln) and the configuration this test was built in.</summary>
public static class Repository
{
    private static readonly Lazy<string> LazyRoot = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "TrainingApis.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("TrainingApis.sln not found above " + AppContext.BaseDirectory);
    });

    public static string Root => LazyRoot.Value;

    /// <summary><c>Debug</c> or <c>Release</c>: the folder above the target framework's in this test's output path.</summary>
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
}
