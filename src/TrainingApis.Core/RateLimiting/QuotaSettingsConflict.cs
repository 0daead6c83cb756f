namespace TrainingApis.Core.RateLimiting;

/// <summary>
/// Two clients of one quota partition asked for different limits. <see cref="Partition"/> is the configured
/// <c>PartitionKey</c>, or a short hash of the credential — never the credential itself.
/// </summary>
internal sealed record QuotaSettingsConflict(string Partition, QuotaSettings InForce, QuotaSettings Requested, QuotaSettings Applied);
