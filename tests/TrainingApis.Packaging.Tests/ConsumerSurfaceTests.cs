using System.Text;
using System.Text.RegularExpressions;

namespace TrainingApis.Packaging.Tests;

/// <summary>
/// The packages as a user outside the family sees them: only their public API (the tests and the clients are friend
/// assemblies, so a gap in the public surface shows only here), and docs/packaging.md against what was packed.
/// </summary>
[Collection(PackSmokeCollection.Name)]
public sealed partial class ConsumerSurfaceTests(PackSmokeFixture smoke)
{
    private static readonly string[] ClientPackages = ["Symtrain.Client", "Senar.Client"];

    private static readonly string[] Packages = ["TrainingApis.Core", .. ClientPackages, "TrainingApis.Sandbox", "TrainingApis.WireMock", "TrainingApis.Redis"];

    [Fact]
    public void A_source_generated_json_context_of_yours_can_include_every_public_model_of_the_clients()
    {
        // An SDK model whose [JsonConverter] names an internal converter fails a user's context with SYSLIB1220 (an error
        // with warnings as errors; a dropped converter otherwise). Every public type with a public constructor that is
        // not a client, options, exception or converter is a model a user may cache or write out.
        var models = ClientPackages.SelectMany(Models).ToList();
        models.Should().Contain(["Symtrain.Client.Reports.ReportRow", "Senar.Client.Users.SenarUser", "Senar.Client.Users.UserAssignResult"]);

        var app = Path.Combine(smoke.WorkFolder, "json-context");
        Directory.CreateDirectory(app);
        var config = File.ReadAllText(Path.Combine(smoke.WorkFolder, "app", "nuget.config"));
        // The machine's sources (pack-smoke.sh wrote them) and this run's folder.
        config = config.Replace("<clear />\n    <add key=\"source0\"", $"<clear />\n    <add key=\"local\" value=\"{smoke.Feed}\" />\n    <add key=\"source0\"", StringComparison.Ordinal);
        config.Should().Contain(smoke.Feed);
        File.WriteAllText(Path.Combine(app, "nuget.config"), config);
        File.WriteAllText(Path.Combine(app, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(app, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(app, "Directory.Packages.props"), "<Project><PropertyGroup><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup></Project>");
        File.WriteAllText(Path.Combine(app, "JsonContext.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                {string.Concat(ClientPackages.Select(id => $"<PackageReference Include=\"{id}\" Version=\"{smoke.Version}\" />"))}
              </ItemGroup>
            </Project>
            """);
        var code = new StringBuilder();
        models.ForEach(model => code.AppendLine($"[System.Text.Json.Serialization.JsonSerializable(typeof({model}))]"));
        code.AppendLine("internal sealed partial class UserContext : System.Text.Json.Serialization.JsonSerializerContext;");
        File.WriteAllText(Path.Combine(app, "UserContext.cs"), code.ToString());

        var (exitCode, output) = PackSmokeFixture.Run("dotnet", ["build", "-nologo", "-clp:NoSummary"], new Dictionary<string, string> { ["DOTNET_NOLOGO"] = "1" }, app);

        exitCode.Should().Be(0, "a context with [{0}] builds against the packages:\n{1}", string.Join(", ", models), output);
    }

    [Fact]
    public void The_packaging_page_names_every_dependency_of_each_package()
    {
        var page = File.ReadAllText(Path.Combine(smoke.RepositoryRoot, "docs", "packaging.md"));
        var table = page[page.IndexOf("## The packages", StringComparison.Ordinal)..page.IndexOf("## Versions from git tags", StringComparison.Ordinal)];
        var header = table.Split('\n').First(line => line.StartsWith("| Package", StringComparison.Ordinal));

        foreach (var id in Packages)
        {
            var row = Row(table, id);

            // "the same as `Symtrain.Client` without …": that row's dependencies count too.
            var same = SameAs().Match(row);
            if (same.Success)
            {
                row += Row(table, same.Groups["id"].Value);
            }

            using var package = new NuGetPackage(smoke.PackagePath(id));
            var dependencies = package.Dependencies.Values.SelectMany(d => d).Select(d => d.Split(' ')[0]).Distinct();
            foreach (var dependency in dependencies)
            {
                (row.Contains($"`{dependency}`", StringComparison.Ordinal) || header.Contains($"`{dependency}`", StringComparison.Ordinal))
                    .Should().BeTrue("docs/packaging.md's row of {0} (or the table's header) names its dependency {1}: {2}", id, dependency, row);
            }
        }
    }

    private static string Row(string table, string id) => table.Split('\n').Single(line => line.StartsWith($"| `{id}`", StringComparison.Ordinal));

    /// <summary>The public types of a package that have a public constructor and are not clients, options, exceptions or converters.</summary>
    private IEnumerable<string> Models(string project)
    {
        var lines = File.ReadAllLines(Path.Combine(smoke.RepositoryRoot, "src", project, "PublicAPI.Unshipped.txt"));
        return lines
            .Where(line => TypeLine().IsMatch(line))
            .Where(type => lines.Any(line => line.StartsWith($"{type}.{type[(type.LastIndexOf('.') + 1)..]}(", StringComparison.Ordinal)))
            .Where(type => !NotAModel().IsMatch(type));
    }

    [GeneratedRegex(@"the same as `(?<id>[A-Za-z.]+)`")]
    private static partial Regex SameAs();

    [GeneratedRegex(@"^[A-Za-z0-9_.]+$")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"(Client|Options|Exception|Converter)$")]
    private static partial Regex NotAModel();
}
