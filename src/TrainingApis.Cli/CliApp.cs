using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Senar.Client.Users;
using Symtrain.Client.Users;
using TrainingApis.Cli.Commands;
using TrainingApis.Cli.Hosting;
using TrainingApis.Cli.Output;
using TrainingApis.Core;

namespace TrainingApis.Cli;

/// <summary>The command tree, parsing and invocation, and the mapping of failures to exit codes.</summary>
internal static class CliApp
{
    /// <summary>Parses <paramref name="args"/> and runs the command; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, CliHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(host);
        var root = BuildRoot(host);
        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            foreach (var error in parse.Errors)
            {
                CliOutput.Error(host, error.Message);
            }

            host.Error.WriteLine($"See '{string.Join(' ', CommandPath(parse.CommandResult.Command))} --help'.");
            return ExitCodes.Usage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = host.Out,
            Error = host.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null, // Program owns Ctrl+C and SIGTERM: they cancel the token.
        };
        return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }

    internal static RootCommand BuildRoot(CliHost host)
    {
        var root = new RootCommand(
            "trainingapis: exports, imports, deep links and webhooks of the Symtrain and Senar APIs, without writing code.\n" +
            "Credentials come from the environment (SYMTRAIN_API_KEY, SENAR_USERNAME, SENAR_PASSWORD) or trainingapis.json, never from the command line.\n" +
            "Exit codes: 0 ok, 1 API or network failure, 2 usage, 3 invalid input, 130 cancelled.")
            .WithExamples(
                "trainingapis symtrain reports export --report all --from 2024-01-01 --to 2025-12-31 --out reports --sandbox",
                "trainingapis senar activities export --out activities.csv --sandbox");
        root.Options.Add(CommonOptions.Sandbox);
        root.Options.Add(CommonOptions.Json);
        root.Subcommands.Add(SymtrainCommands.Build(host));
        root.Subcommands.Add(SenarCommands.Build(host));
        root.Subcommands.Add(SandboxCommand.Build(host));
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new ExamplesHelpAction((HelpAction)help.Action!);
        return root;
    }

    /// <summary>Sets a command's action, with every failure reported in one message and mapped to its exit code.</summary>
    internal static void SetAction(Command command, CliHost host, Func<ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await action(parse, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (Classify(ex, cancellationToken) is { } failure)
            {
                CliOutput.Error(host, failure.Message);
                return failure.ExitCode;
            }
        });

    /// <summary>The exit code and message of a failure; null for a bug (it propagates with its stack trace).</summary>
    internal static (int ExitCode, string Message)? Classify(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        CliException cli => (cli.ExitCode, cli.Message),
        OperationCanceledException when cancellationToken.IsCancellationRequested => (ExitCodes.Cancelled, "Cancelled. Files not finished were removed (an export can be continued with --resume)."),
        BulkImportValidationException invalid => (ExitCodes.InvalidInput, string.Join(Environment.NewLine, invalid.Errors.Select(e => e.ToString()))),
        UserAssignmentValidationException invalid => (ExitCodes.InvalidInput, string.Join(Environment.NewLine, invalid.Errors.Select(e => e.ToString()))),
        ArgumentException invalid => (ExitCodes.InvalidInput, invalid.Message),
        ApiException api => (ExitCodes.Failure, api.Message),
        TimeoutException timeout => (ExitCodes.Failure, timeout.Message),
        HttpRequestException network => (ExitCodes.Failure, $"Network failure: {network.Message}"),
        IOException io => (ExitCodes.Failure, $"File error: {io.Message}"),
        UnauthorizedAccessException access => (ExitCodes.Failure, $"File error: {access.Message}"),
        _ => null,
    };

    private static IEnumerable<string> CommandPath(Command command)
    {
        var names = new List<string>();
        for (Symbol? symbol = command; symbol is Command current; symbol = current.Parents.FirstOrDefault())
        {
            names.Add(current is RootCommand ? "trainingapis" : current.Name);
        }

        names.Reverse();
        return names;
    }
}
