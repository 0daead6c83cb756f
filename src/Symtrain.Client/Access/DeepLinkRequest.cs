namespace Symtrain.Client.Access;

/// <summary>
/// Asks for the deep links of every simulation carrying some tags (the reference page's form of
/// <c>/v2/access-api/simulation/deep-links</c>).
/// </summary>
public sealed record DeepLinkRequest
{
    /// <summary>The organization's id. Required.</summary>
    public required string OrganizationId { get; init; }

    /// <summary>The user, identified by username. Required.</summary>
    public required string UserId { get; init; }

    /// <summary>The tags to match; at least one. Required.</summary>
    public required IReadOnlyList<string> Tags { get; init; }

    /// <summary>
    /// <see langword="true"/> for simulations that carry every tag, <see langword="false"/> for any tag; not sent when null
    /// (the server's default applies).
    /// </summary>
    public bool? MustIncludeAllTags { get; init; }
}
