using Microsoft.Extensions.Logging;

namespace TrainingApis.Sandbox;

/// <summary>The sandbox's log messages. No secret (key, password, token, a hook's path or query string) is ever logged.</summary>
internal static partial class SandboxLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Method} {Path} -> {StatusCode} in {ElapsedMs} ms")]
    public static partial void Request(ILogger logger, string method, string path, int statusCode, long elapsedMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Webhook {WebhookId} ({HookMethod}) delivered to {HookUrl}: {StatusCode}")]
    public static partial void WebhookDelivered(ILogger logger, string webhookId, string hookMethod, string hookUrl, int statusCode);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Webhook {WebhookId} ({HookMethod}) delivery to {HookUrl} failed: {Reason}")]
    public static partial void WebhookFailed(ILogger logger, string webhookId, string hookMethod, string hookUrl, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Fault injected on {Method} {Path}: {StatusCode}")]
    public static partial void FaultInjected(ILogger logger, string method, string path, int statusCode);
}
