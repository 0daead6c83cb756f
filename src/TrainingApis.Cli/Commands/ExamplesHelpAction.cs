using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace TrainingApis.Cli.Commands;

/// <summary>The standard <c>--help</c>, followed by the command's examples (<see cref="CommonOptions.WithExamples"/>).</summary>
internal sealed class ExamplesHelpAction(HelpAction standard) : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var result = standard.Invoke(parseResult);
        if (CommonOptions.Examples.TryGetValue(parseResult.CommandResult.Command, out var lines) && lines.Length > 0)
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine(lines.Length == 1 ? "Example:" : "Examples:");
            foreach (var line in lines)
            {
                output.WriteLine("  " + line);
            }

            output.WriteLine();
        }

        return result;
    }
}
