using Spectre.Console;
using TrainingApis.Sandbox;

namespace TrainingApis.Cli.Hosting;

/// <summary>
/// Everything the tool takes from its process: standard output and error, the environment, the current folder, whether a
/// person is at a terminal, prompts, the embedded sandbox and the HTTP transport. <see cref="Program"/> builds the real
/// one; tests build one with redirected writers, a shared sandbox and a counting transport.
/// </summary>
internal sealed class CliHost
{
    private IAnsiConsole? _errorConsole;

    /// <summary>Results: tables, lines, or the <c>--json</c> document.</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Progress, status lines and errors.</summary>
    public required TextWriter Error { get; init; }

    /// <summary>Whether standard error is a terminal: progress bars and colours; otherwise plain lines, no ANSI codes.</summary>
    public bool IsTerminal { get; init; }

    /// <summary>Whether a person can answer prompts (standard input is a terminal).</summary>
    public bool IsInteractive { get; init; }

    /// <summary>Opens standard output as bytes, for <c>--out -</c> (rows streamed, not text lines of <see cref="Out"/>).</summary>
    public Func<Stream> OpenStandardOutput { get; init; } = Console.OpenStandardOutput;

    /// <summary>Reads an environment variable.</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>The folder relative paths and <c>trainingapis.json</c> are found in.</summary>
    public string CurrentDirectory { get; init; } = Environment.CurrentDirectory;

    /// <summary>Asks for a secret without echo; null when nobody can answer.</summary>
    public Func<string, string?>? ReadSecret { get; init; }

    /// <summary>Asks a yes/no question; false when nobody can answer.</summary>
    public Func<string, bool>? Confirm { get; init; }

    /// <summary>Starts the sandbox <c>--sandbox</c> runs against.</summary>
    public Func<TrainingSandboxOptions, CancellationToken, Task<SandboxLease>> StartSandbox { get; init; } =
        async (options, cancellationToken) => new SandboxLease(await TrainingSandbox.StartAsync(options, cancellationToken).ConfigureAwait(false), owned: true);

    /// <summary>Creates the handler that sends requests (under the SDK's pipeline).</summary>
    public Func<HttpMessageHandler> CreateTransport { get; init; } = () => new SocketsHttpHandler
    {
        AutomaticDecompression = System.Net.DecompressionMethods.All,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
    };

    /// <summary>Adjusts the options of every client the tool creates (tests: no retries against a closed port).</summary>
    public Action<TrainingApis.Core.ApiClientOptions>? ConfigureClient { get; init; }

    /// <summary>How often <c>--wait</c> polls a bulk import; the client's setting when null.</summary>
    public TimeSpan? BulkImportPollInterval { get; init; }

    /// <summary>Whether the command wrote its <c>--json</c> document (a failure then writes no error document).</summary>
    public bool JsonWritten { get; internal set; }

    /// <summary>The errors reported so far, for the <c>--json</c> error document.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>Spectre.Console over <see cref="Error"/>: ANSI and colours only on a terminal.</summary>
    public IAnsiConsole ErrorConsole => _errorConsole ??= AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Error),
        Ansi = IsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = IsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = IsInteractive ? InteractionSupport.Detect : InteractionSupport.No,
    });

    /// <summary>A path as the user sees it: relative to <see cref="CurrentDirectory"/> when inside it, else full.</summary>
    public string Display(string path)
    {
        var relative = Path.GetRelativePath(CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }

    /// <summary>Resolves <paramref name="path"/> against <see cref="CurrentDirectory"/>.</summary>
    public string FullPath(string path) => Path.GetFullPath(path, CurrentDirectory);
}
