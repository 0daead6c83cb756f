using System.CommandLine;
using System.Globalization;
using TrainingApis.Cli.Hosting;
using TrainingApis.Cli.Output;
using TrainingApis.Sandbox;

namespace TrainingApis.Cli.Commands;

/// <summary><c>trainingapis sandbox</c>: runs the emulator of both APIs until Ctrl+C or SIGTERM.</summary>
internal static class SandboxCommand
{
    public const int DefaultPort = 5080;

    public static Command Build(CliHost host)
    {
        var port = CommonOptions.Integer("--port", "The port on 127.0.0.1 (0 picks a free one).", 0, 65_535, DefaultPort);
        var command = new Command("sandbox", "Runs a local emulator of the Symtrain v2 and Senar APIs (seeded data, the vendors' rules and quota) until Ctrl+C. " +
            "Point the tool at it with SYMTRAIN_BASE_ADDRESS and SENAR_BASE_ADDRESS and the credentials it prints.")
        {
            port,
        }.WithExamples(
            "trainingapis sandbox --port 5080");
        CliApp.SetAction(command, host, async (parse, cancellationToken) =>
        {
            var options = CliSandbox.Options();
            options.Port = parse.GetValue(port);
            if (options.Validate() is { Count: > 0 } problems)
            {
                throw CliException.Usage(string.Join(" ", problems));
            }

            TrainingSandbox sandbox;
            try
            {
                sandbox = await TrainingSandbox.StartAsync(options, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                throw new CliException(ExitCodes.Failure, $"Could not listen on 127.0.0.1:{options.Port}: {ex.Message} Try --port 0.");
            }

            await using (sandbox.ConfigureAwait(false))
            {
                if (parse.GetValue(CommonOptions.Json))
                {
                    CliOutput.Json(host, w =>
                    {
                        w.WriteStartObject();
                        w.WriteString("baseAddress", sandbox.BaseAddress.ToString());
                        w.WriteString("symtrainApiKey", sandbox.SymtrainApiKey);
                        w.WriteString("organizationId", sandbox.OrganizationId);
                        w.WriteString("traineeUsername", sandbox.TraineeUsername);
                        w.WriteString("simulationId", sandbox.SimulationId);
                        w.WriteString("simulationTag", sandbox.SimulationTag);
                        w.WriteString("senarUsername", sandbox.SenarUsername);
                        w.WriteString("senarPassword", sandbox.SenarPassword);
                        w.WriteNumber("senarCollectionId", sandbox.SenarCollectionId);
                        w.WriteEndObject();
                    });
                }
                else
                {
                    host.Out.WriteLine(Describe(sandbox));
                }

                await host.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    CliOutput.Status(host, "Stopping.");
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>What a user needs to point the tool or the SDK at the sandbox. Its credentials are public test values.</summary>
    private static string Describe(TrainingSandbox sandbox)
    {
        var options = sandbox.Options;
        var quota = string.Create(CultureInfo.InvariantCulture, $"{options.SymtrainQuotaLimit} requests per {options.SymtrainQuotaWindow.TotalSeconds:0.###} s per API key");
        return $"""
            Sandbox listening on {sandbox.BaseAddress}

            Symtrain v2   SYMTRAIN_BASE_ADDRESS={sandbox.BaseAddress}
              SYMTRAIN_API_KEY={sandbox.SymtrainApiKey}
              organization      {sandbox.OrganizationId}
              trainee (--user)  {sandbox.TraineeUsername}
              simulation        {sandbox.SimulationId}   (tag "{sandbox.SimulationTag}")
              quota             {quota}
            Senar         SENAR_BASE_ADDRESS={sandbox.BaseAddress}
              SENAR_USERNAME={sandbox.SenarUsername}
              SENAR_PASSWORD={sandbox.SenarPassword}
              collection        {sandbox.SenarCollectionId}

            Press Ctrl+C to stop.
            """;
    }
}
