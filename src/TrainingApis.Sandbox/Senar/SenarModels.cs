using System.Text.Json.Serialization;

namespace TrainingApis.Sandbox.Senar;

// Senar's own shapes (support.senar.io), as docs/wire-format.md lists them. Date-times are strings: the vendor
// writes them without an offset and with 6 or 7 fraction digits, and the sandbox does the same.

internal sealed record SenarLoginResponse([property: JsonPropertyName("Token")] string Token);

internal sealed record SenarMessage(string Message);

internal sealed record UserAssignResponse(
    bool Succeed,
    string Email,
    int CollectionId,
    bool IsNewUser,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message = null);

internal sealed record SenarUser(
    string Id,
    string FirstName,
    string LastName,
    string Email,
    string Language,
    string AccountName,
    string CountryName,
    string CreationDate,
    string Profile);

internal sealed record SenarActivity(
    long Id,
    int CollectionId,
    string UserId,
    string TraineeId,
    string FirstName,
    string LastName,
    string Company,
    string TrainingDate,
    string ScenarioId,
    string ScenarioName,
    int TotalPoints,
    int TotalSec,
    int TotalTries,
    int SimulatorId,
    int Tilts,
    int TotalMaxPoints,
    int Abandons,
    string CollectionTitle,
    string SimulatorTitle,
    string UserFirstName,
    string UserLastName,
    string UserEmail,
    string UserCostCenter,
    string UserAccountName,
    string TraineeEmail,
    string TraineeProfile);

internal sealed record WebhookRegisterResponse(string Id);
