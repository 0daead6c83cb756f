using System.Globalization;
using Symtrain.Client;
using Symtrain.Client.Reports;
using TrainingApis.Cli.Output;
using TrainingApis.Core;

namespace TrainingApis.Cli.Export;

/// <summary>
/// Exports reports over any range: the range is split into windows of the API's maximum (180 days); each window is
/// streamed (paged by the SDK) into a JSON-lines file in <c>&lt;out&gt;/.trainingapis-export/</c> and listed in its
/// manifest once complete; when every window of a report is there, the report's file is written (to .partial, then
/// renamed) and the window files are deleted. An interrupted export keeps its finished windows, so <c>--resume</c>
/// fetches only the missing ones: requests are the scarce resource (100 per 5 minutes).
/// </summary>
internal sealed class ReportExporter(ISymtrainReportsClient reports, string outputFolder, string folderName, ExportFormat format, int windowDays)
{
    private const int DetailEvery = 500;

    private readonly string _workFolder = Path.Combine(outputFolder, ExportManifest.FolderName);

    private string ManifestPath => Path.Combine(_workFolder, ExportManifest.FileName);

    /// <summary>The final file of a report.</summary>
    public string Target(SymtrainReport report) => Path.Combine(outputFolder, ReportNames.Route(report) + ExportFiles.Extension(format));

    /// <summary>
    /// Checks the output folder before anything is fetched. A report file there must be a regular file. Without
    /// <paramref name="resume"/> or <paramref name="overwrite"/>, an unfinished export or an existing report file is an
    /// error. With <paramref name="resume"/>, the unfinished export must be this one (same range, format and reports),
    /// and a report file there must have been written by it: another file of that name (the user's own users.csv) needs
    /// <paramref name="overwrite"/>. With <paramref name="overwrite"/>, the unfinished export is deleted; the report
    /// files stay until their replacement is complete (which keeps their permissions).
    /// </summary>
    /// <exception cref="CliException">The folder holds files the export would replace, or another export (exit code 2).</exception>
    public async Task<ExportManifest> PrepareAsync(IReadOnlyList<SymtrainReport> selected, DateRange range, bool resume, bool overwrite, CancellationToken cancellationToken)
    {
        foreach (var report in selected)
        {
            ExportFiles.RequireRegular(Target(report), Path.Combine(folderName, Path.GetFileName(Target(report))));
        }

        var formatName = format.ToString().ToLowerInvariant();
        var fresh = new ExportManifest { From = range.StartText, To = range.EndText, Format = formatName, Reports = [.. selected.Select(ReportNames.Route)] };
        if (overwrite)
        {
            if (Directory.Exists(_workFolder))
            {
                Directory.Delete(_workFolder, recursive: true);
            }

            return fresh;
        }

        var manifest = await ExportManifest.LoadAsync(ManifestPath, cancellationToken).ConfigureAwait(false);
        var existing = selected.Where(r => File.Exists(Target(r))).ToList();
        if (!resume)
        {
            if (manifest is { Windows.Count: > 0 })
            {
                throw CliException.Usage($"'{folderName}' holds an unfinished export ({manifest.Windows.Count} window(s) fetched). Add --resume to continue it, or --overwrite to start again.");
            }

            if (existing.Count > 0)
            {
                throw CliException.Usage($"'{folderName}' already has {string.Join(", ", existing.Select(r => Path.GetFileName(Target(r))))}. Add --overwrite to replace, --resume to keep what is complete, or choose another --out.");
            }

            return fresh;
        }

        if (manifest is null)
        {
            manifest = fresh;
        }
        else if (manifest.From is not null && (manifest.From != fresh.From || manifest.To != fresh.To || manifest.Format != fresh.Format || !manifest.Reports!.Order().SequenceEqual(fresh.Reports!.Order())))
        {
            throw CliException.Usage($"--resume: the export in '{folderName}' is {manifest.Describe()}; this command asks for {fresh.Describe()}. Repeat the first command's --report, --from, --to and --format to continue it, or add --overwrite (instead of --resume) to start again.");
        }
        else
        {
            (manifest.From, manifest.To, manifest.Format, manifest.Reports) = (fresh.From, fresh.To, fresh.Format, fresh.Reports);
        }

        // A report file is kept only if this export wrote it; another file of that name is the user's own.
        var foreign = existing.Where(r => !manifest.Completed.Exists(c => c.Report == ReportNames.Route(r) && c.Start == range.StartText && c.End == range.EndText && c.Format == formatName)).ToList();
        if (foreign.Count > 0)
        {
            throw CliException.Usage($"'{folderName}' already has {string.Join(", ", foreign.Select(r => Path.GetFileName(Target(r))))}, which this export did not write. Move it, choose another --out, or add --overwrite (instead of --resume) to replace it.");
        }

        return manifest;
    }

