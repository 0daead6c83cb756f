using System.Text.Json;
using System.Text.Json.Serialization;
using TrainingApis.Core.Json;

namespace Symtrain.Client.Users;

/// <summary>The answer of <c>/v2/access-api/user/token</c>, read leniently.</summary>
internal sealed record UserTokenResponse
{
    public string? Token { get; init; }

    public string? AccessToken { get; init; }

    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? ExpiresAt { get; init; }

    public double? ExpiresIn { get; init; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
