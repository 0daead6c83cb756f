namespace TrainingApis.Cli.Hosting;

internal static class Uris
{
    /// <summary>Parses an absolute http(s) address.</summary>
    /// <exception cref="CliException">It is not one (exit code 2).</exception>
    public static Uri Parse(string text, string name) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : throw CliException.Usage($"{name} must be an absolute http(s) address (was '{text}').");
}
