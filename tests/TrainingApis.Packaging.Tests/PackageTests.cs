using System.Xml.Linq;

namespace TrainingApis.Packaging.Tests;

[Collection(PackSmokeCollection.Name)]
public sealed class PackageTests(PackSmokeFixture smoke)
{
    private const string RepositoryUrl = "https://github.com/trainingapis/trainingapis";

    private static readonly string[] Frameworks = ["net8.0", "net10.0"];

    public static TheoryData<string> Ids => ["TrainingApis.Core", "Symtrain.Client", "Senar.Client", "TrainingApis.Sandbox", "TrainingApis.WireMock", "TrainingApis.Redis"];

    // Test-time stubs on WireMock.Net, which is neither trimming- nor AOT-safe (Newtonsoft.Json, reflection).
    private const string NotAotCompatible = "TrainingApis.WireMock";

    [Fact]
    public void The_app_consuming_the_packages_from_the_local_folder_calls_both_clients_against_the_sandbox()
    {
        smoke.ExitCode.Should().Be(0, smoke.Output);
        smoke.Output.Should().Contain("symtrain: Users.CreateAccessTokenAsync -> UserAccessToken { Token = ***");
        smoke.Output.Should().MatchRegex(@"senar: Users\.ListAsync -> [1-9][0-9]* users");
        smoke.Output.TrimEnd().Should().EndWith("PACK-SMOKE-OK");
    }

    [Fact]
    public void The_install_commands_pack_local_prints_add_the_packages_to_a_fresh_app()
    {
        // pack-smoke.sh packs with eng/pack-local.sh and adds the packages to its app by running the printed commands.
        smoke.ExitCode.Should().Be(0, smoke.Output);
        var printed = AddPackageCommands(smoke.Output).Where(c => !c.Line.StartsWith("pack-smoke:", StringComparison.Ordinal)).ToList();
        printed.Select(c => c.Id).Should().Equal("Symtrain.Client", "Senar.Client", "TrainingApis.Sandbox");
        printed.Should().OnlyContain(c => c.Line.Contains($"--version {smoke.Version} --source \"{smoke.Feed}\""), "each names the version packed and the folder");
        foreach (var (line, _) in printed)
        {
            smoke.Output.Should().Contain("pack-smoke: " + line.Trim(), "the smoke app ran the printed command");
        }

        smoke.Output.Should().Contain($"pack-smoke: the printed nuget.config commands make {smoke.Feed} a package source");
    }

    [Fact]
    public void Getting_started_installs_with_the_commands_pack_local_prints()
    {
        var page = File.ReadAllText(Path.Combine(smoke.RepositoryRoot, "docs", "getting-started.md"));
        var install = page[page.IndexOf("## Install", StringComparison.Ordinal)..];
        install = install[..install.IndexOf("\n## ", 3, StringComparison.Ordinal)];

        install.Should().Contain("eng/pack-local.sh");
        install.IndexOf("eng/pack-local.sh", StringComparison.Ordinal).Should().BeLessThan(install.IndexOf("dotnet add package", StringComparison.Ordinal), "packing comes first");
        AddPackageCommands(install).Select(c => c.Id).Should().Equal(AddPackageCommands(smoke.Output).Where(c => !c.Line.StartsWith("pack-smoke:", StringComparison.Ordinal)).Select(c => c.Id));
        install.Should().Contain("dotnet nuget add source").And.Contain("--name trainingapis-local");
    }

    [Fact]
    public void The_smoke_script_names_no_package_registry()
    {
        foreach (var name in new[] { "pack-smoke.sh", "pack-local.sh" })
        {
            var script = File.ReadAllText(Path.Combine(smoke.RepositoryRoot, "eng", name));

            script.Should().NotContain("://", "no package source address is written in the repository ({0})", name);
        }

        File.ReadAllText(Path.Combine(smoke.RepositoryRoot, "eng", "pack-smoke.sh")).Should().Contain("dotnet nuget list source", "the machine's own sources are used");
    }

