using System.Text.Json;
using System.Text.Json.Serialization;

namespace Senar.Client.Auth;

/// <summary>The answer of <c>POST /api/auth/login</c>: <c>{"Token": "…"}</c> (capital T, as Senar sends it).</summary>
internal sealed record LoginResponse
{
    [JsonPropertyName("Token")]
    public string? Token { get; init; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }

    public override string ToString() => "LoginResponse { Token = *** }";
}
