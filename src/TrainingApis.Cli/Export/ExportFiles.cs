namespace TrainingApis.Cli.Export;

/// <summary>
/// File rules shared by every export: data is written to <c>&lt;name&gt;.partial</c> and renamed to its name only when
/// complete, so an interrupted export never leaves a file that looks complete.
/// </summary>
internal static class ExportFiles
{
    public const string PartialSuffix = ".partial";

    public static string Extension(ExportFormat format) => format == ExportFormat.Csv ? ".csv" : ".jsonl";

    /// <summary>The format an <c>--out</c> file asks for by its extension: <c>.jsonl</c>/<c>.ndjson</c> → JSON lines, else CSV.</summary>
    public static ExportFormat FromExtension(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".jsonl" or ".ndjson" ? ExportFormat.Jsonl : ExportFormat.Csv;

    /// <summary>
    /// Checks an <c>--out</c> file before anything is requested: its folder must exist and it must not be a folder.
    /// </summary>
    /// <exception cref="CliException">A usage error naming the problem.</exception>
    public static void RequireFileTarget(string path, string display)
    {
        if (Directory.Exists(path))
        {
            throw CliException.Usage($"--out '{display}' is a folder; name the file to write.");
        }

        if (Path.GetDirectoryName(path) is { Length: > 0 } folder && !Directory.Exists(folder))
        {
            throw CliException.Usage($"--out '{display}': there is no folder '{Path.GetDirectoryName(display)}'.");
        }
    }

    /// <summary>Checks an <c>--out</c> folder before anything is requested: it must not be a file.</summary>
    /// <exception cref="CliException">A usage error naming the problem.</exception>
    public static void RequireFolderTarget(string path, string display)
    {
        if (File.Exists(path))
        {
            throw CliException.Usage($"--out '{display}' is a file; name the folder to write the reports in.");
        }
    }

    /// <summary>Renames a finished partial file to its final name, replacing an older one.</summary>
    public static void Publish(string partialPath, string path) => File.Move(partialPath, path, overwrite: true);

    /// <summary>Deletes a file if it is there; a failure to delete is not worth failing the command for.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left behind; its name (.partial) says it is incomplete.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
