namespace TrainingApis.Cli.Hosting;

internal static class Uris
{
    /// <summary>
    /// Parses an absolute http(s) address without user info. An address carrying <c>user:password@</c> is refused and
    /// never repeated: credentials go in their own settings, which the tool never prints.
    /// </summary>
    /// <exception cref="CliException">It is not one (exit code 2).</exception>
    public static Uri Parse(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parsed = Uri.TryCreate(text, UriKind.Absolute, out var uri);
        if (parsed ? uri!.UserInfo.Length > 0 : text.Contains('@', StringComparison.Ordinal))
        {
            throw CliException.Usage($"{name} must not carry a user name or password ('user:password@'): it would be shown wherever the address is. " +
                "Set the credentials in SYMTRAIN_API_KEY, or SENAR_USERNAME and SENAR_PASSWORD (or the settings file). The address was not repeated here.");
        }

        return parsed && (uri!.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : throw CliException.Usage($"{name} must be an absolute http(s) address (was '{text}').");
    }
}
