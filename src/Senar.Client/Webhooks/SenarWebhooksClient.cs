using System.Net;
using Senar.Client.Json;
using TrainingApis.Core;
using TrainingApis.Core.Http;

namespace Senar.Client.Webhooks;

/// <summary>The <see cref="ISenarWebhooksClient"/> of a <see cref="SenarClient"/>.</summary>
internal sealed class SenarWebhooksClient(ApiConnection connection) : ISenarWebhooksClient
{
    public const string RegisterPath = "integration/data/webhook_register";

    public const string Provider = "zapier";

    public async Task<WebhookRegistration> RegisterAsync(Uri hookUrl, SenarWebhookEvent webhookEvent, CancellationToken cancellationToken = default)
    {
        HookUrlRules.ThrowIfNotAllowed(hookUrl, connection.HttpClient.BaseAddress, nameof(hookUrl));
        var method = webhookEvent switch
        {
            SenarWebhookEvent.Activity => "activity",
            SenarWebhookEvent.User => "user",
            _ => throw new ArgumentOutOfRangeException(nameof(webhookEvent), webhookEvent, "Expected SenarWebhookEvent.Activity or SenarWebhookEvent.User."),
        };

        var body = ApiConnection.JsonContent(new WebhookRegisterRequest(HookUrlRules.ToSent(hookUrl), method, Provider), SenarJsonContext.Default.WebhookRegisterRequest);
        using var request = ApiConnection.CreateRequest(HttpMethod.Post, RegisterPath, "Webhooks.Register", body).MarkNonIdempotent();
        var registration = await connection.SendAsync(request, SenarJsonContext.Default.WebhookRegistration, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(registration.Id))
        {
            throw new ApiException(
                "Senar accepted the webhook registration but returned no id (expected {\"id\": …}). The hook may be registered: check Senar Studio before registering it again.",
                new ApiErrorDetails
                {
                    StatusCode = HttpStatusCode.OK,
                    Method = request.Method.Method,
                    RequestUri = ApiErrorMapper.StripQuery(request.RequestUri),
                });
        }

        return registration;
    }
}
