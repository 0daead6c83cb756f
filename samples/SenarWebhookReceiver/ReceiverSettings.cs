namespace SenarWebhookReceiver;

/// <summary>Where the receiver's settings come from: the <c>Senar</c> and <c>Receiver</c> sections, the environment and the arguments.</summary>
internal sealed record ReceiverSettings(bool UseSandbox, Uri? PublicUrl, bool ExitAfterDemo, string? Problem)
{
    public const string HookPath = "/hooks/senar";

    /// <summary>SENAR_USERNAME, SENAR_PASSWORD and SENAR_BASE_ADDRESS as the <c>Senar</c> section's keys.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> EnvironmentAliases()
    {
        (string Variable, string Key)[] aliases =
            [("SENAR_USERNAME", "Senar:Username"), ("SENAR_PASSWORD", "Senar:Password"), ("SENAR_BASE_ADDRESS", "Senar:BaseAddress"), ("RECEIVER_PUBLIC_URL", "Receiver:PublicUrl")];
        foreach (var (variable, key) in aliases)
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value)
            {
                yield return new(key, value);
            }
        }
    }

    public static ReceiverSettings From(IConfiguration configuration, string[] args)
    {
        var exitAfterDemo = args.Contains("--exit-after-demo");
        var useSandbox = string.IsNullOrWhiteSpace(configuration["Senar:Username"]) && string.IsNullOrWhiteSpace(configuration["Senar:Password"]);
        var publicUrlText = configuration["Receiver:PublicUrl"];
        Uri? publicUrl = null;
        if (!string.IsNullOrWhiteSpace(publicUrlText) && !Uri.TryCreate(publicUrlText, UriKind.Absolute, out publicUrl))
        {
            return new(useSandbox, null, exitAfterDemo, $"Receiver:PublicUrl is not an absolute URL: '{publicUrlText}'.");
        }

        if (!useSandbox && publicUrl is null)
        {
            return new(useSandbox, null, exitAfterDemo,
                "With real Senar credentials, set Receiver:PublicUrl (or RECEIVER_PUBLIC_URL) to the https address Senar can reach " +
                $"this app at, ending in {HookPath} (a tunnel to http://127.0.0.1:5090, for example).");
        }

        return new(useSandbox, publicUrl, exitAfterDemo, null);
    }
}
