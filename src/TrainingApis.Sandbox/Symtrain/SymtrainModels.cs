using System.Text.Json.Serialization;

namespace TrainingApis.Sandbox.Symtrain;

// The wire shapes the sandbox answers, as docs/wire-format.md describes them. Internal: they are the emulator's,
// not a client model.

internal sealed record SymtrainFieldError(string Field, string Message);

internal sealed record SymtrainError(
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SymtrainFieldError>? Errors = null);

internal sealed record DeepLinkItem(string SimulationId, string SimulationName, string DeepLink, IReadOnlyList<string> Tags);

internal sealed record DeepLinksResponse(IReadOnlyList<DeepLinkItem> Simulations);

internal sealed record SentimentScores(double Positive, double Neutral, double Negative);

internal sealed record ExecutionItem(
    string ExecutionId,
    string SimulationId,
    string UserId,
    DateTime StartedAt,
    DateTime? CompletedAt,
    int? CompletionTime,
    double? SymScore,
    double? AccuracyScore,
    double? KeywordScore,
    double? ClickScore,
    SentimentScores? SentimentScores);

internal sealed record CompletionDataResponse(IReadOnlyList<ExecutionItem> Executions);

internal sealed record LibraryItem(string SimulationId, string Name, string Description, IReadOnlyList<string> Tags, int DurationMinutes);

internal sealed record LibraryResponse(int Page, int PageSize, int Total, IReadOnlyList<LibraryItem> Simulations);

internal sealed record AssignResponse(string SimulationId, string Name, string DeepLink, bool Assigned);

internal sealed record SuccessResponse(bool Success);

internal sealed record UserTokenResponse(string Token, DateTime ExpiresAt);

internal sealed record CreateUserResponse(
    string UserId,
    string Username,
    string Email,
    string? FirstName,
    string? LastName,
    string Role,
    string Status,
    bool Created);

internal sealed record BulkImportRowError(int Row, IReadOnlyList<string> Errors);

internal sealed record BulkImportResponse(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TaskId,
    int ValidUsersCount,
    int InvalidUsersCount,
    IReadOnlyList<BulkImportRowError> Errors);

internal sealed record BulkImportStatusResponse(
    string TaskId,
    string Status,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    int ProcessedCount,
    int TotalCount,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ErrorMessage);
