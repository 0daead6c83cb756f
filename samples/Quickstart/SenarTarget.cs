using Senar.Client;

namespace Quickstart;

/// <summary>A Senar client and the ids the walk-through uses.</summary>
internal sealed record SenarTarget(ISenarClient Client, string Description, bool IsSandbox, bool AllowWrites)
{
    public int CollectionId { get; init; }

    public string? NewUserEmail { get; init; }

    public Uri? WebhookUrl { get; init; }

    public bool CanWrite => IsSandbox || AllowWrites;
}
