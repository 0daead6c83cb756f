using System.Text.Json.Serialization;

namespace Senar.Client.Auth;

/// <summary>The claims read from a token that happens to be a JWT: its expiry and issue time, in Unix seconds.</summary>
internal sealed record JwtClaims
{
    [JsonPropertyName("exp")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public double? Exp { get; init; }

    [JsonPropertyName("iat")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public double? Iat { get; init; }
}
