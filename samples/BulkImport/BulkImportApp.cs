using Samples.Shared;
using Spectre.Console;
using Symtrain.Client.Users;
using TrainingApis.Core;

namespace BulkImport;

/// <summary>Validate locally, then upload (files of at most 750 rows) and follow each task with a progress bar.</summary>
internal static class BulkImportApp
{
    private const string Usage = """
        Usage: dotnet run --project samples/BulkImport [-- <file.csv>] [--organization <id>] [--dry-run] [--allow-writes]

        Validates the CSV, lists every problem by row and column, and when there is none uploads it and follows the
        import until COMPLETED or FAILED. --dry-run stops after the validation.
        Without SYMTRAIN_API_KEY it uploads to the embedded sandbox (default file: the demo users.csv shipped with the
        sample; try users-with-errors.csv). With SYMTRAIN_API_KEY (and SYMTRAIN_ORGANIZATION_ID or --organization) it
        uploads to the real service: name the file, and confirm when asked, or pass --allow-writes (no prompt).
        Exit codes: 0 imported (or valid, with --dry-run); 1 the upload or the import failed; 2 invalid file or
        arguments, or a write to the real service not confirmed.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        string? path = null, organization = null;
        bool dryRun = false, allowWrites = false;
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
                case "--allow-writes":
                    allowWrites = true;
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

        var realService = SymtrainBackend.UsesRealService;
        if (path is null && realService && !dryRun)
        {
            // The shipped users.csv is demo data for the sandbox: never upload it to a real organization by default.
            Console.Error.WriteLine("SYMTRAIN_API_KEY is set: name the CSV file to upload to the real service (the shipped users.csv is demo data).");
            return 2;
        }

        SampleConsole.Configure();
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

            if (backend.Sandbox is null && !allowWrites && !Confirm(rows.Count, path, organization, backend.Description))
            {
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

    /// <summary>
    /// Asks before a write to the real service; without a terminal to ask on (input redirected), refuses and names
    /// <c>--allow-writes</c>. True when the user typed y or yes.
    /// </summary>
    private static bool Confirm(int rows, string path, string organization, string service)
    {
        if (Console.IsInputRedirected)
        {
            Console.Error.WriteLine($"Not uploaded: {rows} users from {path} would be added to organization {organization} on {service}. Pass --allow-writes to upload without a prompt.");
            return false;
        }

        Console.Write($"Upload {rows} users from {path} to organization {organization} on {service}? [y/N] ");
        var answer = Console.ReadLine()?.Trim();
        if (answer is not null && (answer.Equals("y", StringComparison.OrdinalIgnoreCase) || answer.Equals("yes", StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        Console.Error.WriteLine("Not uploaded.");
        return false;
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
