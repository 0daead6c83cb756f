namespace TrainingApis.Cli;

/// <summary>A problem the tool reports in one message and ends with <see cref="ExitCode"/>; no stack trace is shown.</summary>
internal sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    /// <summary>The command line is wrong (exit code 2).</summary>
    public static CliException Usage(string message) => new(ExitCodes.Usage, message);

    /// <summary>The data is invalid (exit code 3).</summary>
    public static CliException InvalidInput(string message) => new(ExitCodes.InvalidInput, message);
}
