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
    /// <param name="hookUrl">Where Senar posts: an absolute https URL to a public host (see the exceptions).</param>
    /// <param name="webhookEvent">Activities or users.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The registration and its id, always as a string.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="hookUrl"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="hookUrl"/> is not an absolute <c>https</c> URL to a public host (nothing was sent), carries user
    /// info (even an empty one before '@') or a fragment, carries unencoded spaces or control characters, has a host with
    /// no ASCII (punycode) form, or is longer than 2,048 characters as sent (an internationalised host is sent in its ASCII
    /// form). Refused hosts, judged as written without a DNS lookup: loopback, private (10/8, 172.16/12, 192.168/16,
    /// fc00::/7), carrier-grade NAT (100.64/10), link-local (169.254/16, fe80::/10), cloud metadata (169.254.169.254,
    /// fd00:ec2::254, <c>metadata.google.internal</c>), unspecified, multicast, broadcast and reserved addresses in any
    /// notation (decimal, hex, octal, short, IPv4 in IPv6: mapped, compatible, translated, NAT64, 6to4), <c>localhost</c>,
    /// <c>*.localhost</c>, <c>*.local</c>, <c>*.internal</c> and single-label names. Plain <c>http</c> and local hosts are allowed only when the Senar base
    /// address is itself a loopback address (the sandbox).
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="webhookEvent"/> is not a defined value.</exception>
    /// <exception cref="TrainingApis.Core.ApiException">The call failed, or the answer carried no id (see the message).</exception>
    Task<WebhookRegistration> RegisterAsync(Uri hookUrl, SenarWebhookEvent webhookEvent, CancellationToken cancellationToken = default);
}
