namespace SenarWebhookReceiver;

/// <summary>
/// Where the receiver's settings come from: the <c>Senar</c> and <c>Receiver</c> sections, the environment and the
/// arguments. <see cref="HookToken"/> is <c>Receiver:HookToken</c> (or <c>RECEIVER_HOOK_TOKEN</c>), else a new one per run.
/// </summary>
internal sealed record ReceiverSettings(bool UseSandbox, Uri? PublicUrl, bool ExitAfterDemo, string HookToken, string? Problem)
{

    /// <summary>SENAR_USERNAME, SENAR_PASSWORD and SENAR_BASE_ADDRESS as the <c>Senar</c> section's keys.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> EnvironmentAliases()
    {
        (string Variable, string Key)[] aliases =
            [("SENAR_USERNAME", "Senar:Username"), ("SENAR_PASSWORD", "Senar:Password"), ("SENAR_BASE_ADDRESS", "Senar:BaseAddress"), ("RECEIVER_PUBLIC_URL", "Receiver:PublicUrl"),
             ("RECEIVER_HOOK_TOKEN", "Receiver:HookToken")];
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
        var token = configuration["Receiver:HookToken"] is { Length: > 0 } configured ? configured : HookEndpoint.NewToken();
        if (HookEndpoint.TokenProblem(token) is { } tokenProblem)
        {
            return new(useSandbox, null, exitAfterDemo, token, "Receiver:HookToken: " + tokenProblem);
        }

        Uri? publicUrl = null;
        if (!string.IsNullOrWhiteSpace(publicUrlText) && !Uri.TryCreate(publicUrlText, UriKind.Absolute, out publicUrl))
        {
            return new(useSandbox, null, exitAfterDemo, token, $"Receiver:PublicUrl is not an absolute URL: '{publicUrlText}'.");
        }

        if (!useSandbox && publicUrl is null)
        {
            return new(useSandbox, null, exitAfterDemo, token,
                "With real Senar credentials, set Receiver:PublicUrl (or RECEIVER_PUBLIC_URL) to the https address Senar can reach " +
                "this app at (a tunnel to http://127.0.0.1:5090, for example); the hook's path and token are added to it. " +
                "Set Receiver:HookToken (or RECEIVER_HOOK_TOKEN) too, so the registered address stays valid across restarts.");
        }

        return new(useSandbox, publicUrl, exitAfterDemo, token, null);
    }

    /// <summary>The settings as text for a log line: the token masked.</summary>
    public override string ToString() => $"ReceiverSettings {{ UseSandbox = {UseSandbox}, PublicUrl = {PublicUrl}, HookToken = *** }}";
}
