namespace Senar.Client.Webhooks;

/// <summary>Senar webhooks: <c>POST /integration/data/webhook_register</c>.</summary>
/// <remarks>
/// Senar then posts new users or activities to the hook URL. Read those deliveries with
/// <see cref="SenarWebhookPayload.Parse(string)"/>. Senar publishes no unsubscribe endpoint.
/// </remarks>
public interface ISenarWebhooksClient
{
    /// <summary>
    /// Registers <paramref name="hookUrl"/> to receive <paramref name="webhookEvent"/> notifications (provider
    /// <c>zapier</c>, the only one Senar documents). Not retried unless the server provably did not process it (a 429,
    /// a refused connection), so one call never registers the hook twice.
    /// </summary>
    /// <param name="hookUrl">Where Senar posts: an absolute https URL (plain http only for a loopback host).</param>
    /// <param name="webhookEvent">Activities or users.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The registration and its id, always as a string.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="hookUrl"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="hookUrl"/> is relative or not https (nothing was sent).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="webhookEvent"/> is not a defined value.</exception>
    /// <exception cref="TrainingApis.Core.ApiException">The call failed, or the answer carried no id (see the message).</exception>
    Task<WebhookRegistration> RegisterAsync(Uri hookUrl, SenarWebhookEvent webhookEvent, CancellationToken cancellationToken = default);
}
