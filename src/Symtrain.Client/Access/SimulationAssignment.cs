using System.Text.Json;
using System.Text.Json.Serialization;
using Symtrain.Client.Internal;
using TrainingApis.Core.Json;

namespace Symtrain.Client.Access;

/// <summary>The simulation assigned to a user, with its deep link.</summary>
public sealed record SimulationAssignment : IJsonOnDeserialized
{
    private string? _name;
    private Uri? _deepLink;

    /// <summary>The simulation's id.</summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? SimulationId { get; init; }

    /// <summary>The simulation's name (also read from <c>simulationName</c>).</summary>
    public string? Name { get => _name; init => _name = value; }

    /// <summary>The link to open the simulation (also read from <c>url</c> or <c>link</c>).</summary>
    public Uri? DeepLink { get => _deepLink; init => _deepLink = value; }

    /// <summary>Whether the simulation is now assigned, when the server says.</summary>
    public bool? Assigned { get; init; }

    /// <summary>Fields this SDK does not know, kept as sent.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }

    void IJsonOnDeserialized.OnDeserialized()
    {
        _name ??= JsonShapes.GetAlias(AdditionalProperties, "simulationName", "title");
        if (_deepLink is null && JsonShapes.GetAlias(AdditionalProperties, "url", "link", "deepLinkUrl") is { } link)
        {
            _ = Uri.TryCreate(link, UriKind.RelativeOrAbsolute, out _deepLink);
        }
    }
}
