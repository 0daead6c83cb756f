using System.CommandLine;
using System.Globalization;
using Symtrain.Client.Access;
using TrainingApis.Cli.Hosting;
using TrainingApis.Cli.Output;

namespace TrainingApis.Cli.Commands;

/// <summary><c>trainingapis symtrain deep-link</c> and <c>library list</c>.</summary>
internal static class AccessCommands
{
    public static Command BuildDeepLink(CliHost host)
    {
        var organization = CommonOptions.Organization();
        var user = CommonOptions.Required("--user", "The trainee's username (the Symtrain userId).");
        var simulation = CommonOptions.Required("--simulation", "The simulation id.");
        var withToken = new Option<bool>("--with-token") { Description = "Add a one-hour access token for the user, so the link opens without a login. Treat the link as a password." };
        var command = new Command("deep-link", "Creates a deep link that opens a simulation for a user.")
        {
            organization, user, simulation, withToken,
        }.WithExamples(
            "trainingapis symtrain deep-link --user pansy.rolfson@berge-training.example --simulation sim-1001 --with-token --sandbox");
        CliApp.SetAction(command, host, async (parse, cancellationToken) =>
        {
            await using var connection = await SymtrainConnection.OpenAsync(host, parse.GetValue(CommonOptions.Sandbox), cancellationToken).ConfigureAwait(false);
            var organizationId = connection.RequireOrganization(parse.GetValue(organization));
            var userId = parse.GetRequiredValue(user);
            var link = await connection.Client.Access.CreateDeepLinkAsync(organizationId, userId, parse.GetRequiredValue(simulation), cancellationToken).ConfigureAwait(false);
            var url = link.DeepLink ?? throw new CliException(ExitCodes.Failure, "The API answered without a deep link.");
            DateTimeOffset? expires = null;
            if (parse.GetValue(withToken))
            {
                var token = await connection.Client.Users.CreateAccessTokenAsync(organizationId, userId, cancellationToken).ConfigureAwait(false);
                url = connection.Client.Users.WithAccessToken(url, token);
                expires = token.ExpiresAt;
                CliOutput.Status(host, $"The link carries an access token for {userId}, valid until {token.ExpiresAt:u}: share it only with that user.");
            }

            if (parse.GetValue(CommonOptions.Json))
            {
                CliOutput.Json(host, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("simulationId", link.SimulationId);
                    w.WriteString("simulationName", link.SimulationName);
                    w.WriteString("deepLink", url.ToString());
                    if (expires is { } at)
                    {
                        w.WriteString("tokenExpiresAt", at);
                    }

                    w.WriteEndObject();
                });
            }
            else
            {
                host.Out.WriteLine(url);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command BuildLibraryList(CliHost host)
    {
        var organization = CommonOptions.Organization();
        var user = CommonOptions.Required("--user", "The username whose library is listed (the Symtrain userId).");
        var tags = new Option<string[]>("--tag") { Description = "Only simulations with this tag; repeat for several." };
        var search = new Option<string?>("--search") { Description = "Only simulations matching this text." };
        var list = new Command("list", "Lists the simulation library a user sees, every page.")
        {
            organization, user, tags, search,
        }.WithExamples(
            "trainingapis symtrain library list --user pansy.rolfson@berge-training.example --tag billing --search refund --sandbox");
        CliApp.SetAction(list, host, async (parse, cancellationToken) =>
        {
            await using var connection = await SymtrainConnection.OpenAsync(host, parse.GetValue(CommonOptions.Sandbox), cancellationToken).ConfigureAwait(false);
            var query = new LibraryQuery
            {
                OrganizationId = connection.RequireOrganization(parse.GetValue(organization)),
                UserId = parse.GetRequiredValue(user),
                Tags = parse.GetValue(tags) is { Length: > 0 } t ? t : null,
                SearchTerm = parse.GetValue(search),
            };
            var simulations = new List<LibrarySimulation>();
            await foreach (var simulation in connection.Client.Access.ListLibraryAsync(query, cancellationToken).ConfigureAwait(false))
            {
                simulations.Add(simulation);
            }

            if (parse.GetValue(CommonOptions.Json))
            {
                CliOutput.Json(host, w =>
                {
                    w.WriteStartArray();
                    foreach (var s in simulations)
                    {
                        w.WriteStartObject();
                        w.WriteString("simulationId", s.SimulationId);
                        w.WriteString("name", s.Name);
                        w.WriteString("description", s.Description);
                        w.WriteStartArray("tags");
                        foreach (var tag in s.Tags ?? [])
                        {
                            w.WriteStringValue(tag);
                        }

                        w.WriteEndArray();
                        if (s.DurationMinutes is { } minutes)
                        {
                            w.WriteNumber("durationMinutes", minutes);
                        }

                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                });
            }
            else
            {
                CliOutput.Table(host, ["Simulation", "Minutes", "Tags", "Name"], simulations.Select(s => (IReadOnlyList<string>)[
                    s.SimulationId ?? "?",
                    s.DurationMinutes?.ToString("0.#", CultureInfo.InvariantCulture) ?? "",
                    string.Join(",", s.Tags ?? []),
                    s.Name ?? ""]));
                CliOutput.Status(host, $"{simulations.Count} simulation(s).");
            }

            return ExitCodes.Ok;
        });
        return new Command("library", "The simulation library.") { list }
            .WithExamples("trainingapis symtrain library list --user pansy.rolfson@berge-training.example --search refund --sandbox");
    }
}
