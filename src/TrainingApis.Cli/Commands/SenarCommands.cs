using System.CommandLine;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Senar.Client.Users;
using Senar.Client.Webhooks;
using TrainingApis.Cli.Export;
using TrainingApis.Cli.Hosting;
using TrainingApis.Cli.Output;

namespace TrainingApis.Cli.Commands;

/// <summary><c>trainingapis senar …</c>.</summary>
internal static class SenarCommands
{
    public const string NewUserPasswordVariable = "SENAR_NEW_USER_PASSWORD";

    public static Command Build(CliHost host) => new Command("senar", "Senar: activities, users and webhooks.")
    {
        new Command("activities", "Senar training activities.") { BuildActivitiesExport(host) }
            .WithExamples("trainingapis senar activities export --out activities.jsonl --sandbox"),
        new Command("users", "Senar users.") { BuildUsersExport(host), BuildUsersAssign(host) }
            .WithExamples("trainingapis senar users export --out users.csv --sandbox"),
        new Command("webhooks", "Senar webhooks.") { BuildWebhooksRegister(host) }
            .WithExamples("trainingapis senar webhooks register --url https://hooks.example.com/senar --event user --sandbox"),
    }.WithExamples(
        "trainingapis senar activities export --out activities.csv --sandbox",
        "trainingapis senar users export --out users.csv --sandbox");

