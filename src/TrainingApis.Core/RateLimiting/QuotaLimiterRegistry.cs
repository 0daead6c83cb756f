using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace TrainingApis.Core.RateLimiting;

/// <summary>
/// Hands out one <see cref="QuotaLimiter"/> per partition of a service — by default the credential (an API key, a
/// username), else <see cref="RateLimitOptions.PartitionKey"/> — so that every client of the partition in the process
/// shares one quota, whether built by dependency injection or by hand.
/// </summary>
/// <remarks>
/// When clients of one partition ask for different limits, the limiter keeps the strictest: the smaller
/// <see cref="RateLimitOptions.PermitLimit"/> over the longer <see cref="RateLimitOptions.Window"/> (which keeps both
/// limits) and the smaller <see cref="RateLimitOptions.QueueLimit"/>. The pipeline logs a warning naming both settings.
/// Limits only ever tighten for the life of the process.
/// </remarks>
internal sealed class QuotaLimiterRegistry
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<TimeProvider, QuotaLimiterRegistry> ByClock = new();

    private readonly ConcurrentDictionary<string, Partition> _partitions = new(StringComparer.Ordinal);

    /// <summary>Creates a registry whose limiters run on <paramref name="timeProvider"/> (the system clock when null).</summary>
    public QuotaLimiterRegistry(TimeProvider? timeProvider = null)
    {
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The registry of the process, used by every client unless told otherwise.</summary>
    public static QuotaLimiterRegistry Shared { get; } = new();

    /// <summary>The clock of the limiters this registry creates.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>
    /// The registry for <paramref name="timeProvider"/>: <see cref="Shared"/> for the system clock (or null), else one
    /// registry per clock instance, so clients built with the same fake clock share state as real ones do.
    /// </summary>
    public static QuotaLimiterRegistry For(TimeProvider? timeProvider) =>
        timeProvider is null || ReferenceEquals(timeProvider, TimeProvider.System)
            ? Shared
            : ByClock.GetValue(timeProvider, static clock => new QuotaLimiterRegistry(clock));

    /// <summary>
    /// Returns the limiter of the partition in <paramref name="scope"/>, creating it with <paramref name="options"/> the
    /// first time. The partition is <paramref name="options"/>.<see cref="RateLimitOptions.PartitionKey"/> when set, else
    /// <paramref name="credential"/>. A caller whose limits differ from the partition's tightens them to the strictest
    /// of both (see the remarks of <see cref="QuotaLimiterRegistry"/>).
    /// </summary>
    /// <param name="scope">The service, e.g. <c>symtrain</c>, so that equal credentials or partition keys of two services stay apart.</param>
    /// <param name="credential">The default partition: the credential. Only its SHA-256 hash is kept or shown.</param>
    /// <param name="options">The limit, window, queue bound and partition key.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public QuotaLimiter GetOrCreate(string scope, string credential, RateLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(options);
        var configured = !string.IsNullOrWhiteSpace(options.PartitionKey);

        // A configured key and a credential never meet: each has its own prefix before hashing.
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(configured ? "partition\u001f" + options.PartitionKey : "credential\u001f" + credential)));
        var settings = QuotaSettings.From(options);
        var partition = _partitions.GetOrAdd(
            scope + ":" + hash,
            static (_, state) => new Partition(
                new QuotaLimiter(state.settings.PermitLimit, state.settings.Window, state.settings.QueueLimit, state.time),
                state.settings,
                state.configured ? $"'{state.options.PartitionKey}'" : $"of the credential with SHA-256 {state.hash[..12]}"),
            (settings, time: TimeProvider, configured, options, hash));
        if (!partition.HasSeen(settings))
        {
            partition.Add(settings);
        }

        return partition.Limiter;
    }

    private sealed class Partition(QuotaLimiter limiter, QuotaSettings first, string name)
    {
        private readonly object _gate = new();
        private QuotaSettings[] _seen = [first];

        public QuotaLimiter Limiter { get; } = limiter;

        // Read per request: a lock-free scan of the (usually one) settings seen so far.
        public bool HasSeen(QuotaSettings settings) => Array.IndexOf(Volatile.Read(ref _seen), settings) >= 0;

        public void Add(QuotaSettings settings)
        {
            lock (_gate)
            {
                if (HasSeen(settings))
                {
                    return;
                }

                Volatile.Write(ref _seen, [.. _seen, settings]);
                Limiter.Tighten(settings, inForce => new QuotaSettingsConflict(name, inForce, settings, inForce.Strictest(settings)));
            }
        }
    }
}
