using System.CommandLine;
using System.Globalization;

namespace TrainingApis.Cli.Commands;

/// <summary>Options every command takes, and option builders shared by several.</summary>
internal static class CommonOptions
{
    /// <summary><c>--sandbox</c>: run against an embedded sandbox (seeded data, nothing real touched).</summary>
    public static readonly Option<bool> Sandbox = new("--sandbox")
    {
        Description = "Run against an embedded sandbox started for this command (seeded data, nothing real is touched).",
        Recursive = true,
    };

    /// <summary><c>--json</c>: a machine-readable result on standard output.</summary>
    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Write the result as one JSON document on standard output (progress and errors stay on standard error).",
        Recursive = true,
    };

    public static Option<string> Required(string name, string description) => new(name) { Description = description, Required = true };

    public static Option<string> Organization() => new("--organization")
    {
        Description = "The Symtrain organization id. Default: SYMTRAIN_ORGANIZATION_ID, symtrain.organizationId in the settings file, or the sandbox's.",
    };

    public static Option<DateOnly> Date(string name, string description) => new(name)
    {
        Description = description,
        Required = true,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }

            result.AddError($"{name} needs a date as YYYY-MM-DD (was '{text}').");
            return default;
        },
    };

    public static Option<string?> Format(string description)
    {
        var option = new Option<string?>("--format") { Description = description };
        option.AcceptOnlyFromAmong("csv", "jsonl");
        return option;
    }

    /// <summary>Parses an absolute http(s) URL option value.</summary>
    public static Option<Uri> Url(string name, string description) => new(name)
    {
        Description = description,
        Required = true,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
            {
                return uri;
            }

            result.AddError($"{name} needs an absolute http(s) URL (was '{text}').");
            return null;
        },
    };

    /// <summary>The examples <c>--help</c> shows under each command.</summary>
    public static System.Runtime.CompilerServices.ConditionalWeakTable<Command, string[]> Examples { get; } = [];

    /// <summary>Records the examples <c>--help</c> shows for <paramref name="command"/>.</summary>
    public static T WithExamples<T>(this T command, params string[] examples)
        where T : Command
    {
        Examples.AddOrUpdate(command, examples);
        return command;
    }
}