    /// <summary>Exports each report over <paramref name="range"/>, skipping what <paramref name="manifest"/> says is done.</summary>
    public async Task<IReadOnlyList<ReportExportResult>> RunAsync(
        IReadOnlyList<SymtrainReport> selected, DateRange range, ExportManifest manifest, ProgressView view, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_workFolder);
        var windows = range.Split(windowDays).ToList();
        var results = new List<ReportExportResult>();
        var formatName = format.ToString().ToLowerInvariant();
        foreach (var report in selected)
        {
            var name = ReportNames.Route(report);
            var target = Target(report);
            var line = view.Add(name, windows.Count);
            var done = manifest.Completed.Find(c => c.Report == name && c.Start == range.StartText && c.End == range.EndText && c.Format == formatName);
            if (done is not null && File.Exists(target))
            {
                line.Done(string.Create(CultureInfo.InvariantCulture, $"complete already, {done.Rows:N0} rows in {Path.GetFileName(target)}"));
                results.Add(new ReportExportResult(name, target, done.Rows, done.Columns, 0, windows.Count));
                continue;
            }

            var parts = new List<ExportWindow>();
            int fetched = 0, reused = 0;
            foreach (var window in windows)
            {
                var part = manifest.Windows.Find(w => w.Report == name && w.Start == window.StartText && w.End == window.EndText);
                if (part is not null && File.Exists(Path.Combine(_workFolder, part.File)))
                {
                    reused++;
                    parts.Add(part);
                    line.Step(string.Create(CultureInfo.InvariantCulture, $"{window.StartText}..{window.EndText}: {part.Rows:N0} rows (fetched before)"));
                    continue;
                }

                part = await FetchAsync(report, name, window, line, cancellationToken).ConfigureAwait(false);
                manifest.Windows.RemoveAll(w => w.Report == name && w.Start == window.StartText && w.End == window.EndText);
                manifest.Windows.Add(part);
                await manifest.SaveAsync(ManifestPath, cancellationToken).ConfigureAwait(false);
                fetched++;
                parts.Add(part);
                line.Step(string.Create(CultureInfo.InvariantCulture, $"{window.StartText}..{window.EndText}: {part.Rows:N0} rows"));
            }

            var (rows, columns) = await WriteReportAsync(parts, target, cancellationToken).ConfigureAwait(false);
            manifest.Completed.RemoveAll(c => c.Report == name);
            manifest.Completed.Add(new ExportedReport(name, range.StartText, range.EndText, formatName, Path.GetFileName(target), rows, columns));
            manifest.Windows.RemoveAll(w => w.Report == name);
            await manifest.SaveAsync(ManifestPath, cancellationToken).ConfigureAwait(false);
            foreach (var part in parts)
            {
                ExportFiles.TryDelete(Path.Combine(_workFolder, part.File));
            }

            line.Done(string.Create(CultureInfo.InvariantCulture, $"{rows:N0} rows, {columns} columns → {Path.GetFileName(target)}"));
            results.Add(new ReportExportResult(name, target, rows, columns, fetched, reused));
        }

        return results;
    }

    private async Task<ExportWindow> FetchAsync(SymtrainReport report, string name, DateRange window, ProgressLine line, CancellationToken cancellationToken)
    {
        var file = $"{name}.{window.StartText}.{window.EndText}.jsonl";
        var path = Path.Combine(_workFolder, file);
        var partial = path + ExportFiles.PartialSuffix;
        try
        {
            long rows;
            IReadOnlyList<string> fields;
            await using (var writer = new JsonLinesWriter(partial))
            {
                await foreach (var row in reports.StreamReportAsync(report, window, cancellationToken).ConfigureAwait(false))
                {
                    await writer.WriteAsync(row.Json, cancellationToken).ConfigureAwait(false);
                    if (writer.Rows % DetailEvery == 0)
                    {
                        line.Detail(string.Create(CultureInfo.InvariantCulture, $"{window.StartText}..{window.EndText}: {writer.Rows:N0} rows"));
                    }
                }

                await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
                rows = writer.Rows;
                fields = [.. writer.Fields];
            }

            ExportFiles.Publish(partial, path);
            return new ExportWindow(name, window.StartText, window.EndText, rows, fields, file);
        }
        finally
        {
            ExportFiles.TryDelete(partial);
        }
    }

    private async Task<(long Rows, int Columns)> WriteReportAsync(IReadOnlyList<ExportWindow> parts, string target, CancellationToken cancellationToken)
    {
        var files = parts.Select(p => Path.Combine(_workFolder, p.File)).ToList();
        var partial = target + ExportFiles.PartialSuffix;
        try
        {
            long rows;
            int columns;
            await using (var output = ExportFiles.Create(partial, target))
            {
                if (format == ExportFormat.Jsonl)
                {
                    foreach (var file in files)
                    {
                        await using var input = File.OpenRead(file);
                        await input.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
                    }

                    rows = parts.Sum(p => p.Rows);
                    columns = Union(parts).Count;
                }
                else
                {
                    var header = Union(parts);
                    rows = await JsonLinesCsv.WriteAsync(files, header, output, cancellationToken).ConfigureAwait(false);
                    columns = header.Count;
                }
            }

            ExportFiles.Publish(partial, target);
            return (rows, columns);
        }
        finally
        {
            ExportFiles.TryDelete(partial);
        }
    }

    /// <summary>The fields of every window, in first-seen order across the range.</summary>
    private static List<string> Union(IEnumerable<ExportWindow> parts)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return [.. parts.SelectMany(p => p.Fields).Where(seen.Add)];
    }
}
