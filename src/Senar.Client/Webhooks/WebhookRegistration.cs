using System.Text.Json;
using System.Text.Json.Serialization;
using TrainingApis.Core.Json;

namespace Senar.Client.Webhooks;

/// <summary>The answer of <c>POST /integration/data/webhook_register</c>.</summary>
public sealed record WebhookRegistration
{
    private readonly string _id = string.Empty;

    /// <summary>
    /// The webhook's id, which Senar says identifies it for unsubscribing (no unsubscribe endpoint is published; keep it
    /// for Senar support). Always a string, whether Senar sends it as a string or a number; empty (never null) when it sends
    /// none or <c>null</c>.
    /// </summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string Id { get => _id; init => _id = value ?? string.Empty; }

    /// <summary>Fields Senar sent that this version does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
