using System.Text.Json.Serialization;

namespace Senar.Client.Auth;

/// <summary>The one claim read from a token that happens to be a JWT: its expiry, in Unix seconds.</summary>
internal sealed record JwtClaims
{
    [JsonPropertyName("exp")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public double? Exp { get; init; }
}
