using System.IO.Compression;
using System.Xml.Linq;

namespace TrainingApis.Packaging.Tests;

/// <summary>A .nupkg or .snupkg read as a zip: its files and its nuspec.</summary>
internal sealed class NuGetPackage : IDisposable
{
    private readonly ZipArchive _zip;

    public NuGetPackage(string path)
    {
        _zip = ZipFile.OpenRead(path);
        Files = [.. _zip.Entries.Select(e => e.FullName)];
        var nuspec = _zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/', StringComparison.Ordinal));
        using var stream = nuspec.Open();
        Nuspec = XDocument.Load(stream);
    }

    public IReadOnlyList<string> Files { get; }

    public XDocument Nuspec { get; }

    private XNamespace Ns => Nuspec.Root!.GetDefaultNamespace();

    public XElement Metadata => Nuspec.Root!.Element(Ns + "metadata")!;

    public string? Get(string name) => Metadata.Element(Ns + name)?.Value;

    public XElement? Element(string name) => Metadata.Element(Ns + name);

    /// <summary>The dependencies of each target framework: framework → "id version" lines.</summary>
    public IReadOnlyDictionary<string, string[]> Dependencies =>
        Metadata.Element(Ns + "dependencies")!.Elements(Ns + "group").ToDictionary(
            g => g.Attribute("targetFramework")!.Value,
            g => g.Elements(Ns + "dependency").Select(d => $"{d.Attribute("id")!.Value} {d.Attribute("version")!.Value}").Order(StringComparer.Ordinal).ToArray());

    public byte[] Read(string file)
    {
        using var stream = _zip.GetEntry(file)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public void Dispose() => _zip.Dispose();
}
