using Spectre.Console;

namespace Samples.Shared;

/// <summary>
/// The console the Spectre.Console samples write to: colours and live progress bars on a terminal; plain text, with no
/// ANSI escape codes and no line wrapped mid-word, when the output is redirected to a file or a pipe.
/// </summary>
internal static class SampleConsole
{
    /// <summary>A width no line reaches: redirected output has no width, and a path must stay on one line.</summary>
    private const int RedirectedWidth = 4096;

    public static void Configure()
    {
        if (!Console.IsOutputRedirected)
        {
            return; // A terminal: Spectre.Console detects its colours and width (and honours NO_COLOR).
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        console.Profile.Width = RedirectedWidth;
        AnsiConsole.Console = console;
    }
}
