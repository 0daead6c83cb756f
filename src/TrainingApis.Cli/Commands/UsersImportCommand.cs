using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Symtrain.Client.Users;
using TrainingApis.Cli.Hosting;
using TrainingApis.Cli.Import;
using TrainingApis.Cli.Output;

namespace TrainingApis.Cli.Commands;

/// <summary><c>trainingapis symtrain users import</c> and <c>import-status</c>.</summary>
internal static class UsersImportCommand
{
    /// <summary>What <c>--template</c> writes: the header and one row that passes every check (docs/cli.md shows it).</summary>
    internal static readonly string Template =
        string.Join(",", BulkImportCsv.Columns) + "\n" + "Ada,Lovelace,ada@example.com,ada@example.com,trainee,Sales,ACTIVE,Add\n";

    public static Command BuildImport(CliHost host)
    {
        var file = new Argument<string?>("FILE") { Description = "The CSV file: header firstName,lastName,username,email,role,teamName,status,action.", Arity = ArgumentArity.ZeroOrOne };
        var template = new Option<bool>("--template") { Description = "Write a minimal import file (the header and an example row) on standard output, and stop: trainingapis symtrain users import --template > users.csv" };
        var organization = CommonOptions.Organization();
        var dryRun = new Option<bool>("--dry-run") { Description = "Check the file and say what would be uploaded; send nothing." };
        var wait = new Option<bool>("--wait") { Description = "Follow each import task until COMPLETED or FAILED." };
        var yes = new Option<bool>("--yes") { Description = "Confirm the upload to the real service without a prompt (needed when not interactive)." };
        var command = new Command("import", "Imports users from a CSV file. Every problem of the file is listed with its line before anything is sent (exit code 3); " +
            "files over 750 rows are uploaded as consecutive files.")
        {
            file, organization, dryRun, wait, yes, template,
        }.WithExamples(
            "trainingapis symtrain users import --template --sandbox",
            "trainingapis symtrain users import users.csv --dry-run --sandbox",
            "trainingapis symtrain users import users.csv --wait --yes --sandbox");

        CliApp.SetAction(command, host, async (parse, cancellationToken) =>
        {
            if (parse.GetValue(template))
            {
                host.Out.Write(Template);
                return ExitCodes.Ok;
            }

            var path = host.FullPath(parse.GetValue(file) ?? throw CliException.Usage("Name the CSV file to import (or add --template to get one to fill in)."));
            if (!File.Exists(path))
            {
                throw CliException.Usage($"There is no file '{host.Display(path)}'.");
            }

            var json = parse.GetValue(CommonOptions.Json);
            var input = await UserImportFile.ReadAsync(path, cancellationToken).ConfigureAwait(false);
            if (input.Problems.Count > 0)
            {
                CliOutput.Status(host, $"{Path.GetFileName(path)}: {input.Problems.Count} problem(s); nothing was sent.");
                foreach (var problem in input.Problems)
                {
                    host.Error.WriteLine($"  {problem}");
                }

                if (json)
                {
                    CliOutput.Json(host, w => WriteProblems(w, host.Display(path), input));
                }

                return ExitCodes.InvalidInput;
            }

            var summary = string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(path)}: {input.Rows.Count} row(s), all valid; {input.Uploads} upload(s) of at most {BulkImportCsv.MaxRowsPerFile} rows");
            if (parse.GetValue(dryRun))
            {
                CliOutput.Status(host, summary + ". Dry run: nothing was sent.");
                if (json)
                {
                    CliOutput.Json(host, w =>
                    {
                        w.WriteStartObject();
                        w.WriteString("file", host.Display(path));
                        w.WriteNumber("rows", input.Rows.Count);
                        w.WriteNumber("uploads", input.Uploads);
                        w.WriteBoolean("dryRun", true);
                        w.WriteEndObject();
                    });
                }

                return ExitCodes.Ok;
            }

            await using var connection = await SymtrainConnection.OpenAsync(host, parse.GetValue(CommonOptions.Sandbox), cancellationToken).ConfigureAwait(false);
            var organizationId = connection.RequireOrganization(parse.GetValue(organization));
            if (connection.Sandbox is null && !parse.GetValue(yes))
            {
                var question = $"Import {input.Rows.Count} user(s) into organization {organizationId} at {connection.Options.BaseAddress}?";
                if (host.Confirm is null)
                {
                    throw CliException.Usage($"{question} Add --yes to confirm when not running interactively.");
                }

                if (!host.Confirm(question))
                {
                    CliOutput.Status(host, "Nothing was sent.");
                    return ExitCodes.Cancelled;
                }
            }

            CliOutput.Status(host, $"{summary}, to organization {organizationId} on {connection.Description}.");
            var pollEvery = host.BulkImportPollInterval ?? (connection.Sandbox is null ? connection.Options.BulkImportPollInterval : CliSandbox.PollInterval);
            var uploads = new List<(BulkImportResult Result, BulkImportStatus? Status)>();
            var sending = false;
            try
            {
                // One progress view for the uploads and the tasks they start, watching the quota: its waits are shown.
                await ProgressView.RunAsync(host, connection.Quota, async view =>
                {
                    var line = view.Add("uploads", input.Uploads);
                    sending = true;
                    await foreach (var result in connection.Client.Users.BulkImportInBatchesAsync(organizationId, input.Rows, cancellationToken).ConfigureAwait(false))
                    {
                        sending = false;
                        var number = uploads.Count + 1;
                        line.Step($"upload {number}/{input.Uploads} ({RowSpan(number, input.Rows.Count)}): task {result.TaskId ?? "(none)"}, {CliOutput.Count(result.ValidUsersCount)} accepted, {CliOutput.Count(result.InvalidUsersCount)} refused by the server");
                        foreach (var rejected in result.Errors)
                        {
                            view.Problem($"  row {rejected.Row?.ToString(CultureInfo.InvariantCulture) ?? "?"} of upload {number}: {string.Join("; ", rejected.Errors)}");
                        }

                        uploads.Add((result, null));

                        // Counts go through long? so that this holds whether the model's counts are int or int?.
                        if (parse.GetValue(wait) && result.TaskId is { Length: > 0 } taskId)
                        {
                            var status = await FollowAsync(connection, organizationId, taskId, Math.Max(1L, (long?)result.ValidUsersCount ?? 1), pollEvery, view, cancellationToken).ConfigureAwait(false);
                            uploads[^1] = (result, status);
                        }

                        sending = uploads.Count < input.Uploads;
                    }

                    line.Done($"{uploads.Count}/{input.Uploads} upload(s) sent");
                    return uploads.Count;
                }).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                if (json)
                {
                    CliOutput.Json(host, w => WriteResult(w, host.Display(path), input, organizationId, uploads, cancelled: true));
                }

                throw new CliException(ExitCodes.Cancelled, CancelledMessage(uploads, input, sending));
            }

            if (json)
            {
                CliOutput.Json(host, w => WriteResult(w, host.Display(path), input, organizationId, uploads, cancelled: false));
            }
            else
            {
                CliOutput.Table(host, ["Task", "Accepted", "Refused", "Status"], uploads.Select(u => (IReadOnlyList<string>)[
                    u.Result.TaskId ?? "(none)",
                    CliOutput.Count(u.Result.ValidUsersCount),
                    CliOutput.Count(u.Result.InvalidUsersCount),
                    u.Status?.RawStatus ?? (u.Result.HasTask ? "uploaded" : "-")]));
            }

            // Rows were checked locally, so a row the server refuses, or a FAILED task, is the service's failure.
            var failed = uploads.Count(u => u.Status?.Status == BulkImportState.Failed || (long?)u.Result.InvalidUsersCount > 0 || u.Result.Errors.Count > 0);
            return failed == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    public static Command BuildStatus(CliHost host)
    {
        var task = new Argument<string>("TASK") { Description = "The task id an import printed." };
        var organization = CommonOptions.Organization();
        var command = new Command("import-status", "Shows the state of a bulk import task: SCHEDULED, STARTED, COMPLETED or FAILED.")
        {
            task, organization,
        }.WithExamples(
            "trainingapis symtrain users import-status <task-id> --organization <organization-id>");
        CliApp.SetAction(command, host, async (parse, cancellationToken) =>
        {
            await using var connection = await SymtrainConnection.OpenAsync(host, parse.GetValue(CommonOptions.Sandbox), cancellationToken).ConfigureAwait(false);
            var organizationId = connection.RequireOrganization(parse.GetValue(organization));
            var status = await connection.Client.Users.GetBulkImportStatusAsync(organizationId, parse.GetRequiredValue(task), cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(CommonOptions.Json))
            {
                CliOutput.Json(host, w => WriteStatus(w, status));
            }
            else
            {
                host.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{status.TaskId ?? parse.GetRequiredValue(task)}: {status.RawStatus ?? "?"}{(status.ProcessedCount is { } n ? $", {n} processed" : string.Empty)}{(status.ErrorMessage is { } e ? $" ({e})" : string.Empty)}"));
            }

            return status.Status == BulkImportState.Failed ? ExitCodes.Failure : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The data rows (1 = the first row under the header) upload <paramref name="number"/> carries.</summary>
    private static string RowSpan(int number, int rows)
    {
        var first = ((number - 1) * BulkImportCsv.MaxRowsPerFile) + 1;
        var last = Math.Min(number * BulkImportCsv.MaxRowsPerFile, rows);
        return string.Create(CultureInfo.InvariantCulture, $"rows {first}–{last}");
    }

    /// <summary>What a cancelled import sent, and what it did not: the administrator must know which rows to send again.</summary>
    private static string CancelledMessage(List<(BulkImportResult Result, BulkImportStatus? Status)> uploads, UserImportFile input, bool sending)
    {
        var sent = uploads.Count;
        var text = new System.Text.StringBuilder(string.Create(CultureInfo.InvariantCulture, $"Cancelled: {sent} of {input.Uploads} upload(s) sent"));
        if (sent > 0)
        {
            var last = Math.Min(sent * BulkImportCsv.MaxRowsPerFile, input.Rows.Count);
            text.Append(CultureInfo.InvariantCulture, $" (rows 1–{last}), task id(s) {string.Join(", ", uploads.Select(u => u.Result.TaskId ?? "(none)"))}");
        }

        text.Append(sent < input.Uploads ? "; the rest was not sent." : "; every upload was sent (only following the tasks was stopped: see import-status).");
        if (sending && sent < input.Uploads)
        {
            text.Append(CultureInfo.InvariantCulture, $" Upload {sent + 1} ({RowSpan(sent + 1, input.Rows.Count)}) was stopped before its answer: it may have reached the service; check the organization's users before sending those rows again.");
        }

        return text.ToString();
    }

    private static void WriteResult(Utf8JsonWriter w, string file, UserImportFile input, string organizationId, List<(BulkImportResult Result, BulkImportStatus? Status)> uploads, bool cancelled)
    {
        w.WriteStartObject();
        w.WriteString("file", file);
        w.WriteNumber("rows", input.Rows.Count);
        w.WriteString("organization", organizationId);
        if (cancelled)
        {
            w.WriteBoolean("cancelled", true);
            w.WriteNumber("uploadsPlanned", input.Uploads);
        }

        w.WriteStartArray("uploads");
        foreach (var (result, status) in uploads)
        {
            w.WriteStartObject();
            w.WriteString("taskId", result.TaskId);
            CliOutput.WriteCount(w, "validUsersCount", result.ValidUsersCount);
            CliOutput.WriteCount(w, "invalidUsersCount", result.InvalidUsersCount);
            w.WriteNumber("rejectedRows", result.Errors.Count);
            if (status is not null)
            {
                w.WriteString("status", status.RawStatus);
                w.WriteString("errorMessage", status.ErrorMessage);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static async Task<BulkImportStatus> FollowAsync(
        SymtrainConnection connection, string organizationId, string taskId, long total, TimeSpan pollEvery, ProgressView view, CancellationToken cancellationToken)
    {
        var line = view.Add($"task {taskId}", (int)Math.Min(int.MaxValue, total));
        string? last = null;
        while (true)
        {
            var status = await connection.Client.Users.GetBulkImportStatusAsync(organizationId, taskId, cancellationToken).ConfigureAwait(false);
            line.SetValue(status.ProcessedCount ?? 0);
            var text = string.Create(CultureInfo.InvariantCulture, $"{status.RawStatus ?? "?"}{(status.ProcessedCount is { } n ? $" ({n}/{total})" : string.Empty)}");
            if (status.IsFinished)
            {
                line.Done(status.Status == BulkImportState.Completed ? text : $"{text}: {status.ErrorMessage ?? "no reason given"}");
                return status;
            }

            if (text != last)
            {
                line.Step(text, steps: 0);
                last = text;
            }

            await Task.Delay(pollEvery, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void WriteProblems(Utf8JsonWriter w, string path, UserImportFile input)
    {
        w.WriteStartObject();
        w.WriteString("file", path);
        w.WriteBoolean("valid", false);
        w.WriteStartArray("problems");
        foreach (var problem in input.Problems)
        {
            w.WriteStartObject();
            if (problem.Line is { } line)
            {
                w.WriteNumber("line", line);
            }
            else
            {
                w.WriteNull("line");
            }

            w.WriteString("field", problem.Field);
            w.WriteString("message", problem.Message);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteStatus(Utf8JsonWriter w, BulkImportStatus status)
    {
        w.WriteStartObject();
        w.WriteString("taskId", status.TaskId);
        w.WriteString("status", status.RawStatus);
        if (status.ProcessedCount is { } processed)
        {
            w.WriteNumber("processedCount", processed);
        }

        w.WriteString("errorMessage", status.ErrorMessage);
        w.WriteEndObject();
    }
}
