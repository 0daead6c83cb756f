using System.Text.Json;
using System.Text.Json.Serialization;
using Symtrain.Client.Internal;
using TrainingApis.Core.Json;

namespace Symtrain.Client.Access;

/// <summary>A deep link that opens a simulation for a user. The link may come as <c>deepLink</c>, <c>url</c> or <c>link</c>.</summary>
public sealed record SimulationDeepLink : IJsonOnDeserialized
{
    private Uri? _deepLink;
    private string? _simulationName;
    private IReadOnlyList<string>? _tags;

    /// <summary>The simulation's id.</summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? SimulationId { get; init; }

    /// <summary>The simulation's name (also read from <c>name</c>).</summary>
    public string? SimulationName { get => _simulationName; init => _simulationName = value; }

    /// <summary>The link to open; add a user access token with <c>ISymtrainUsersClient.WithAccessToken</c>.</summary>
    public Uri? DeepLink { get => _deepLink; init => _deepLink = value; }

    /// <summary>The simulation's tags; a <c>null</c> in the list sent is left out.</summary>
    public IReadOnlyList<string>? Tags { get => _tags; init => _tags = value is null ? null : [.. value.OfType<string>()]; }

    /// <summary>Fields this SDK does not know, kept as sent.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }

    void IJsonOnDeserialized.OnDeserialized()
    {
        _simulationName ??= JsonShapes.GetAlias(AdditionalProperties, "name", "title");
        if (_deepLink is null && JsonShapes.GetAlias(AdditionalProperties, "url", "link", "deepLinkUrl") is { } link)
        {
            _ = Uri.TryCreate(link, UriKind.RelativeOrAbsolute, out _deepLink);
        }
    }
}
