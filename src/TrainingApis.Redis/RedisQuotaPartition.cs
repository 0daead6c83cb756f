namespace TrainingApis.Redis;

/// <summary>
/// The quota of one call, read from the client's options per request (a rotated key applies at once): the Redis key
/// stem — the service and a SHA-256 hash of the partition, never the credential — and the limits.
/// </summary>
internal sealed record RedisQuotaPartition(string Scope, string Hash, int PermitLimit, TimeSpan Window, int QueueLimit, TimeSpan LeaseTimeToLive);
