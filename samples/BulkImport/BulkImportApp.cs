using Samples.Shared;
using Spectre.Console;
using Symtrain.Client.Users;
using TrainingApis.Core;

namespace BulkImport;

/// <summary>Validate locally, then upload (files of at most 750 rows) and follow each task with a progress bar.</summary>
internal static class BulkImportApp
{
    private const string Usage = """
        Usage: dotnet run --project samples/BulkImport [-- <file.csv>] [--organization <id>] [--dry-run]

        Validates the CSV (default: users.csv shipped with the sample; try users-with-errors.csv), lists every problem
        by row and column, and when there is none uploads it and follows the import until COMPLETED or FAILED.
        --dry-run stops after the validation. Uses SYMTRAIN_API_KEY and SYMTRAIN_ORGANIZATION_ID (or --organization)
        when set, else the embedded sandbox.
        Exit codes: 0 imported (or valid, with --dry-run); 1 the upload or the import failed; 2 invalid file or arguments.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        string? path = null, organization = null;
        var dryRun = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--help":
                    Console.WriteLine(Usage);
                    return 0;
                case "--dry-run":
                    dryRun = true;
                    break;
                case "--organization" when i + 1 < args.Length:
                    organization = args[++i];
                    break;
                case var arg when !arg.StartsWith("--", StringComparison.Ordinal) && path is null:
                    path = arg;
                    break;
                default:
                    Console.Error.WriteLine($"Unknown argument '{args[i]}'.\n\n{Usage}");
                    return 2;
            }
        }

        path ??= Path.Combine(AppContext.BaseDirectory, "users.csv");
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"No file '{path}'.");
            return 2;
        }

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        var (rows, problems) = await UserCsvFile.ReadAsync(path, cancellation.Token);
        if (problems.Count > 0)
        {
            ShowProblems(path, problems);
            return 2;
        }

        AnsiConsole.MarkupLine($"[green]{Markup.Escape(Path.GetFileName(path))}: {rows.Count} rows, all valid.[/]");
        if (dryRun)
        {
            return 0;
        }

        try
        {
            await using var backend = await SymtrainBackend.ConnectAsync(
                sandbox =>
                {
                    sandbox.BulkImportQueueDelay = TimeSpan.FromMilliseconds(500);
                    sandbox.BulkImportProcessingTime = TimeSpan.FromSeconds(2);
                },
                cancellationToken: cancellation.Token);
            organization ??= backend.OrganizationId;
            if (organization is null)
            {
                Console.Error.WriteLine("Set SYMTRAIN_ORGANIZATION_ID or pass --organization <id>.");
                return 2;
            }

            AnsiConsole.MarkupLine($"Uploading to {Markup.Escape(backend.Description)}, organization [bold]{Markup.Escape(organization)}[/]");
            var pollEvery = backend.Sandbox is null ? TimeSpan.FromSeconds(5) : TimeSpan.FromMilliseconds(200);
            var failed = 0;
            await foreach (var result in backend.Client.Users.BulkImportInBatchesAsync(organization, rows, cancellation.Token))
            {
                AnsiConsole.MarkupLine($"Task [bold]{Markup.Escape(result.TaskId ?? "(none)")}[/]: {result.ValidUsersCount} accepted, {result.InvalidUsersCount} refused by the server");
                foreach (var rejected in result.Errors)
                {
                    AnsiConsole.MarkupLine($"  [red]row {rejected.Row}[/]: {Markup.Escape(string.Join("; ", rejected.Errors))}");
                }

                if (result.TaskId is { } taskId)
                {
                    var status = await FollowAsync(backend, organization, taskId, result.ValidUsersCount ?? 0, pollEvery, cancellation.Token);
                    failed += status.Status == BulkImportState.Completed ? 0 : 1;
                }
            }

            return failed == 0 ? 0 : 1;
        }
        catch (ApiException ex)
        {
            Console.Error.WriteLine($"Upload failed: {ex.Message}");
            return 1;
        }
        catch (TimeoutException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 1;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            Console.Error.WriteLine("Cancelled. An upload already made goes on on the server.");
            return 130;
        }
    }

    /// <summary>Polls the task's status, showing SCHEDULED → STARTED (processed / total) → COMPLETED or FAILED.</summary>
    private static async Task<BulkImportStatus> FollowAsync(
        SymtrainBackend backend, string organization, string taskId, int total, TimeSpan pollEvery, CancellationToken cancellationToken)
    {
        BulkImportStatus status = null!;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var bar = context.AddTask("SCHEDULED", maxValue: Math.Max(total, 1));
                while (true)
                {
                    status = await backend.Client.Users.GetBulkImportStatusAsync(organization, taskId, cancellationToken);
                    bar.Description = status.RawStatus ?? "?";
                    bar.Value = Math.Min(status.ProcessedCount ?? 0, bar.MaxValue);
                    if (status.IsFinished)
                    {
                        if (status.Status == BulkImportState.Completed)
                        {
                            bar.Value = bar.MaxValue;
                        }

                        bar.StopTask();
                        return;
                    }

                    await Task.Delay(pollEvery, cancellationToken);
                }
            });

        AnsiConsole.MarkupLine(status.Status == BulkImportState.Completed
            ? $"[green]COMPLETED[/]: {status.ProcessedCount ?? total} users imported."
            : $"[red]{Markup.Escape(status.RawStatus ?? "?")}[/]: {Markup.Escape(status.ErrorMessage ?? "no reason given")}");
        return status;
    }

    private static void ShowProblems(string path, IReadOnlyList<BulkImportRowError> problems)
    {
        var table = new Table().Title($"{Markup.Escape(Path.GetFileName(path))}: {problems.Count} problem(s), nothing was uploaded").AddColumns("Row", "Line", "Column", "Problem");
        foreach (var problem in problems.OrderBy(p => p.Row ?? 0))
        {
            table.AddRow(
                problem.Row?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "file",
                problem.Line?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
                Markup.Escape(problem.Field ?? string.Empty),
                Markup.Escape(problem.Message));
        }

        AnsiConsole.Write(table);
    }
}
