using System.CommandLine;
using TrainingApis.Cli.Hosting;

namespace TrainingApis.Cli.Commands;

/// <summary><c>trainingapis symtrain …</c>.</summary>
internal static class SymtrainCommands
{
    public static Command Build(CliHost host) => new("symtrain", "Symtrain v2: reports, users, deep links and the simulation library.")
    {
        new Command("reports", "The seven Symtrain reports.") { ReportsExportCommand.Build(host) },
        new Command("users", "Symtrain users: bulk import and its status.") { UsersImportCommand.BuildImport(host), UsersImportCommand.BuildStatus(host) },
        AccessCommands.BuildDeepLink(host),
        AccessCommands.BuildLibraryList(host),
    };
}
