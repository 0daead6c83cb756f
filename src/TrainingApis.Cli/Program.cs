using System.Runtime.InteropServices;
using Spectre.Console;
using TrainingApis.Cli;
using TrainingApis.Cli.Hosting;

// Ctrl+C and SIGTERM cancel the command: exports remove their unfinished files and exit with 130.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C stops cleanly; a second one ends the process at once.
    e.Cancel = !cancellation.IsCancellationRequested;
    cancellation.Cancel();
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    cancellation.Cancel();
});

// Prompts go to standard error, so that standard output stays the result (e.g. --json > result.json).
var interactive = !Console.IsInputRedirected && !Console.IsErrorRedirected;
var prompts = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
var host = new CliHost
{
    Out = Console.Out,
    Error = Console.Error,
    IsTerminal = !Console.IsErrorRedirected,
    IsInteractive = interactive,
    ReadSecret = interactive ? prompt => TrainingApis.Cli.Output.SecretPrompt.Ask(prompts, prompt) : null,
    Confirm = interactive ? question => prompts.Confirm(question, defaultValue: false) : null,
};

return await CliApp.RunAsync(args, host, cancellation.Token);
