namespace Senar.Client.Webhooks;

/// <summary>What a Senar webhook reports (the <c>method</c> of <c>webhook_register</c>).</summary>
public enum SenarWebhookEvent
{
    /// <summary>New activities (<c>"activity"</c>).</summary>
    Activity = 0,

    /// <summary>New users (<c>"user"</c>).</summary>
    User = 1,
}
