namespace TrainingApis.Sandbox.Symtrain;

// One row type per report. The vendor has not published the fields; these are the sandbox's (docs/wire-format.md:
// "userId, username, firstName, lastName, teamName, simulationId, simulationName, score, completedAt, attempts").

internal sealed record SymsResultRow(
    string ResultId,
    string UserId,
    string Username,
    string FirstName,
    string LastName,
    string TeamName,
    string SimulationId,
    string SimulationName,
    int Attempts,
    double Score,
    double SymScore,
    double AccuracyScore,
    double KeywordScore,
    double ClickScore,
    int CompletionTime,
    bool Passed,
    DateTime StartedAt,
    DateTime CompletedAt);

internal sealed record UserResultsRow(
    string UserId,
    string Username,
    string Email,
    string FirstName,
    string LastName,
    string TeamName,
    string Date,
    int SimulationsStarted,
    int SimulationsCompleted,
    double AverageScore,
    int TotalTrainingSeconds,
    DateTime LastActivityAt);

internal sealed record TrainingPlanResultRow(
    string TrainingPlanId,
    string TrainingPlanName,
    string UserId,
    string Username,
    string FirstName,
    string LastName,
    string TeamName,
    string Status,
    int ProgressPercent,
    int ModulesCompleted,
    int ModulesTotal,
    double Score,
    DateTime StartedAt,
    DateTime? CompletedAt,
    DateTime UpdatedAt);

internal sealed record ModulesResultsRow(
    string ModuleId,
    string ModuleName,
    string TrainingPlanId,
    string TrainingPlanName,
    string UserId,
    string Username,
    string FirstName,
    string LastName,
    string TeamName,
    string SimulationId,
    string SimulationName,
    int Attempts,
    double Score,
    bool Passed,
    DateTime CompletedAt);

internal sealed record SymsRow(
    string SimulationId,
    string SimulationName,
    IReadOnlyList<string> Tags,
    string Date,
    int Attempts,
    int Completions,
    int UniqueUsers,
    double AverageScore,
    int AverageCompletionTime);

internal sealed record UsersRow(
    string UserId,
    string Username,
    string Email,
    string FirstName,
    string LastName,
    string TeamName,
    string Role,
    string Status,
    DateTime CreatedAt,
    DateTime LastLoginAt,
    int SimulationsAssigned,
    int SimulationsCompleted);

internal sealed record TeamsResultRow(
    string TeamId,
    string TeamName,
    string Date,
    int ActiveUsers,
    int SimulationsCompleted,
    double AverageScore,
    int TotalTrainingSeconds);
