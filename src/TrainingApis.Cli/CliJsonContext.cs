using System.Text.Json;
using System.Text.Json.Serialization;
using TrainingApis.Cli.Export;

namespace TrainingApis.Cli;

/// <summary>The tool's own JSON: the export manifest.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(ExportManifest))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
