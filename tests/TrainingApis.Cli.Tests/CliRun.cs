using TrainingApis.Cli.Hosting;
using TrainingApis.Sandbox;

namespace TrainingApis.Cli.Tests;

/// <summary>Runs the tool in process, as its entry point does, with redirected output and a recording transport.</summary>
internal sealed class CliRun
{
    private readonly TrainingSandbox? _sandbox;

    public CliRun(TrainingSandbox? sandbox, string? folder = null)
    {
        _sandbox = sandbox;
        Folder = folder ?? Directory.CreateTempSubdirectory("trainingapis-cli-").FullName;
    }

    /// <summary>The current folder of the run (a fresh temp folder by default).</summary>
    public string Folder { get; }

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public RecordingHandler Transport { get; private set; } = new(new SocketsHttpHandler());

    public Func<string, bool>? Confirm { get; set; }

    public Func<string, string?>? ReadSecret { get; set; }

    public Action<TrainingApis.Core.ApiClientOptions>? ConfigureClient { get; set; }

    public Action<RecordedRequest>? BeforeSend { get; set; }

    public async Task<CliResult> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var bytes = new MemoryStream();
        Transport = new RecordingHandler(new SocketsHttpHandler()) { BeforeSend = BeforeSend };
        var transport = Transport;
        var host = new CliHost
        {
            Out = output,
            OpenStandardOutput = () => bytes,
            Error = error,
            IsTerminal = false,
            IsInteractive = false,
            CurrentDirectory = Folder,
            GetEnvironmentVariable = name => Environment.GetValueOrDefault(name),
            Confirm = Confirm,
            ReadSecret = ReadSecret,
            ConfigureClient = ConfigureClient,
            CreateTransport = () => transport,
            StartSandbox = (_, _) => Task.FromResult(new SandboxLease(_sandbox ?? throw new InvalidOperationException("This run has no sandbox."), owned: false)),
            BulkImportPollInterval = TimeSpan.FromMilliseconds(20),
        };
        var exitCode = await CliApp.RunAsync(args, host, cancellationToken);
        return new CliResult(exitCode, output.ToString(), error.ToString(), transport) { OutBytes = bytes.ToArray() };
    }

    public string PathOf(params string[] parts) => Path.Combine([Folder, .. parts]);
}

internal sealed record CliResult(int ExitCode, string Out, string Error, RecordingHandler Transport)
{
    /// <summary>What was streamed to standard output as bytes (<c>--out -</c>).</summary>
    public byte[] OutBytes { get; init; } = [];

    public override string ToString() => $"exit {ExitCode}\n--- out\n{Out}\n--- error\n{Error}";
}
