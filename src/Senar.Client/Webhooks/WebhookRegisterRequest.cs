namespace Senar.Client.Webhooks;

/// <summary>The body of <c>POST /integration/data/webhook_register</c>.</summary>
internal sealed record WebhookRegisterRequest(string HookUrl, string Method, string Provider);
