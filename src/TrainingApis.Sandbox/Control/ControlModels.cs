using System.Text.Json;
using System.Text.Json.Serialization;

namespace TrainingApis.Sandbox.Control;

internal sealed record SandboxInfo(
    string Name,
    string BaseAddress,
    string OrganizationId,
    string TraineeUsername,
    string SimulationId,
    string SimulationTag,
    int SenarCollectionId,
    int SenarActivityCount,
    int SymtrainQuotaLimit,
    double SymtrainQuotaWindowSeconds,
    DateTime Now);

internal sealed record WebhookDelivery(
    string WebhookId,
    string HookUrl,
    string Method,
    bool Succeeded,
    int? StatusCode,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error,
    DateTime DeliveredAt);

internal sealed record AddedActivityResponse(JsonElement Activity, IReadOnlyList<WebhookDelivery> Deliveries);

internal sealed record AddedUserResponse(JsonElement User, IReadOnlyList<WebhookDelivery> Deliveries);

internal sealed record WebhookInfo(string Id, string HookUrl, string Method, string Provider, DateTime CreatedAt);

internal sealed record AssignmentInfo(string OrganizationId, string UserId, string SimulationId, DateTime AssignedAt);

internal sealed record FaultInfo(
    string Id,
    string Path,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Method,
    int StatusCode,
    int Remaining,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? RetryAfterSeconds,
    bool Abort);

internal sealed record LaunchResponse(
    string SimulationId,
    string SimulationName,
    string OrganizationId,
    string UserId,
    bool TokenPresent,
    bool TokenValid);
