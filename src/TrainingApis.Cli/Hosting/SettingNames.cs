using TrainingApis.Core;

namespace TrainingApis.Cli.Hosting;

/// <summary>
/// The SDK names settings and fields as a developer sees them (<c>SenarClientOptions.Username</c>, <c>CollectionId</c>,
/// "(Parameter 'options')"); an administrator knows them as the tool's variables and options.
/// </summary>
internal static class SettingNames
{
    private static readonly (string Sdk, string Tool)[] Options =
    [
        ("SymtrainClientOptions.BaseAddress", "SYMTRAIN_BASE_ADDRESS"),
        ("SymtrainClientOptions.ApiKey", "SYMTRAIN_API_KEY"),
        ("SenarClientOptions.BaseAddress", "SENAR_BASE_ADDRESS"),
        ("SenarClientOptions.Username", "SENAR_USERNAME"),
        ("SenarClientOptions.Password", "SENAR_PASSWORD"),
    ];

    private static readonly Dictionary<string, string> AssignFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Email"] = "--email",
        ["FirstName"] = "--first-name",
        ["LastName"] = "--last-name",
        ["Organization"] = "--organization",
        ["CollectionId"] = "--collection",
        ["Password"] = "the new user's password (SENAR_NEW_USER_PASSWORD)",
    };

    /// <summary>The message of <paramref name="ex"/> without the parameter name, with the tool's names for the SDK's settings.</summary>
    public static string ForAdministrators(ArgumentException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        var message = ex.Message;
        if (ex.ParamName is { } name && message.EndsWith($" (Parameter '{name}')", StringComparison.Ordinal))
        {
            message = message[..^$" (Parameter '{name}')".Length];
        }

        foreach (var prefix in (string[])["Invalid SymtrainClientOptions: ", "Invalid SenarClientOptions: "])
        {
            if (message.StartsWith(prefix, StringComparison.Ordinal))
            {
                message = "Invalid settings: " + message[prefix.Length..];
            }
        }

        foreach (var (sdk, tool) in Options)
        {
            message = message.Replace(sdk, tool, StringComparison.Ordinal);
        }

        return message;
    }

    /// <summary>A problem of <c>senar users assign</c>, named by its option.</summary>
    public static string Describe(ApiFieldError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Field is { } field && AssignFields.TryGetValue(field, out var option) ? $"{option}: {error.Message}" : error.ToString();
    }
}
