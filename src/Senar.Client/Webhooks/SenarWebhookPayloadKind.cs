namespace Senar.Client.Webhooks;

/// <summary>What a webhook delivery holds.</summary>
public enum SenarWebhookPayloadKind
{
    /// <summary>An empty array: nothing to process, and no way to tell users from activities.</summary>
    Empty = 0,

    /// <summary>Users (<see cref="SenarWebhookPayload.Users"/>).</summary>
    Users = 1,

    /// <summary>Activities (<see cref="SenarWebhookPayload.Activities"/>).</summary>
    Activities = 2,
}
