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
    /// <summary>
    /// Parses <paramref name="args"/> and runs the command; returns the exit code. Never throws: a failure nobody
    /// foresaw is reported in one line and ends with exit code 1 (<see cref="ExitCodes.Failure"/>), never a stack trace.
    /// With <c>--json</c>, a failure that wrote no result writes <c>{"error": {"exitCode": n, "message": "…"}}</c> on
    /// standard output.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, CliHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(host);
        int exitCode;
        try
        {
            exitCode = await ParseAndInvokeAsync(args, host, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            var (code, message) = Classify(ex, cancellationToken) ?? Unexpected(ex);
            CliOutput.Error(host, message);
            exitCode = code;
        }

        if (exitCode != ExitCodes.Ok && !host.JsonWritten && WantsJson(args))
        {
            CliOutput.JsonError(host, exitCode);
        }

        return exitCode;
    }

    /// <summary>The parser's settings: no response files, so a value starting with @ (<c>--user @pansy</c>) is a value.</summary>
    internal static ParserConfiguration ParserConfiguration { get; } = new() { ResponseFileTokenReplacer = null };

    private static async Task<int> ParseAndInvokeAsync(string[] args, CliHost host, CancellationToken cancellationToken)
    {
        var root = BuildRoot(host);
        var parse = root.Parse(args, ParserConfiguration);
        if (parse.Action is ParseErrorAction)
        {
            var secrets = CredentialArguments(parse.Tokens);
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

    /// <summary>Whether the command line asks for <c>--json</c> (also when it does not parse).</summary>
    private static bool WantsJson(string[] args) =>
        args.Any(a => a.Equals("--json", StringComparison.Ordinal) || a.Equals("--json=true", StringComparison.OrdinalIgnoreCase) || a.Equals("--json:true", StringComparison.OrdinalIgnoreCase));

    /// <summary>The last resort: a failure no rule classifies. One line, the kind and its message; no stack trace.</summary>
    internal static (int ExitCode, string Message) Unexpected(Exception ex) =>
        (ExitCodes.Failure, $"Unexpected failure ({ex.GetType().Name}): {ex.Message} Please report it with the command line (without credentials).");

    /// <summary>
    /// The tokens of an unknown option that looks like a credential (<c>--password X</c>, <c>--api_key=X</c>,
    /// <c>-p X</c>, <c>--Bearer X</c>…) and the value after it, so that no error message repeats them. The parser may
    /// have taken either for an argument (<c>import --key X</c>: FILE = "--key"), so every token that is not a known
    /// option or command is searched.
    /// </summary>
    private static List<string> CredentialArguments(IReadOnlyList<System.CommandLine.Parsing.Token> tokens)
    {
        var secrets = new List<string>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var match = OptionToken().Match(tokens[i].Value);
            if (tokens[i].Type != System.CommandLine.Parsing.TokenType.Argument || !match.Success || !LooksLikeCredential(match.Groups["name"].Value))
            {
                continue;
            }

            secrets.Add(tokens[i].Value);
            if (match.Groups["value"].Success)
            {
                secrets.Add(match.Groups["value"].Value[1..]);
            }
            else if (i + 1 < tokens.Count)
            {
                secrets.Add(tokens[i + 1].Value);
            }
        }

        return [.. secrets.Where(s => s.Length > 0).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>A name that is or holds a credential word, in any spelling (case, '-', '_', '.'), or the usual short <c>-p</c>.</summary>
    internal static bool LooksLikeCredential(string name)
    {
        var plain = new string([.. name.Where(char.IsAsciiLetterOrDigit)]).ToLowerInvariant();
        return plain == "p" || CredentialWords.Any(word => plain.Contains(word, StringComparison.Ordinal));
    }

    private static readonly string[] CredentialWords = ["pass", "pwd", "key", "token", "secret", "auth", "bearer", "cred", "cookie", "session"];

    [System.Text.RegularExpressions.GeneratedRegex(@"^(--?|/)(?<name>[A-Za-z][A-Za-z0-9_.-]*)(?<value>[=:].*)?$", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex OptionToken();

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
            catch (Exception ex)
            {
                var (exitCode, message) = Classify(ex, cancellationToken) ?? Unexpected(ex);
                CliOutput.Error(host, message);
                return exitCode;
            }
        });

    /// <summary>The exit code and message of a failure; null for one no rule knows (<see cref="Unexpected"/> reports it).</summary>
    internal static (int ExitCode, string Message)? Classify(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        CliException cli => (cli.ExitCode, cli.Message),
        OperationCanceledException when cancellationToken.IsCancellationRequested => (ExitCodes.Cancelled, "Cancelled."),
        BulkImportValidationException invalid => (ExitCodes.InvalidInput, string.Join(Environment.NewLine, invalid.Errors.Select(e => e.ToString()))),
        UserAssignmentValidationException invalid => (ExitCodes.InvalidInput, string.Join(Environment.NewLine, invalid.Errors.Select(e => SettingNames.Describe(e)))),
        ArgumentException invalid => (ExitCodes.InvalidInput, SettingNames.ForAdministrators(invalid)),
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
