using Senar.Client;

namespace Quickstart;

/// <summary>A Senar client and the ids the walk-through uses.</summary>
internal sealed record SenarTarget(ISenarClient Client, string Description, bool IsSandbox, bool AllowWrites)
{
    /// <summary>The client of the first call (the login), with a short bound and no retries (a real service only); <see cref="Client"/> when null.</summary>
    public ISenarClient? Probe { get; init; }

    public int CollectionId { get; init; }

    public string? NewUserEmail { get; init; }

    public Uri? WebhookUrl { get; init; }

    public bool CanWrite => IsSandbox || AllowWrites;
}
