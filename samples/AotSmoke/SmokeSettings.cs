namespace AotSmoke;

/// <summary>
/// Where the sandbox runs and its credentials, from the environment (eng/publish-aot.sh reads them from the banner of
/// the standalone sandbox): <c>SANDBOX_URL</c>, <c>SYMTRAIN_API_KEY</c>, <c>SYMTRAIN_ORGANIZATION_ID</c>,
/// <c>SYMTRAIN_USER_ID</c>, <c>SENAR_USERNAME</c>, <c>SENAR_PASSWORD</c>.
/// </summary>
internal sealed record SmokeSettings(Uri SandboxUrl, string ApiKey, string OrganizationId, string UserId, string SenarUsername, string SenarPassword)
{
    public static SmokeSettings FromEnvironment()
    {
        var missing = new List<string>();
        string Read(string name)
        {
            var value = Environment.GetEnvironmentVariable(name);
            if (string.IsNullOrWhiteSpace(value))
            {
                missing.Add(name);
            }

            return value ?? string.Empty;
        }

        var url = Read("SANDBOX_URL");
        var settings = (Key: Read("SYMTRAIN_API_KEY"), Org: Read("SYMTRAIN_ORGANIZATION_ID"), User: Read("SYMTRAIN_USER_ID"), Name: Read("SENAR_USERNAME"), Password: Read("SENAR_PASSWORD"));
        if (missing.Count > 0)
        {
            throw new ArgumentException($"Set {string.Join(", ", missing)} (eng/publish-aot.sh does, from a running sandbox).");
        }

        return new SmokeSettings(new Uri(url), settings.Key, settings.Org, settings.User, settings.Name, settings.Password);
    }

    /// <summary>The settings with the key and password masked.</summary>
    public override string ToString() =>
        $"SmokeSettings {{ SandboxUrl = {SandboxUrl}, ApiKey = ***, OrganizationId = {OrganizationId}, UserId = {UserId}, SenarUsername = {SenarUsername}, SenarPassword = *** }}";
}