    /// <summary>The <c>dotnet add package &lt;id&gt; --version &lt;v&gt; --source &lt;folder&gt;</c> lines of a text.</summary>
    private static List<(string Line, string Id)> AddPackageCommands(string text) =>
        text.Split('\n')
            .Select(line => (Line: line.TrimEnd('\r'), Match: System.Text.RegularExpressions.Regex.Match(line, @"dotnet add package (?<id>[\w.]+) --version \S+ --source \S+")))
            .Where(x => x.Match.Success)
            .Select(x => (x.Line, x.Match.Groups["id"].Value))
            .ToList();

    [Theory]
    [MemberData(nameof(Ids))]
    public void Each_package_carries_its_metadata_readme_and_icon(string id)
    {
        using var package = Open(id);

        package.Get("id").Should().Be(id);
        package.Get("version").Should().Be(smoke.Version);
        package.Get("authors").Should().NotBeNullOrWhiteSpace();
        package.Get("description")!.Length.Should().BeGreaterThan(60);
        var license = package.Element("license")!;
        license.Attribute("type")!.Value.Should().Be("expression");
        license.Value.Should().Be("MIT");
        package.Get("projectUrl").Should().Be(RepositoryUrl);
        var repository = package.Element("repository")!;
        repository.Attribute("type")!.Value.Should().Be("git");
        repository.Attribute("url")!.Value.Should().Be(RepositoryUrl);
        repository.Attribute("commit")!.Value.Should().Be(smoke.Commit);
        package.Get("readme").Should().Be("README.md");
        package.Get("icon").Should().Be("icon.png");
        package.Read("README.md").Should().Equal(File.ReadAllBytes(Path.Combine(smoke.RepositoryRoot, "src", id, "README.md")));
        package.Read("icon.png").Should().Equal(File.ReadAllBytes(Path.Combine(smoke.RepositoryRoot, "eng", "icon.png")));
        var tags = package.Get("tags")!.Split(' ');
        tags.Should().Contain(["trainingapis", "sdk"]);
        switch (id)
        {
            case "Symtrain.Client":
                tags.Should().Contain("symtrain").And.NotContain("senar");
                break;
            case "Senar.Client":
                tags.Should().Contain("senar").And.NotContain("symtrain");
                break;
            default:
                tags.Should().Contain(["symtrain", "senar"]);
                break;
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Each_package_has_the_assembly_and_its_xml_docs_for_both_frameworks_built_deterministically(string id)
    {
        using var package = Open(id);

        package.Files.Where(f => f.StartsWith("lib/", StringComparison.Ordinal)).Select(f => f.Split('/')[1]).Distinct()
            .Should().BeEquivalentTo(Frameworks);
        foreach (var framework in Frameworks)
        {
            package.Files.Should().Contain([$"lib/{framework}/{id}.dll", $"lib/{framework}/{id}.xml"]);
            var assembly = package.Read($"lib/{framework}/{id}.dll");
            Assemblies.IsReproducible(assembly).Should().BeTrue($"{id} for {framework} is deterministic");
            var metadata = Assemblies.Metadata(assembly);
            if (id == NotAotCompatible)
            {
                metadata.Should().NotContainKey("IsAotCompatible").And.NotContainKey("IsTrimmable");
            }
            else
            {
                metadata.Should().Contain("IsTrimmable", "True");
            }

            if (framework == "net10.0" && id != NotAotCompatible)
            {
                metadata.Should().Contain("IsAotCompatible", "True");
            }

            System.Text.Encoding.UTF8.GetString(package.Read($"lib/{framework}/{id}.xml")).Should().Contain("<member name=\"T:");
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Each_symbol_package_has_portable_pdbs_with_sourcelink_to_the_commit_and_no_machine_paths(string id)
    {
        File.Exists(smoke.PackagePath(id, "snupkg")).Should().BeTrue();
        using var symbols = new NuGetPackage(smoke.PackagePath(id, "snupkg"));

        foreach (var framework in Frameworks)
        {
            var pdb = symbols.Read($"lib/{framework}/{id}.pdb");
            Assemblies.SourceLink(pdb).Should().Contain($"https://raw.githubusercontent.com/trainingapis/trainingapis/{smoke.Commit}/*");
            Assemblies.Documents(pdb).Should().NotBeEmpty().And.OnlyContain(d => d.StartsWith("/_/", StringComparison.Ordinal), "source paths are mapped");
        }
    }

    [Fact]
    public void Each_package_depends_only_on_what_it_uses()
    {
        var versions = XDocument.Load(Path.Combine(smoke.RepositoryRoot, "Directory.Packages.props"))
            .Descendants("PackageVersion")
            .ToDictionary(e => e.Attribute("Include")!.Value, e => e.Attribute("Version")!.Value);
        string[] Of(params string[] ids) => [.. ids.Select(i => $"{i} {(i.StartsWith("TrainingApis.", StringComparison.Ordinal) || i is "Symtrain.Client" or "Senar.Client" ? smoke.Version : versions[i])}").Order(StringComparer.Ordinal)];
        // The clients are friend assemblies of TrainingApis.Core (they use its internal pipeline): they need its exact version.
        var exactCore = $"TrainingApis.Core [{smoke.Version}]";
        string[] ClientOf(params string[] ids) => [.. Of(["Microsoft.Extensions.Configuration.Binder", "Microsoft.Extensions.Http", "Microsoft.Extensions.Logging.Abstractions", "Microsoft.Extensions.Options.ConfigurationExtensions", .. ids]).Append(exactCore).Order(StringComparer.Ordinal)];

        var expected = new Dictionary<string, Dictionary<string, string[]>>
        {
            ["TrainingApis.Core"] = new()
            {
                ["net10.0"] = Of("Microsoft.Extensions.Http", "Microsoft.Extensions.Http.Resilience", "Microsoft.Extensions.Logging.Abstractions", "Polly.Core", "System.Threading.RateLimiting"),
                ["net8.0"] = Of("Microsoft.Extensions.Http", "Microsoft.Extensions.Http.Resilience", "Microsoft.Extensions.Logging.Abstractions", "Polly.Core", "System.Diagnostics.DiagnosticSource", "System.Text.Json", "System.Threading.RateLimiting"),
            },
            ["Symtrain.Client"] = new()
            {
                ["net10.0"] = ClientOf("CsvHelper"),
                ["net8.0"] = ClientOf("CsvHelper", "System.Text.Json"),
            },
            ["Senar.Client"] = new()
            {
                ["net10.0"] = ClientOf(),
                ["net8.0"] = ClientOf("System.Text.Json"),
            },
            ["TrainingApis.Sandbox"] = new()
            {
                ["net10.0"] = Of("Bogus"),
                ["net8.0"] = Of("Bogus"),
            },
            ["TrainingApis.WireMock"] = new()
            {
                ["net10.0"] = Of("WireMock.Net.Minimal"),
                ["net8.0"] = Of("WireMock.Net.Minimal"),
            },
            ["TrainingApis.Redis"] = new()
            {
                ["net10.0"] = Of("TrainingApis.Core", "Symtrain.Client", "Senar.Client", "Microsoft.Extensions.Http", "Microsoft.Extensions.Logging.Abstractions", "StackExchange.Redis", "System.IO.Hashing"),
                ["net8.0"] = Of("TrainingApis.Core", "Symtrain.Client", "Senar.Client", "Microsoft.Extensions.Http", "Microsoft.Extensions.Logging.Abstractions", "StackExchange.Redis", "System.Diagnostics.DiagnosticSource", "System.IO.Hashing"),
            },
        };

        foreach (var (id, frameworks) in expected)
        {
            using var package = Open(id);
            package.Dependencies.Should().BeEquivalentTo(frameworks, options => options.WithStrictOrdering(), id);
        }

        using var sandbox = Open("TrainingApis.Sandbox");
        sandbox.Element("frameworkReferences")!.Descendants().Where(e => e.Name.LocalName == "frameworkReference")
            .Select(e => e.Attribute("name")!.Value).Should().Equal("Microsoft.AspNetCore.App", "Microsoft.AspNetCore.App");
        using var core = Open("TrainingApis.Core");
        core.Element("frameworkReferences").Should().BeNull("the libraries need no shared framework beyond .NET");
    }

    private NuGetPackage Open(string id)
    {
        var path = smoke.PackagePath(id);
        File.Exists(path).Should().BeTrue($"{id} was packed ({smoke.Output})");
        return new NuGetPackage(path);
    }
}
