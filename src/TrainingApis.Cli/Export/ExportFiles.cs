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
    /// Checks an <c>--out</c> file before anything is requested: its folder must exist; it must not be a folder, nor a
    /// symbolic link, named pipe, device or socket (the finished file is renamed over the target, which would replace
    /// the link or pipe itself, not write through it); an existing file is replaced only with <paramref name="overwrite"/>.
    /// </summary>
    /// <exception cref="CliException">A usage error naming the problem.</exception>
    public static void RequireFileTarget(string path, string display, bool overwrite)
    {
        RequireRegular(path, display);
        if (Directory.Exists(path))
        {
            throw CliException.Usage($"--out '{display}' is a folder; name the file to write.");
        }

        if (Path.GetDirectoryName(path) is { Length: > 0 } folder && !Directory.Exists(folder))
        {
            throw CliException.Usage($"--out '{display}': there is no folder '{Path.GetDirectoryName(display)}'.");
        }

        if (File.Exists(path) && !overwrite)
        {
            throw CliException.Usage($"--out '{display}' already exists. Add --overwrite to replace it, or choose another --out.");
        }
    }

    /// <summary>Checks an <c>--out</c> folder before anything is requested: it must not be a file.</summary>
    /// <exception cref="CliException">A usage error naming the problem.</exception>
    public static void RequireFolderTarget(string path, string display)
    {
        if (File.Exists(path) && !Directory.Exists(path))
        {
            throw CliException.Usage($"--out '{display}' is a file; name the folder to write the reports in.");
        }
    }

    /// <summary>Refuses a path that exists and is not a regular file or a folder (a symbolic link, named pipe, device, socket).</summary>
    /// <exception cref="CliException">A usage error naming the path and what it is.</exception>
    public static void RequireRegular(string path, string display)
    {
        if (FileKind.NotRegular(path) is { } kind)
        {
            throw CliException.Usage($"'{display}' is {kind}. The tool writes regular files only: it writes a copy and renames it over the file, which would replace the {kind} itself. Name a regular file (or a new one).");
        }
    }

    /// <summary>
    /// Creates (replacing) a file to write data in. When <paramref name="modeOf"/> exists, the new file starts with its
    /// permissions (a 600 file's data is never readable by others, not even while being written); otherwise the usual
    /// mode (666 less the user's umask). A file or link already at <paramref name="path"/> is removed first, so a
    /// planted link is never written through.
    /// </summary>
    public static FileStream Create(string path, string? modeOf = null)
    {
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 1 << 16, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows() && modeOf is not null && File.Exists(modeOf))
        {
            options.UnixCreateMode = File.GetUnixFileMode(modeOf);
        }

        return new FileStream(path, options);
    }

    /// <summary>
    /// Renames a finished partial file to its final name, replacing an older one whose permission mode it keeps. The
    /// target is checked again (it may have become a link while the export ran).
    /// </summary>
    /// <exception cref="CliException">The target is no longer a regular file (exit code 2).</exception>
    public static void Publish(string partialPath, string path)
    {
        RequireRegular(path, path);
        if (!OperatingSystem.IsWindows() && File.Exists(path))
        {
            File.SetUnixFileMode(partialPath, File.GetUnixFileMode(path));
        }

        File.Move(partialPath, path, overwrite: true);
    }

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
