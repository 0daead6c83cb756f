namespace TrainingApis.Cli;

/// <summary>The tool's exit codes (docs/cli.md lists them).</summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Ok = 0;

    /// <summary>The API refused or failed, the network failed, a file could not be written, or a bulk import FAILED.</summary>
    public const int Failure = 1;

    /// <summary>The command line is wrong: unknown or missing option, a value that does not parse, no credentials.</summary>
    public const int Usage = 2;

    /// <summary>The data is invalid: a row of the import file, a value the API's rules refuse (checked before sending).</summary>
    public const int InvalidInput = 3;

    /// <summary>Cancelled with Ctrl+C or SIGTERM (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}
