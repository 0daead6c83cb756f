using System.Text.Json;
using System.Text.Json.Serialization;
using Symtrain.Client.Internal;
using TrainingApis.Core.Json;

namespace Symtrain.Client.Access;

/// <summary>A simulation of the library. Its fields are not published; unknown ones are kept in <see cref="AdditionalProperties"/>.</summary>
public sealed record LibrarySimulation : IJsonOnDeserialized
{
    private string? _simulationId;
    private string? _name;
    private IReadOnlyList<string>? _tags;

    /// <summary>The simulation's id (also read from <c>id</c>).</summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? SimulationId { get => _simulationId; init => _simulationId = value; }

    /// <summary>The simulation's name (also read from <c>simulationName</c> or <c>title</c>).</summary>
    public string? Name { get => _name; init => _name = value; }

    /// <summary>What the simulation is about.</summary>
    public string? Description { get; init; }

    /// <summary>The simulation's tags; a <c>null</c> in the list sent is left out.</summary>
    public IReadOnlyList<string>? Tags { get => _tags; init => _tags = value is null ? null : [.. value.OfType<string>()]; }

    /// <summary>How long the simulation takes, in minutes.</summary>
    public double? DurationMinutes { get; init; }

    /// <summary>Fields this SDK does not know, kept as sent.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }

    void IJsonOnDeserialized.OnDeserialized()
    {
        _simulationId ??= JsonShapes.GetAlias(AdditionalProperties, "id");
        _name ??= JsonShapes.GetAlias(AdditionalProperties, "simulationName", "title");
    }
}
