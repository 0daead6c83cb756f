using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.CodeAnalysis;

namespace TrainingApis.Docs.Tests;

/// <summary>
/// The assemblies a fresh net10.0 console project compiles against once it references some packages: the
/// Microsoft.NETCore.App reference pack, each package and its dependencies (read from the restore of the project that
/// holds the snippets, samples/DocSnippets, so the versions are this repository's), and the shared frameworks those
/// packages bring (TrainingApis.Sandbox brings ASP.NET Core).
/// </summary>
public sealed class CompileReferences
{
    private const string Framework = "net10.0";
    private const string AspNetCore = "Microsoft.AspNetCore.App";
    private readonly Dictionary<string, Library> _libraries;
    private readonly string _projectOutput;

    private CompileReferences(Dictionary<string, Library> libraries, string projectOutput)
    {
        _libraries = libraries;
        _projectOutput = projectOutput;
    }

    /// <summary>Reads <c>obj/project.assets.json</c> of <paramref name="projectFolder"/> (built: its project references are read from its bin folder).</summary>
    public static CompileReferences Load(string projectFolder)
    {
        var assetsPath = Path.Combine(projectFolder, "obj", "project.assets.json");
        using var assets = JsonDocument.Parse(File.ReadAllText(assetsPath));
        var root = assets.RootElement;
        var packageFolder = root.GetProperty("packageFolders").EnumerateObject().First().Name;
        var libraries = new Dictionary<string, Library>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in root.GetProperty("targets").GetProperty(Framework).EnumerateObject())
        {
            var id = entry.Name[..entry.Name.IndexOf('/', StringComparison.Ordinal)];
            var value = entry.Value;
            var isProject = value.GetProperty("type").GetString() == "project";
            var folder = isProject ? null : Path.Combine(packageFolder, root.GetProperty("libraries").GetProperty(entry.Name).GetProperty("path").GetString()!);
            var compile = value.TryGetProperty("compile", out var c)
                ? c.EnumerateObject().Select(f => f.Name).Where(f => !f.EndsWith("/_._", StringComparison.Ordinal)).ToList()
                : [];
            libraries[id] = new Library(
                id,
                isProject,
                folder,
                compile,
                value.TryGetProperty("dependencies", out var d) ? d.EnumerateObject().Select(p => p.Name).ToList() : [],
                value.TryGetProperty("frameworkReferences", out var f) ? f.EnumerateArray().Select(x => x.GetString()!).ToList() : []);
        }

        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        return new CompileReferences(libraries, Path.Combine(projectFolder, "bin", configuration, Framework));
    }

    /// <summary>The references for <paramref name="packages"/>; the ids of packages this repository does not restore are in <paramref name="unknown"/>.</summary>
    public IReadOnlyList<MetadataReference> For(IEnumerable<string> packages, out IReadOnlyList<string> unknown)
    {
        var missing = new List<string>();
        var closure = new Dictionary<string, Library>(StringComparer.OrdinalIgnoreCase);
        var pending = new Stack<string>(packages);
        while (pending.TryPop(out var id))
        {
            if (closure.ContainsKey(id))
            {
                continue;
            }

            if (!_libraries.TryGetValue(id, out var library))
            {
                missing.Add(id);
                continue;
            }

            closure[id] = library;
            foreach (var dependency in library.Dependencies)
            {
                pending.Push(dependency);
            }
        }

        // A shared framework is named like a package (an ASP.NET Core app: `Microsoft.AspNetCore.App`).
        var frameworks = missing.Where(id => id == AspNetCore).ToList();
        missing.RemoveAll(frameworks.Contains);
        unknown = missing;
        var files = new List<string>();
        foreach (var framework in closure.Values.SelectMany(l => l.FrameworkReferences).Concat(frameworks).Prepend("Microsoft.NETCore.App").Distinct(StringComparer.Ordinal))
        {
            files.AddRange(Directory.GetFiles(ReferencePack(framework), "*.dll"));
        }

        foreach (var library in closure.Values)
        {
            files.AddRange(library.IsProject
                ? [Path.Combine(_projectOutput, library.Id + ".dll")]
                : library.Compile.Select(file => Path.Combine(library.Folder!, file)));
        }

        // A package's assembly wins over the shared framework's of the same name, as in a real build.
        return files
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(group => group.Last())
            .Select(file => (MetadataReference)MetadataReference.CreateFromFile(file))
            .ToList();
    }

    /// <summary>The source generators of the .NET reference pack (System.Text.Json's among them), as every build runs them.</summary>
    public static IReadOnlyList<string> SourceGenerators()
    {
        var analyzers = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(ReferencePack("Microsoft.NETCore.App"))!)!, "analyzers", "dotnet", "cs");
        return Directory.GetFiles(analyzers, "System.Text.Json.SourceGeneration.dll");
    }

    /// <summary>The newest <c>packs/&lt;framework&gt;.Ref/&lt;version&gt;/ref/net10.0</c> of the running .NET.</summary>
    private static string ReferencePack(string framework)
    {
        var dotnetRoot = new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory()).Parent!.Parent!.Parent!.FullName;
        var packs = Path.Combine(dotnetRoot, "packs", framework + ".Ref");
        return Directory.GetDirectories(packs)
            .Select(version => Path.Combine(version, "ref", Framework))
            .Where(Directory.Exists)
            .OrderBy(path => Version.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(path))!).Split('-')[0], out var v) ? v : new Version())
            .LastOrDefault() ?? throw new DirectoryNotFoundException($"No {framework} reference pack for {Framework} under {packs}.");
    }

    private sealed record Library(string Id, bool IsProject, string? Folder, IReadOnlyList<string> Compile, IReadOnlyList<string> Dependencies, IReadOnlyList<string> FrameworkReferences);
}
