using Symtrain.Client;

namespace Quickstart;

/// <summary>A Symtrain client and the ids the walk-through uses (the sandbox's seeded ones, or configured ones).</summary>
internal sealed record SymtrainTarget(ISymtrainClient Client, string Description, bool IsSandbox, bool AllowWrites)
{
    /// <summary>The client of the first call, with a short bound and no retries (a real service only); <see cref="Client"/> when null.</summary>
    public ISymtrainClient? Probe { get; init; }

    public string? OrganizationId { get; init; }

    public string? UserId { get; init; }

    public string? SimulationId { get; init; }

    public string? SimulationTag { get; init; }

    /// <summary>The email of the user that user creation and bulk import add.</summary>
    public string? NewUserEmail { get; init; }

    /// <summary>Extra trainees the bulk import adds besides <see cref="NewUserEmail"/> (the sandbox only).</summary>
    public IReadOnlyList<string> MoreImportEmails { get; init; } = [];

    public bool CanWrite => IsSandbox || AllowWrites;
}
