using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace TrainingApis.Packaging.Tests;

/// <summary>Reads what the packaging promises from an assembly and its PDB, without loading them.</summary>
internal static class Assemblies
{
    /// <summary>The GUID of the SourceLink custom debug information in a portable PDB.</summary>
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    /// <summary>The <c>[assembly: AssemblyMetadata(key, value)]</c> pairs.</summary>
    public static IReadOnlyDictionary<string, string?> Metadata(byte[] assembly)
    {
        using var pe = new PEReader(new MemoryStream(assembly));
        var reader = pe.GetMetadataReader();
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var handle in reader.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = reader.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind != HandleKind.MemberReference)
            {
                continue;
            }

            var constructor = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
            if (constructor.Parent.Kind != HandleKind.TypeReference
                || reader.GetString(reader.GetTypeReference((TypeReferenceHandle)constructor.Parent).Name) != "AssemblyMetadataAttribute")
            {
                continue;
            }

            var blob = reader.GetBlobReader(attribute.Value);
            blob.ReadUInt16(); // Prolog.
            var key = blob.ReadSerializedString()!;
            result[key] = blob.ReadSerializedString();
        }

        return result;
    }

    /// <summary>Whether the assembly was built deterministically (a Reproducible debug directory entry).</summary>
    public static bool IsReproducible(byte[] assembly)
    {
        using var pe = new PEReader(new MemoryStream(assembly));
        return pe.ReadDebugDirectory().Any(e => e.Type == DebugDirectoryEntryType.Reproducible);
    }

    /// <summary>The SourceLink JSON of a portable PDB, or null.</summary>
    public static string? SourceLink(byte[] pdb)
    {
        using var provider = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(pdb));
        var reader = provider.GetMetadataReader();
        foreach (var handle in reader.GetCustomDebugInformation(EntityHandle.ModuleDefinition))
        {
            var information = reader.GetCustomDebugInformation(handle);
            if (reader.GetGuid(information.Kind) == SourceLinkKind)
            {
                return System.Text.Encoding.UTF8.GetString(reader.GetBlobBytes(information.Value));
            }
        }

        return null;
    }

    /// <summary>The source document paths recorded in a portable PDB.</summary>
    public static IReadOnlyList<string> Documents(byte[] pdb)
    {
        using var provider = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(pdb));
        var reader = provider.GetMetadataReader();
        return [.. reader.Documents.Select(d => reader.GetString(reader.GetDocument(d).Name))];
    }
}
