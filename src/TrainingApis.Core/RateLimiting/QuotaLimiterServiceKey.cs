namespace TrainingApis.Core.RateLimiting;

/// <summary>The service key of the limiter <c>UseQuotaLimiter</c> registers for one named HttpClient.</summary>
internal sealed record QuotaLimiterServiceKey(string HttpClientName);
