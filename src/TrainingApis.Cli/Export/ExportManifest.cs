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

    public List<ExportWindow> Windows { get; set; } = [];

    public List<ExportedReport> Completed { get; set; } = [];

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
            await using (var file = File.Create(partial))
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
