namespace TrainingApis.IntegrationTests.Infrastructure;

/// <summary>A row type of the caller's own, read from the user-results report (as a user of the SDK would).</summary>
public sealed record UserResultRow(string UserId, string Username, double? Score, DateTime? CompletedAt);
