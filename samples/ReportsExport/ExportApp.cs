using System.Globalization;
using Samples.Shared;
using Spectre.Console;
using Symtrain.Client;
using TrainingApis.Core;

namespace ReportsExport;

/// <summary>Streams each report window by window (the API's 180-day limit) into its CSV file, with a progress bar per report.</summary>
internal static class ExportApp
{
    private const int WindowDays = 180;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--help"))
        {
            Console.WriteLine(ExportArguments.Usage);
            return 0;
        }

        var arguments = ExportArguments.Parse(args, DateOnly.FromDateTime(DateTime.UtcNow), out var error);
        if (arguments is null)
        {
            Console.Error.WriteLine($"{error}\n\n{ExportArguments.Usage}");
            return 2;
        }

        SampleConsole.Configure();
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        try
        {
            await using var backend = await SymtrainBackend.ConnectAsync(cancellationToken: cancellation.Token);
            var windows = arguments.Range.Split(WindowDays).ToList();
            Directory.CreateDirectory(arguments.OutputFolder);
            AnsiConsole.MarkupLine($"Exporting [bold]{arguments.Range}[/] ({arguments.Range.Days} days, {windows.Count} windows of up to {WindowDays}) from {Markup.Escape(backend.Description)}");

            var results = new List<(SymtrainReport Report, string Path, long Rows, int Columns)>();
            await AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var tasks = Enum.GetValues<SymtrainReport>().ToDictionary(report => report, report => context.AddTask(FileName(report), maxValue: windows.Count));
                    foreach (var (report, task) in tasks)
                    {
                        var path = Path.Combine(arguments.OutputFolder, FileName(report) + ".csv");
                        await using var writer = new ReportCsvWriter(path);
                        foreach (var window in windows)
                        {
                            await foreach (var row in backend.Client.Reports.StreamReportAsync(report, window, cancellation.Token))
                            {
                                await writer.AddAsync(row);
                            }

                            task.Description = string.Create(CultureInfo.InvariantCulture, $"{FileName(report),-22} {writer.Rows,9:N0} rows");
                            task.Increment(1);
                        }

                        await writer.CompleteAsync(cancellation.Token);
                        results.Add((report, path, writer.Rows, writer.Columns.Count));
                    }
                });

            var table = new Table().AddColumns(new TableColumn("Report"), new TableColumn("Rows"), new TableColumn("Columns"), new TableColumn("File").NoWrap());
            foreach (var (report, path, rows, columns) in results)
            {
                table.AddRow(report.ToString(), rows.ToString("N0", CultureInfo.InvariantCulture), columns.ToString(CultureInfo.InvariantCulture), Markup.Escape(path));
            }

            AnsiConsole.Write(table);
            return 0;
        }
        catch (ApiException ex)
        {
            Console.Error.WriteLine($"Export failed: {ex.Message}");
            return 1;
        }
        catch (TimeoutException ex)
        {
            Console.Error.WriteLine($"Export timed out: {ex.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            Console.Error.WriteLine("Export cancelled; finished files are kept.");
            return 130;
        }
    }

    /// <summary>The report's endpoint name, e.g. <c>training-plan-result</c>.</summary>
    private static string FileName(SymtrainReport report) =>
        string.Concat(report.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
