using Spectre.Console;

namespace TrainingApis.Cli.Output;

/// <summary>The prompt for a credential at a terminal.</summary>
internal static class SecretPrompt
{
    /// <summary>
    /// Asks for a secret on <paramref name="console"/>: nothing is shown as it is typed, not even a <c>*</c> per
    /// character (which would show its length to anyone watching, and in a screen recording).
    /// </summary>
    public static string Ask(IAnsiConsole console, string prompt)
    {
        ArgumentNullException.ThrowIfNull(console);
        return console.Prompt(new TextPrompt<string>($"{prompt} (not shown as you type):").Secret(null));
    }
}
