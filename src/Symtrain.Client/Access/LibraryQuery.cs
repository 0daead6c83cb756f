namespace Symtrain.Client.Access;

/// <summary>Which simulations of the library to list (<c>/v2/access-api/simulation/library</c>).</summary>
public sealed record LibraryQuery
{
    /// <summary>The organization's id. Required.</summary>
    public required string OrganizationId { get; init; }

    /// <summary>The user, identified by username. Required.</summary>
    public required string UserId { get; init; }

    /// <summary>Only simulations with these tags; not sent when null.</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>Only simulations matching this text; not sent when null.</summary>
    public string? SearchTerm { get; init; }

    /// <summary>
    /// The page, 1-based. <c>GetLibraryPageAsync</c> sends it only when set; <c>ListLibraryAsync</c> starts there (default 1).
    /// </summary>
    public int? Page { get; init; }

    /// <summary>
    /// Simulations per page. <c>GetLibraryPageAsync</c> sends it only when set; <c>ListLibraryAsync</c> uses
    /// <see cref="SymtrainClientOptions.LibraryPageSize"/> (50) when it is not.
    /// </summary>
    public int? PageSize { get; init; }
}
