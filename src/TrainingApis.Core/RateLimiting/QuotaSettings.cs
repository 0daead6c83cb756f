using System.Globalization;

namespace TrainingApis.Core.RateLimiting;

/// <summary>The limits of one quota: permits per window and the queue bound.</summary>
internal readonly record struct QuotaSettings(int PermitLimit, TimeSpan Window, int QueueLimit)
{
    public static QuotaSettings From(RateLimitOptions options) => new(options.PermitLimit, options.Window, options.QueueLimit);

    /// <summary>
    /// Settings that keep both limits: at most the smaller permit limit in the longer window means at most either limit
    /// in either window (a shorter span lies inside a longer one). The smaller queue bound fails fast for whoever asked.
    /// </summary>
    public QuotaSettings Strictest(QuotaSettings other) => new(
        Math.Min(PermitLimit, other.PermitLimit),
        Window > other.Window ? Window : other.Window,
        Math.Min(QueueLimit, other.QueueLimit));

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{PermitLimit} requests per {Window} (QueueLimit {QueueLimit})");
}