    private static Command BuildActivitiesExport(CliHost host)
    {
        var output = CommonOptions.Required("--out", "The file to write: a new file, or an existing regular file with --overwrite (replaced when the export is complete, keeping its permissions); - for standard output.");
        var format = CommonOptions.Format("csv or jsonl (lossless). Default: jsonl for a .jsonl or .ndjson file, else csv.");
        var sinceId = CommonOptions.OptionalInteger("--since-id", "Only activities with an id above N (the API has no filter: the whole list is still read, and filtered here).", 0, int.MaxValue);
        var overwrite = Overwrite();
        var command = new Command("export", "Exports every Senar activity, streamed to disk.")
        {
            output, format, sinceId, overwrite,
        }.WithExamples(
            "trainingapis senar activities export --out activities.csv --since-id 80500 --sandbox");
        CliApp.SetAction(command, host, async (parse, cancellationToken) =>
        {
            var (target, exportFormat) = Target(host, parse, output, format, overwrite);
            var after = parse.GetValue(sinceId);
            await using var connection = await SenarConnection.OpenAsync(host, parse.GetValue(CommonOptions.Sandbox), cancellationToken).ConfigureAwait(false);
            CliOutput.Status(host, $"Exporting Senar activities{(after is { } id ? $" with an id above {id}" : string.Empty)} from {connection.Description}");
            var rows = Select(connection.Client.Activities.StreamAsync(cancellationToken), a => after is null || a.Id > after, cancellationToken);
            return await ExportAsync(host, parse, "activities", rows, target, exportFormat, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Command BuildUsersExport(CliHost host)
    {
        var output = CommonOptions.Required("--out", "The file to write: a new file, or an existing regular file with --overwrite (replaced when the export is complete, keeping its permissions); - for standard output.");
        var format = CommonOptions.Format("csv or jsonl (lossless). Default: jsonl for a .jsonl or .ndjson file, else csv.");
        var overwrite = Overwrite();
        var command = new Command("export", "Exports every Senar user, streamed to disk.")
        {
            output, format, overwrite,
        }.WithExamples(
            "trainingapis senar users export --out users.csv --sandbox");
        CliApp.SetAction(command, host, async (parse, cancellationToken) =>
        {
            var (target, exportFormat) = Target(host, parse, output, format, overwrite);
            await using var connection = await SenarConnection.OpenAsync(host, parse.GetValue(CommonOptions.Sandbox), cancellationToken).ConfigureAwait(false);
            CliOutput.Status(host, $"Exporting Senar users from {connection.Description}");
            var rows = Select(connection.Client.Users.StreamAsync(cancellationToken), _ => true, cancellationToken);
            return await ExportAsync(host, parse, "users", rows, target, exportFormat, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Command BuildUsersAssign(CliHost host)
    {
        var email = CommonOptions.Required("--email", "The user's email (the Senar login).");
        var firstName = CommonOptions.Required("--first-name", "The user's first name.");
        var lastName = CommonOptions.Required("--last-name", "The user's last name.");
        var organization = CommonOptions.Required("--organization", "The user's organization (company) name.");
        var collection = CommonOptions.Integer("--collection", "The id of a collection your account owns.", 1, int.MaxValue, required: true);
        var command = new Command("assign", $"Creates the user if needed and assigns a collection. The new user's password comes from {NewUserPasswordVariable}, or a prompt without echo; never from the command line. Senar requires one on every assign, even for an existing user (the vendor's rule).")
        {
            email, firstName, lastName, organization, collection,
        }.WithExamples(
            $"{NewUserPasswordVariable}=Welcome2024 trainingapis senar users assign --email ada@example.com --first-name Ada --last-name Lovelace --organization Acme --collection 41 --sandbox");
        CliApp.SetAction(command, host, async (parse, cancellationToken) =>
        {
            var password = host.GetEnvironmentVariable(NewUserPasswordVariable) is { Length: > 0 } fromEnvironment
                ? fromEnvironment
                : host.ReadSecret?.Invoke("Password for the new user")
                    ?? throw CliException.Usage($"No password for the new user: set {NewUserPasswordVariable} (it is never taken from the command line).");
            var request = new UserAssignment
            {
                Email = parse.GetRequiredValue(email),
                FirstName = parse.GetRequiredValue(firstName),
                LastName = parse.GetRequiredValue(lastName),
                Organization = parse.GetRequiredValue(organization),
                CollectionId = parse.GetValue(collection),
                Password = password,
            };
            await using var connection = await SenarConnection.OpenAsync(host, parse.GetValue(CommonOptions.Sandbox), cancellationToken).ConfigureAwait(false);
            var result = await connection.Client.Users.AssignCollectionAsync(request, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(CommonOptions.Json))
            {
                CliOutput.Json(host, w =>
                {
                    w.WriteStartObject();
                    w.WriteBoolean("succeed", result.Succeed);
                    w.WriteString("email", result.Email);
                    CliOutput.WriteCount(w, "collectionId", result.CollectionId);
                    w.WriteBoolean("isNewUser", result.IsNewUser);
                    w.WriteString("message", result.Message);
                    w.WriteEndObject();
                });
            }
            else
            {
                host.Out.WriteLine(result.Succeed
                    ? $"{result.Email ?? request.Email}: collection {result.CollectionId} assigned ({(result.IsNewUser ? "new user" : "existing user")})."
                    : $"{request.Email}: not assigned{(result.Message is { } m ? $" ({m})" : string.Empty)}.");
            }

            return result.Succeed ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    private static Command BuildWebhooksRegister(CliHost host)
    {
        var url = CommonOptions.Required("--url", "The address Senar will POST to: an absolute https URL to a public host (no localhost, private or link-local addresses, no user:password@), at most 2,048 characters, spaces encoded as %20. The same rule applies with --sandbox.");
        var webhookEvent = new Option<string>("--event") { Description = "activity (a training activity is recorded) or user (a user is created).", Required = true };
        webhookEvent.AcceptOnlyFromAmong("activity", "user");
        var command = new Command("register", "Registers a webhook. Senar publishes no way to remove one: keep the id printed.")
        {
            url, webhookEvent,
        }.WithExamples(
            "trainingapis senar webhooks register --url https://hooks.example.com/senar --event activity --sandbox");
        CliApp.SetAction(command, host, async (parse, cancellationToken) =>
        {
            var kind = parse.GetRequiredValue(webhookEvent) == "user" ? SenarWebhookEvent.User : SenarWebhookEvent.Activity;
            var hookUrl = HookUrl(parse.GetRequiredValue(url));
            await using var connection = await SenarConnection.OpenAsync(host, parse.GetValue(CommonOptions.Sandbox), cancellationToken).ConfigureAwait(false);
            var registration = await connection.Client.Webhooks.RegisterAsync(hookUrl, kind, cancellationToken).ConfigureAwait(false);
            var sent = HookUrlRules.ToSent(hookUrl); // what Senar was given: an IDN host in its ASCII form
            if (parse.GetValue(CommonOptions.Json))
            {
                CliOutput.Json(host, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("id", registration.Id);
                    w.WriteString("event", kind.ToString().ToLowerInvariant());
                    w.WriteString("url", sent);
                    w.WriteEndObject();
                });
            }
            else
            {
                host.Out.WriteLine($"Webhook {registration.Id} registered: {kind.ToString().ToLowerInvariant()} events to {sent}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The <c>--out</c> file (checked before anything is requested), or null for standard output (<c>--out -</c>), and the format.</summary>
    private static (string? Target, ExportFormat Format) Target(CliHost host, ParseResult parse, Option<string> output, Option<string?> format, Option<bool> overwrite)
    {
        var value = parse.GetRequiredValue(output);
        if (value == "-")
        {
            return parse.GetValue(CommonOptions.Json)
                ? throw CliException.Usage("--out - writes the rows on standard output, so --json cannot: leave one out.")
                : (null, Format(parse.GetValue(format), "-"));
        }

        var target = host.FullPath(value);
        ExportFiles.RequireFileTarget(target, host.Display(target), parse.GetValue(overwrite));
        return (target, Format(parse.GetValue(format), target));
    }

    private static async Task<int> ExportAsync(CliHost host, ParseResult parse, string name, IAsyncEnumerable<JsonElement> rows, string? target, ExportFormat format, CancellationToken cancellationToken)
    {
        if (target is null)
        {
            // Rows on standard output, progress and the summary on standard error.
            var stdout = host.OpenStandardOutput();
            await using (stdout.ConfigureAwait(false))
            {
                var (rowCount, columnCount) = await ProgressView.RunAsync(host, null, view =>
                    SingleFileExport.WriteAsync(rows, stdout, format, view.Add(name, 1), cancellationToken)).ConfigureAwait(false);
                CliOutput.Status(host, $"{CliOutput.Number(rowCount)} {name}, {columnCount} columns → standard output");
            }

            return ExitCodes.Ok;
        }

        long count;
        int columns;
        try
        {
            (count, columns) = await ProgressView.RunAsync(host, null, async view =>
            {
                var line = view.Add(name, 1);
                var result = await SingleFileExport.WriteAsync(rows, target, format, line, cancellationToken).ConfigureAwait(false);
                line.Done($"{CliOutput.Number(result.Rows)} rows → {Path.GetFileName(target)}");
                return result;
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // This export has no --resume (the API reads the whole list in one answer): say what is on disk.
            var before = File.Exists(target) ? "left as it was" : "not written";
            throw new CliException(ExitCodes.Cancelled, $"Cancelled: '{host.Display(target)}' was {before} (the unfinished copy was removed). Run the command again to export.");
        }

        if (parse.GetValue(CommonOptions.Json))
        {
            CliOutput.Json(host, w =>
            {
                w.WriteStartObject();
                w.WriteString("file", host.Display(target));
                w.WriteString("format", format.ToString().ToLowerInvariant());
                w.WriteNumber("rows", count);
                w.WriteNumber("columns", columns);
                w.WriteEndObject();
            });
        }
        else
        {
            host.Out.WriteLine($"{CliOutput.Number(count)} {name}, {columns} columns → {host.Display(target)}");
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// The <c>--url</c> of a webhook, checked with the SDK's rule for the real service, also with <c>--sandbox</c> (the SDK
    /// lets a loopback Senar call local hosts; the tool teaches what works for real). Never quoted: it may hold a token.
    /// </summary>
    /// <exception cref="CliException">Not an absolute URL, or one Senar may not be asked to call (exit code 3).</exception>
    private static Uri HookUrl(string text)
    {
        // A path ("/hooks", "//host/x") is an absolute file URI to Uri on Unix: not what was meant by an https URL.
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.IsFile && !text.StartsWith("file:", StringComparison.OrdinalIgnoreCase)))
        {
            throw CliException.InvalidInput("--url must be an absolute https URL, such as https://hooks.example.com/senar.");
        }

        return HookUrlRules.GetProblem(uri, allowLocal: false) is { } problem
            ? throw CliException.InvalidInput($"--url: the hook URL {problem}")
            : uri;
    }

    private static Option<bool> Overwrite() => new("--overwrite") { Description = "Replace --out if it exists (it is replaced only once the export is complete)." };

    private static ExportFormat Format(string? option, string target) => option switch
    {
        "csv" => ExportFormat.Csv,
        "jsonl" => ExportFormat.Jsonl,
        _ => ExportFiles.FromExtension(target),
    };

    private static async IAsyncEnumerable<JsonElement> Select<T>(IAsyncEnumerable<T> items, Func<T, bool> keep, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in items.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (keep(item))
            {
                yield return SenarJson.ToJson(item);
            }
        }
    }
}
