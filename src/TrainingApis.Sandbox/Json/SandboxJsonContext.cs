using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using TrainingApis.Sandbox.Control;
using TrainingApis.Sandbox.Senar;
using TrainingApis.Sandbox.Symtrain;

namespace TrainingApis.Sandbox.Json;

/// <summary>Source-generated (reflection-free) JSON for every shape the sandbox writes.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SymtrainError))]
[JsonSerializable(typeof(DeepLinksResponse))]
[JsonSerializable(typeof(CompletionDataResponse))]
[JsonSerializable(typeof(LibraryResponse))]
[JsonSerializable(typeof(AssignResponse))]
[JsonSerializable(typeof(SuccessResponse))]
[JsonSerializable(typeof(UserTokenResponse))]
[JsonSerializable(typeof(CreateUserResponse))]
[JsonSerializable(typeof(BulkImportResponse))]
[JsonSerializable(typeof(BulkImportStatusResponse))]
[JsonSerializable(typeof(SymsResultRow))]
[JsonSerializable(typeof(UserResultsRow))]
[JsonSerializable(typeof(TrainingPlanResultRow))]
[JsonSerializable(typeof(ModulesResultsRow))]
[JsonSerializable(typeof(SymsRow))]
[JsonSerializable(typeof(UsersRow))]
[JsonSerializable(typeof(TeamsResultRow))]
[JsonSerializable(typeof(SenarLoginResponse))]
[JsonSerializable(typeof(SenarMessage))]
[JsonSerializable(typeof(UserAssignResponse))]
[JsonSerializable(typeof(SenarUser))]
[JsonSerializable(typeof(SenarActivity))]
[JsonSerializable(typeof(WebhookRegisterResponse))]
[JsonSerializable(typeof(SandboxInfo))]
[JsonSerializable(typeof(AddedActivityResponse))]
[JsonSerializable(typeof(AddedUserResponse))]
[JsonSerializable(typeof(IReadOnlyList<WebhookInfo>))]
[JsonSerializable(typeof(IReadOnlyList<WebhookDelivery>))]
[JsonSerializable(typeof(IReadOnlyList<AssignmentInfo>))]
[JsonSerializable(typeof(IReadOnlyList<FaultInfo>))]
[JsonSerializable(typeof(FaultInfo))]
[JsonSerializable(typeof(LaunchResponse))]
internal sealed partial class SandboxJsonContext : JsonSerializerContext
{
    /// <summary>Web defaults with relaxed escaping, as HTTP APIs usually write: <c>&amp;</c>, <c>'</c> and non-ASCII letters stay as they are.</summary>
    public static SandboxJsonContext Relaxed { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>The writer settings that go with <see cref="Relaxed"/>.</summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
