using System.Text.Json;
using System.Text.Json.Serialization;
using Symtrain.Client.Access;
using Symtrain.Client.Reports;
using Symtrain.Client.Users;
using TrainingApis.Core.Json;

namespace Symtrain.Client;

/// <summary>
/// Source-generated JSON metadata for every Symtrain model: web defaults (camelCase, case-insensitive reading, numbers
/// accepted as strings), nulls not written, lenient date-times and flags (<c>true</c> or <c>"true"</c>), finite numbers only.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(LenientDateTimeConverter), typeof(LenientBooleanConverter), typeof(FiniteDoubleConverter)])]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonObject))]
[JsonSerializable(typeof(ReportRow))]
[JsonSerializable(typeof(List<ReportRow>))]
[JsonSerializable(typeof(ReportRequest))]
[JsonSerializable(typeof(SimulationRequest))]
[JsonSerializable(typeof(AssignmentRequest))]
[JsonSerializable(typeof(DeepLinkRequest))]
[JsonSerializable(typeof(SimulationDeepLink))]
[JsonSerializable(typeof(SimulationExecution))]
[JsonSerializable(typeof(LibraryQuery))]
[JsonSerializable(typeof(LibraryPage))]
[JsonSerializable(typeof(LibrarySimulation))]
[JsonSerializable(typeof(SimulationAssignment))]
[JsonSerializable(typeof(UserTokenRequest))]
[JsonSerializable(typeof(UserTokenResponse))]
[JsonSerializable(typeof(UserAccessToken))]
[JsonSerializable(typeof(SymtrainUser))]
[JsonSerializable(typeof(BulkImportRow))]
[JsonSerializable(typeof(BulkImportResult))]
[JsonSerializable(typeof(BulkImportRejectedRow))]
[JsonSerializable(typeof(BulkImportStatusRequest))]
[JsonSerializable(typeof(BulkImportStatus))]
internal sealed partial class SymtrainJsonContext : JsonSerializerContext;
