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
internal static partial class CliApp
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
            var secrets = CredentialArguments(parse.UnmatchedTokens);
            if (secrets.Count > 0)
            {
                CliOutput.Error(host, "Credentials are never taken from the command line (other processes can read it, and the shell keeps it in its history): " +
                    "set SYMTRAIN_API_KEY, SENAR_USERNAME, SENAR_PASSWORD (or SENAR_NEW_USER_PASSWORD) in the environment, or use trainingapis.json.");
            }

            // An error that quotes a credential the user typed is left out: stderr ends up in logs.
            foreach (var error in parse.Errors.Where(e => !secrets.Any(s => e.Message.Contains(s, StringComparison.Ordinal))))
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

    /// <summary>
    /// The tokens of an unknown option that looks like a credential (<c>--password X</c>, <c>--api-key=X</c>…):
    /// the option and its value, so that no error message repeats them.
    /// </summary>
    private static List<string> CredentialArguments(IReadOnlyList<string> unmatched)
    {
        var secrets = new List<string>();
        for (var i = 0; i < unmatched.Count; i++)
        {
            var match = CredentialOption().Match(unmatched[i]);
            if (!match.Success)
            {
                continue;
            }

            secrets.Add(unmatched[i]);
            if (!match.Groups["value"].Success && i + 1 < unmatched.Count && !unmatched[i + 1].StartsWith('-'))
            {
                secrets.Add(unmatched[++i]);
            }
        }

        return secrets;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^--?[a-z-]*(password|passwd|pwd|api-?key|apikey|token|secret)(?<value>[=:].*)?$", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex CredentialOption();

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
