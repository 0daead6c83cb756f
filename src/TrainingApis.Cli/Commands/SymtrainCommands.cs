using System.CommandLine;
using TrainingApis.Cli.Hosting;

namespace TrainingApis.Cli.Commands;

/// <summary><c>trainingapis symtrain …</c>.</summary>
internal static class SymtrainCommands
{
    public static Command Build(CliHost host) => new Command("symtrain", "Symtrain v2: reports, users, deep links and the simulation library.")
    {
        new Command("reports", "The seven Symtrain reports.") { ReportsExportCommand.Build(host) }
            .WithExamples("trainingapis symtrain reports export --report users --from 2025-01-01 --to 2025-06-30 --out reports --sandbox"),
        new Command("users", "Symtrain users: bulk import and its status.") { UsersImportCommand.BuildImport(host), UsersImportCommand.BuildStatus(host) }
            .WithExamples("trainingapis symtrain users import users.csv --dry-run --sandbox"),
        AccessCommands.BuildDeepLink(host),
        AccessCommands.BuildLibraryList(host),
    }.WithExamples(
        "trainingapis symtrain reports export --report all --from 2025-01-01 --to 2025-12-31 --out reports --sandbox",
        "trainingapis symtrain library list --user pansy.rolfson@berge-training.example --sandbox");
}
