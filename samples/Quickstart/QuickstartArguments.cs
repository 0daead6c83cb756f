namespace Quickstart;

/// <summary>The command line: <c>[--allow-writes] [--sandbox] [--help]</c>.</summary>
internal sealed record QuickstartArguments(bool AllowWrites, bool ForceSandbox, bool ShowHelp)
{
    public const string Usage = """
        Usage: dotnet run --project samples/Quickstart [-- options]

        Walks through every call of Symtrain.Client and Senar.Client. An API without credentials is served by the
        embedded TrainingApis sandbox (started on a free loopback port and stopped at the end).

        Options:
          --allow-writes   With real credentials, also run the calls that change data (assign/unassign a simulation,
                           create and bulk-import a user, add a user to a Senar collection, register a webhook).
                           Without it they are skipped. The sandbox always runs them.
          --sandbox        Use the embedded sandbox for both APIs even when credentials are configured.
          --help           Show this text.

        Credentials (environment or appsettings.json next to the program):
          SYMTRAIN_API_KEY                     or Symtrain:ApiKey
          SENAR_USERNAME and SENAR_PASSWORD    or Senar:Username and Senar:Password
        Ids for the real services: Quickstart:OrganizationId, UserId, SimulationId, SimulationTag, NewUserEmail,
        SenarCollectionId, WebhookUrl (environment: Quickstart__OrganizationId, ...).

        The first call to a real service waits at most Quickstart:ProbeTimeout (default 00:00:10), without retries.

        Exit codes: 0 every call succeeded; 1 a call failed; 2 bad arguments or settings; 3 a service could not be
        reached (the tour stops at the first network failure: refused connection, unknown host, timeout); 130 cancelled.
        """;

    /// <summary>Reads the arguments; <paramref name="error"/> names the first one not understood.</summary>
    public static QuickstartArguments Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        bool allowWrites = false, forceSandbox = false, help = false;
        foreach (var arg in args)
        {
            switch (arg)
            {
                case "--allow-writes":
                    allowWrites = true;
                    break;
                case "--sandbox":
                    forceSandbox = true;
                    break;
                case "--help" or "-h" or "-?":
                    help = true;
                    break;
                default:
                    error ??= $"Unknown argument '{arg}'.";
                    break;
            }
        }

        return new QuickstartArguments(allowWrites, forceSandbox, help);
    }
}
