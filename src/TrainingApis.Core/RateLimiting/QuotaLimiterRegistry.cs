using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace TrainingApis.Core.RateLimiting;

/// <summary>
/// Hands out one <see cref="QuotaLimiter"/> per partition (an API key, a username), so that every client using the same
/// credential in the process shares one quota, whether built by dependency injection or by hand.
/// </summary>
public sealed class QuotaLimiterRegistry
{
    private readonly ConcurrentDictionary<string, QuotaLimiter> _limiters = new(StringComparer.Ordinal);

    /// <summary>Creates a registry whose limiters run on <paramref name="timeProvider"/> (the system clock when null).</summary>
    public QuotaLimiterRegistry(TimeProvider? timeProvider = null)
    {
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The registry of the process, used by every client unless told otherwise.</summary>
    public static QuotaLimiterRegistry Shared { get; } = new();

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<TimeProvider, QuotaLimiterRegistry> ByClock = new();

    /// <summary>
    /// The registry for <paramref name="timeProvider"/>: <see cref="Shared"/> for the system clock (or null), else one
    /// registry per clock instance, so clients built with the same fake clock share state as real ones do.
    /// </summary>
    public static QuotaLimiterRegistry For(TimeProvider? timeProvider) =>
        timeProvider is null || ReferenceEquals(timeProvider, TimeProvider.System)
            ? Shared
            : ByClock.GetValue(timeProvider, static clock => new QuotaLimiterRegistry(clock));

    /// <summary>The clock of the limiters this registry creates.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>
    /// Returns the limiter of <paramref name="partitionKey"/> in <paramref name="scope"/>, creating it with
    /// <paramref name="options"/> the first time. Later callers share the first one's settings.
    /// </summary>
    /// <param name="scope">The service, e.g. <c>symtrain</c>, so that equal credentials of two services stay apart.</param>
    /// <param name="partitionKey">The credential. Only its SHA-256 hash is kept.</param>
    /// <param name="options">The limit, window and queue bound.</param>
    public QuotaLimiter GetOrCreate(string scope, string partitionKey, RateLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(partitionKey);
        ArgumentNullException.ThrowIfNull(options);
        var key = scope + ":" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(partitionKey)));
        return _limiters.GetOrAdd(
            key,
            static (_, state) => new QuotaLimiter(state.options.PermitLimit, state.options.Window, state.options.QueueLimit, state.time),
            (options, time: TimeProvider));
    }
}
