using System.Diagnostics;
using Senar.Client;
using Symtrain.Client;
using TrainingApis.Sandbox;

namespace Quickstart;

/// <summary>Chooses the backends (real service or embedded sandbox, per API), runs both tours and sets the exit code.</summary>
internal static class QuickstartApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        var arguments = QuickstartArguments.Parse(args, out var argumentError);
        if (argumentError is not null || arguments.ShowHelp)
        {
            (argumentError is null ? Console.Out : Console.Error).WriteLine(argumentError is null ? QuickstartArguments.Usage : $"{argumentError}\n\n{QuickstartArguments.Usage}");
            return argumentError is null ? 0 : 2;
        }

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        var transcript = new Transcript(Console.Out);
        var clock = Stopwatch.StartNew();
        var usedSandbox = false;
        try
        {
            var settings = QuickstartSettings.Load();
            var symtrainIsReal = settings.HasSymtrainCredentials && !arguments.ForceSandbox;
            var senarIsReal = settings.HasSenarCredentials && !arguments.ForceSandbox;
            transcript.Line("TrainingApis Quickstart: every call of Symtrain.Client and Senar.Client");

            await using var sandbox = symtrainIsReal && senarIsReal ? null : await StartSandboxAsync(cancellation.Token);
            var symtrainOptions = symtrainIsReal ? settings.CreateSymtrainOptions() : SandboxSymtrainOptions(sandbox!);
            var senarOptions = senarIsReal ? settings.CreateSenarOptions() : SandboxSenarOptions(sandbox!);
            using var symtrainClient = new SymtrainClient(symtrainOptions);   // validates the options: ArgumentException naming each bad one
            using var senarClient = new SenarClient(senarOptions);

            // A real service's first call has a short bound and no retries: one that never answers stops the tour in seconds.
            var probeTimeout = settings.ProbeTimeout;
            using var symtrainProbe = symtrainIsReal ? new SymtrainClient(settings.CreateSymtrainProbeOptions()) : null;
            using var senarProbe = senarIsReal ? new SenarClient(settings.CreateSenarProbeOptions()) : null;

            var symtrain = symtrainIsReal
                ? new SymtrainTarget(symtrainClient, $"{symtrainOptions.BaseAddress} (SYMTRAIN_API_KEY is set)", IsSandbox: false, arguments.AllowWrites)
                {
                    Probe = symtrainProbe,
                    OrganizationId = settings.OrganizationId,
                    UserId = settings.UserId,
                    SimulationId = settings.SimulationId,
                    SimulationTag = settings.SimulationTag,
                    NewUserEmail = settings.NewUserEmail,
                }
                : new SymtrainTarget(symtrainClient, $"the embedded sandbox at {sandbox!.BaseAddress} ({NoCredentials(arguments, "SYMTRAIN_API_KEY")})", IsSandbox: true, AllowWrites: true)
                {
                    OrganizationId = sandbox.OrganizationId,
                    UserId = sandbox.TraineeUsername,
                    SimulationId = sandbox.SimulationId,
                    SimulationTag = sandbox.SimulationTag,
                    NewUserEmail = "quinn.starter@quickstart.example",
                    MoreImportEmails = ["ada.lovelace@quickstart.example", "grace.hopper@quickstart.example"],
                };
            var senar = senarIsReal
                ? new SenarTarget(senarClient, $"{senarOptions.BaseAddress} as {senarOptions.Username} (SENAR_USERNAME is set)", IsSandbox: false, arguments.AllowWrites)
                {
                    Probe = senarProbe,
                    CollectionId = settings.SenarCollectionId,
                    NewUserEmail = settings.NewUserEmail,
                    WebhookUrl = settings.WebhookUrl,
                }
                : new SenarTarget(senarClient, $"the embedded sandbox at {sandbox!.BaseAddress} ({NoCredentials(arguments, "SENAR_USERNAME/SENAR_PASSWORD")})", IsSandbox: true, AllowWrites: true)
                {
                    CollectionId = sandbox.SenarCollectionId,
                    NewUserEmail = "quinn.starter@quickstart.example",
                    WebhookUrl = new Uri("https://hooks.quickstart.example/senar/activities"),
                };

            transcript.Line($"Symtrain: {symtrain.Description}");
            transcript.Line($"Senar:    {senar.Description}");
            if (symtrainIsReal || senarIsReal)
            {
                transcript.Line(ProbeNotice(probeTimeout));
            }

            if ((symtrainIsReal || senarIsReal) && !arguments.AllowWrites)
            {
                transcript.Line("Real services are only read; calls that change data are skipped (--allow-writes runs them).");
            }

            if (sandbox is not null)
            {
                transcript.Line(SandboxIntroduction);
            }

            var reached =
                await TourAsync(() => SymtrainTour.RunAsync(symtrain, transcript, cancellation.Token), "Symtrain", symtrainOptions.BaseAddress, "SYMTRAIN_BASE_ADDRESS", probeTimeout)
                && await TourAsync(() => SenarTour.RunAsync(senar, transcript, cancellation.Token), "Senar", senarOptions.BaseAddress, "SENAR_BASE_ADDRESS", probeTimeout);
            if (!reached)
            {
                return 3;
            }

            usedSandbox = sandbox is not null;
        }
        catch (ArgumentException ex)
        {
            // Invalid settings (a bad BaseAddress, a missing password…): the options name every problem.
            Console.Error.WriteLine($"Quickstart cannot start: {ex.Message}");
            return 2;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            Console.Error.WriteLine("Quickstart cancelled.");
            return 130;
        }

        transcript.Line();
        var skipped = transcript.Skipped > 0 ? $", {transcript.Skipped} skipped" : string.Empty;
        if (transcript.Failed > 0)
        {
            Console.Error.WriteLine($"Quickstart FAILED: {transcript.Failed} of {transcript.Succeeded + transcript.Failed} calls failed{skipped} ({clock.Elapsed.TotalSeconds:0.0} s). See the FAIL lines above.");
            return 1;
        }

        transcript.Line($"Done: {transcript.Succeeded} calls succeeded{skipped} in {clock.Elapsed.TotalSeconds:0.0} s.");
        if (usedSandbox)
        {
            transcript.Line();
            transcript.Line(SandboxNextSteps);
        }

        return 0;
    }

    /// <summary>What the sandbox is, printed before a tour that uses it.</summary>
    internal const string SandboxIntroduction =
        "The sandbox (TrainingApis.Sandbox) is a local emulator of both APIs: seeded data, the vendors' rules and quota, "
        + "started on a free loopback port for this run and stopped at its end.";

    /// <summary>Where to go after a sandbox run.</summary>
    internal const string SandboxNextSteps = """
        Next:
          - the real services: set SYMTRAIN_API_KEY, or SENAR_USERNAME and SENAR_PASSWORD, and run again (read-only unless --allow-writes);
          - the sandbox on its own, for your code or curl: dotnet run --project src/TrainingApis.Sandbox (docs/sandbox.md);
          - the clients in your own app: docs/getting-started.md (install from a local folder: eng/pack-local.sh).
        """;

    /// <summary>Says how long a real service's first call may take, and how to change it.</summary>
    internal static string ProbeNotice(TimeSpan probeTimeout) =>
        string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"The first call to a real service waits at most {probeTimeout.TotalSeconds:0.#} s, without retries (Quickstart:ProbeTimeout); the others use the client's Timeout, AttemptTimeout and retries.");

    /// <summary>Runs one tour; at its first network failure prints the one line naming the host and returns false.</summary>
    private static async Task<bool> TourAsync(Func<Task> tour, string service, Uri baseAddress, string addressSetting, TimeSpan probeTimeout)
    {
        try
        {
            await tour();
            return true;
        }
        catch (NetworkFailure failure)
        {
            Console.Error.WriteLine(NetworkFailure.Describe(service, baseAddress, addressSetting, failure.InnerException!, probeTimeout));
            return false;
        }
    }

    private static string NoCredentials(QuickstartArguments arguments, string variables) =>
        arguments.ForceSandbox ? "--sandbox" : $"no {variables} configured";

    private static Task<TrainingSandbox> StartSandboxAsync(CancellationToken cancellationToken) =>
        TrainingSandbox.StartAsync(
            new TrainingSandboxOptions
            {
                // Bulk imports move SCHEDULED -> STARTED -> COMPLETED in 0.4 s instead of 5 s.
                BulkImportQueueDelay = TimeSpan.FromMilliseconds(200),
                BulkImportProcessingTime = TimeSpan.FromMilliseconds(200),
            },
            cancellationToken);

    private static SymtrainClientOptions SandboxSymtrainOptions(TrainingSandbox sandbox) => new()
    {
        BaseAddress = sandbox.BaseAddress,   // http is accepted for loopback hosts only
        ApiKey = sandbox.SymtrainApiKey,
        BulkImportPollInterval = TimeSpan.FromMilliseconds(100),
        BulkImportMaxPollInterval = TimeSpan.FromMilliseconds(400),
    };

    private static SenarClientOptions SandboxSenarOptions(TrainingSandbox sandbox) => new()
    {
        BaseAddress = sandbox.BaseAddress,
        Username = sandbox.SenarUsername,
        Password = sandbox.SenarPassword,
    };
}
