using System.Text.Json;
using System.Text.Json.Serialization;

namespace Symtrain.Client.Access;

/// <summary>One page of the simulation library.</summary>
public sealed record LibraryPage
{
    /// <summary>The page number the server reported (1-based), when it reported one.</summary>
    public long? Page { get; init; }

    /// <summary>The page size the server reported, when it reported one.</summary>
    public long? PageSize { get; init; }

    /// <summary>The number of simulations across all pages, when the server reported it.</summary>
    public long? Total { get; init; }

    /// <summary>The simulations of this page.</summary>
    public IReadOnlyList<LibrarySimulation> Simulations { get; init; } = [];

    /// <summary>The response's other top-level fields, kept as sent.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
