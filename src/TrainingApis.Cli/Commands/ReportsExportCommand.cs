using System.CommandLine;
using System.Globalization;
using TrainingApis.Cli.Export;
using TrainingApis.Cli.Hosting;
using TrainingApis.Cli.Output;
using TrainingApis.Core;

namespace TrainingApis.Cli.Commands;

/// <summary><c>trainingapis symtrain reports export</c>.</summary>
internal static class ReportsExportCommand
{
    /// <summary>The default of <c>--max-requests</c>: 50 minutes of the vendor's quota, 10 years of all seven reports with room to spare.</summary>
    public const int DefaultMaxRequests = 1_000;

    public static Command Build(CliHost host)
    {
        var report = new Option<string[]>("--report")
        {
            Description = "The report(s), by the API's route names, or all. Repeat the option for several.",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        report.AcceptOnlyFromAmong(ReportNames.Choices);
        var from = CommonOptions.Date("--from", "The first day, YYYY-MM-DD.");
        var to = CommonOptions.Date("--to", "The last day, YYYY-MM-DD (included).");
        var output = CommonOptions.Required("--out", "The folder to write <report>.csv or <report>.jsonl into (created if needed).");
        var format = CommonOptions.Format("csv (default; header = every field seen, in first-seen order) or jsonl (one JSON object per line, lossless).");
        var resume = new Option<bool>("--resume") { Description = "Continue an interrupted export in --out: only the windows not fetched yet are requested." };
        var overwrite = new Option<bool>("--overwrite") { Description = "Start again, replacing the report files and any unfinished export in --out." };
        var maxRequests = CommonOptions.Integer(
            "--max-requests",
            $"Refuse, before sending anything, an export that needs more requests than this (at least one per report and window). Default: {DefaultMaxRequests} (50 minutes of Symtrain's quota of 100 per 5 minutes).",
            minimum: 1,
            maximum: int.MaxValue,
            defaultValue: DefaultMaxRequests);

        var command = new Command("export", "Exports reports over any range: split in windows of 180 days (the API's maximum), paged, streamed to disk, one file per report. " +
            "Files are written as <name>.partial and renamed when complete; an interrupted export is continued with --resume.")
        {
            report, from, to, output, format, resume, overwrite, maxRequests,
        }.WithExamples(
            "trainingapis symtrain reports export --report all --from 2024-01-01 --to 2025-12-31 --out reports --sandbox",
            "trainingapis symtrain reports export --report syms-result --report users --from 2025-01-01 --to 2025-03-31 --out reports --format jsonl --sandbox");

        CliApp.SetAction(command, host, async (parse, cancellationToken) =>
        {
            var start = parse.GetValue(from);
            var end = parse.GetValue(to);
            if (start > end)
            {
                throw CliException.Usage($"--from {DateRange.Format(start)} is after --to {DateRange.Format(end)}.");
            }

            if (parse.GetValue(resume) && parse.GetValue(overwrite))
            {
                throw CliException.Usage("--resume and --overwrite exclude each other: continue the export, or start it again.");
            }

            var range = new DateRange(start, end);
            var selected = ReportNames.Select(parse.GetValue(report) ?? []);
            var exportFormat = parse.GetValue(format) == "jsonl" ? ExportFormat.Jsonl : ExportFormat.Csv;
            var folder = host.FullPath(parse.GetRequiredValue(output));
            var maximum = parse.GetValue(maxRequests);
            ExportFiles.RequireFolderTarget(folder, host.Display(folder));

            await using var connection = await SymtrainConnection.OpenAsync(host, parse.GetValue(CommonOptions.Sandbox), cancellationToken).ConfigureAwait(false);
            var windowDays = Math.Max(1, (int)connection.Options.MaxReportRange.TotalDays);
            var windows = (range.Days + windowDays - 1) / windowDays;

            // The vendor publishes no bounds for report dates; the quota is the real limit. A range that needs an absurd
            // number of requests (0001-01-01..9999-12-31 needs 7 x 20,000) is a typo, refused before anything is sent.
            var minimumRequests = (long)windows * selected.Count;
            if (minimumRequests > maximum)
            {
                var quota = connection.Options.RateLimit;
                var hours = quota.Enabled ? (minimumRequests / (double)quota.PermitLimit) * quota.Window.TotalHours : 0;
                var cost = hours > 0 ? string.Create(CultureInfo.InvariantCulture, $", about {hours:N1} hours of the quota ({quota.PermitLimit} per {quota.Window.TotalMinutes:0.#} minutes)") : string.Empty;
                throw CliException.Usage(string.Create(
                    CultureInfo.InvariantCulture,
                    $"--from {range.StartText} --to {range.EndText} needs at least {minimumRequests:N0} requests ({windows:N0} window(s) of {windowDays} days x {selected.Count} report(s)){cost}; the most allowed is --max-requests {maximum:N0}. Narrow the range, or raise --max-requests."));
            }

            // The output folder is checked before anything is requested: requests are the scarce resource.
            Directory.CreateDirectory(folder);
            var exporter = new ReportExporter(connection.Client.Reports, folder, host.Display(folder), exportFormat, windowDays);
            var manifest = await exporter.PrepareAsync(selected, range, parse.GetValue(resume), parse.GetValue(overwrite), cancellationToken).ConfigureAwait(false);

            CliOutput.Status(host, $"Exporting {selected.Count} report(s) over {range.StartText}..{range.EndText} ({range.Days} days, {windows} window(s) of up to {windowDays}) from {connection.Description}");
            IReadOnlyList<ReportExportResult> results;
            try
            {
                results = await ProgressView.RunAsync(host, connection.Quota, view => exporter.RunAsync(selected, range, manifest, view, cancellationToken)).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw new CliException(ExitCodes.Cancelled, "Cancelled. Unfinished files were removed; the windows fetched are kept: run the same command with --resume to continue.");
            }

            if (parse.GetValue(CommonOptions.Json))
            {
                CliOutput.Json(host, json =>
                {
                    json.WriteStartObject();
                    json.WriteString("from", range.StartText);
                    json.WriteString("to", range.EndText);
                    json.WriteString("format", exportFormat.ToString().ToLowerInvariant());
                    json.WriteNumber("requests", connection.Quota.Requests);
                    json.WriteStartArray("reports");
                    foreach (var result in results)
                    {
                        json.WriteStartObject();
                        json.WriteString("report", result.Report);
                        json.WriteString("file", host.Display(result.File));
                        json.WriteNumber("rows", result.Rows);
                        json.WriteNumber("columns", result.Columns);
                        json.WriteNumber("windowsFetched", result.WindowsFetched);
                        json.WriteNumber("windowsReused", result.WindowsReused);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                });
            }
            else
            {
                CliOutput.Table(host, ["Report", "Rows", "Columns", "File"], results.Select(r => (IReadOnlyList<string>)[r.Report, CliOutput.Number(r.Rows), r.Columns.ToString(System.Globalization.CultureInfo.InvariantCulture), host.Display(r.File)]));
                CliOutput.Status(host, $"{connection.Quota.Requests} request(s) sent.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
