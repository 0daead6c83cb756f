using Microsoft.Extensions.Logging;

namespace TrainingApis.Core.Registration;

/// <summary>The log lines about how a client was registered and configured (never with a setting's value).</summary>
internal static partial class RegistrationLog
{
    [LoggerMessage(30, LogLevel.Warning, "{Client} is configured by {Count} registrations ({Sources}) that set different credentials: they configure one client, and the last value set wins. Give each account its own client name.")]
    public static partial void CredentialConflict(ILogger logger, string client, int count, string sources);

    [LoggerMessage(31, LogLevel.Error, "{Client}: the reloaded options are invalid, so every call fails with OptionsValidationException until they are fixed: {Failures}")]
    public static partial void ReloadedOptionsInvalid(ILogger logger, string client, string failures);
}
