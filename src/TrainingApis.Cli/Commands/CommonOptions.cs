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

    /// <summary>
    /// A whole-number option from <paramref name="minimum"/> to <paramref name="maximum"/>. A value that does not parse
    /// or is out of range is a usage error naming the option and the form expected (no .NET type names).
    /// </summary>
    public static Option<int> Integer(string name, string description, int minimum, int maximum, int? defaultValue = null, bool required = false)
    {
        var option = new Option<int>(name)
        {
            Description = description,
            Required = required,
            CustomParser = result => ParseInteger(result, name, minimum, maximum, defaultValue) ?? default,
        };
        if (defaultValue is { } value)
        {
            option.DefaultValueFactory = _ => value;
        }

        return option;
    }

    /// <summary>As <see cref="Integer"/>, for an option that may be left out (null then).</summary>
    public static Option<int?> OptionalInteger(string name, string description, int minimum, int maximum) => new(name)
    {
        Description = description,
        CustomParser = result => ParseInteger(result, name, minimum, maximum, null),
    };

    private static int? ParseInteger(System.CommandLine.Parsing.ArgumentResult result, string name, int minimum, int maximum, int? defaultValue)
    {
        if (result.Tokens.Count == 0)
        {
            return defaultValue; // not on the command line (the parser reports a missing value itself)
        }

        var text = result.Tokens[^1].Value;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum)
        {
            return value;
        }

        result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} needs a whole number from {minimum:N0} to {maximum:N0} (was '{text}')."));
        return null;
    }

    public static Option<string?> Format(string description)
    {
        var option = new Option<string?>("--format") { Description = description };
        option.AcceptOnlyFromAmong("csv", "jsonl");
        return option;
    }

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
