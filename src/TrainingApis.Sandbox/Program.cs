using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace TrainingApis.Sandbox;

/// <summary><c>dotnet run --project src/TrainingApis.Sandbox [-- --port 5080 --seed 1 --activities 200000 --quota 100 --quota-window 300]</c>.</summary>
internal static class Program
{
    public const int DefaultPort = 5080;

    public static async Task<int> Main(string[] args)
    {
        var options = new TrainingSandboxOptions { Port = DefaultPort };
        var error = Parse(args, options, out var help);
        if (help || error is not null)
        {
            if (error is not null)
            {
                await Console.Error.WriteLineAsync(error);
            }

            Console.WriteLine("""
                TrainingApis.Sandbox: a local emulator of the Symtrain v2 and Senar APIs.

                Options:
                  --port <n>              port on 127.0.0.1 (default 5080; 0 picks a free one)
                  --seed <n>              seed of the generated data (default 20240601)
                  --activities <n>        number of seeded Senar activities (default 1000)
                  --quota <n>             Symtrain requests per window per API key (default 100)
                  --quota-window <sec>    Symtrain quota window in seconds (default 300)
                  --no-quota              never answer 429
                  --verbose               log every request
                """);
            return error is null ? 0 : 2;
        }

        var verbose = args.Contains("--verbose", StringComparer.OrdinalIgnoreCase);
        using var loggerFactory = LoggerFactory.Create(logging => logging
            .AddSimpleConsole(console => console.SingleLine = true)
            .SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning)
            .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None)); // A failed start is reported below, in one line.
        options.LoggerFactory = loggerFactory;

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        TrainingSandbox sandbox;
        try
        {
            sandbox = await TrainingSandbox.StartAsync(options);
        }
        catch (IOException ex)
        {
            await Console.Error.WriteLineAsync($"Could not listen on 127.0.0.1:{options.Port}: {ex.Message} Try --port 0.");
            return 1;
        }

        await using (sandbox)
        {
            Console.WriteLine(Describe(sandbox));
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
                Console.WriteLine("Stopping.");
            }
        }

        return 0;
    }

    /// <summary>What a user needs to point the clients at the sandbox.</summary>
    internal static string Describe(TrainingSandbox sandbox)
    {
        var options = sandbox.Options;
        var quota = options.SymtrainQuotaEnabled
            ? string.Create(CultureInfo.InvariantCulture, $"{options.SymtrainQuotaLimit} requests per {options.SymtrainQuotaWindow.TotalSeconds:0.###} s per API key")
            : "off";
        return $"""
            TrainingApis.Sandbox listening on {sandbox.BaseAddress}

            Symtrain v2   base address {sandbox.BaseAddress}   (POST /v2/...)
              API key             {sandbox.SymtrainApiKey}
              organizationId      {sandbox.OrganizationId}
              trainee (userId)    {sandbox.TraineeUsername}
              simulationId        {sandbox.SimulationId}   (tag "{sandbox.SimulationTag}")
              quota               {quota}
            Senar         base address {sandbox.BaseAddress}   (POST /api/auth/login, /integration/data/...)
              username            {sandbox.SenarUsername}
              password            {sandbox.SenarPassword}
              collectionId        {sandbox.SenarCollectionId}
            Control       {sandbox.BaseAddress}_sandbox   (POST _sandbox/senar/activities or _sandbox/senar/users fires the webhooks)

            Press Ctrl+C to stop.
            """;
    }

    private static string? Parse(string[] args, TrainingSandboxOptions options, out bool help)
    {
        help = false;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i].ToLowerInvariant();
            switch (name)
            {
                case "-h" or "--help" or "-?":
                    help = true;
                    continue;
                case "--no-quota":
                    options.SymtrainQuotaEnabled = false;
                    continue;
                case "--verbose":
                    continue;
            }

            if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                return $"{args[i]}: expected a number after it (see --help).";
            }

            i++;
            switch (name)
            {
                case "--port":
                    options.Port = value;
                    break;
                case "--seed":
                    options.Seed = value;
                    break;
                case "--activities":
                    options.SenarActivityCount = value;
                    break;
                case "--quota":
                    options.SymtrainQuotaLimit = value;
                    break;
                case "--quota-window":
                    options.SymtrainQuotaWindow = TimeSpan.FromSeconds(value);
                    break;
                default:
                    return $"Unknown option {args[i - 1]} (see --help).";
            }
        }

        var problems = options.Validate();
        return problems.Count == 0 ? null : string.Join(Environment.NewLine, problems);
    }
}
