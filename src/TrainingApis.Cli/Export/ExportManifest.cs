using System.Text.Json;

namespace TrainingApis.Cli.Export;

/// <summary>
/// The progress of a report export, in <c>&lt;out&gt;/.trainingapis-export/manifest.json</c>: the windows already fetched
/// (their rows kept as JSON lines beside it) and the report files completed. <c>--resume</c> reads it and fetches only
/// what it does not list. It is rewritten whole (to a .partial file, then renamed) after every window.
/// </summary>
internal sealed class ExportManifest
{
    public const string FolderName = ".trainingapis-export";
    public const string FileName = "manifest.json";

    public int Version { get; set; } = 1;

    /// <summary>The export this folder holds: its first day (YYYY-MM-DD); null in a manifest of an older version.</summary>
    public string? From { get; set; }

    /// <summary>Its last day (YYYY-MM-DD).</summary>
    public string? To { get; set; }

    /// <summary>Its format: csv or jsonl.</summary>
    public string? Format { get; set; }

    /// <summary>Its reports, by route name.</summary>
    public List<string>? Reports { get; set; }

    public List<ExportWindow> Windows { get; set; } = [];

    public List<ExportedReport> Completed { get; set; } = [];

    /// <summary>The export as a person reads it: "2025-01-01..2025-03-31, csv, users".</summary>
    public string Describe() => $"{From}..{To}, {Format}, {string.Join(" ", Reports ?? [])}";

    public static async Task<ExportManifest?> LoadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            await using var file = File.OpenRead(path);
            return await JsonSerializer.DeserializeAsync(file, CliJsonContext.Default.ExportManifest, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            throw CliException.Usage($"The export progress file '{path}' is damaged; add --overwrite to start the export again.");
        }
    }

    public async Task SaveAsync(string path, CancellationToken cancellationToken)
    {
        var partial = path + ExportFiles.PartialSuffix;
        try
        {
            await using (var file = ExportFiles.Create(partial))
            {
                await JsonSerializer.SerializeAsync(file, this, CliJsonContext.Default.ExportManifest, cancellationToken).ConfigureAwait(false);
            }

            ExportFiles.Publish(partial, path);
        }
        finally
        {
            ExportFiles.TryDelete(partial);
        }
    }
}
