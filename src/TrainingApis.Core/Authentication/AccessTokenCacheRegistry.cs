using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace TrainingApis.Core.Authentication;

/// <summary>One <see cref="AccessTokenCache"/> per credential, shared by every client of the process.</summary>
internal sealed class AccessTokenCacheRegistry
{
    private readonly ConcurrentDictionary<string, AccessTokenCache> _caches = new(StringComparer.Ordinal);

    /// <summary>Creates a registry whose caches run on <paramref name="timeProvider"/> (the system clock when null).</summary>
    public AccessTokenCacheRegistry(TimeProvider? timeProvider = null)
    {
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The registry of the process.</summary>
    public static AccessTokenCacheRegistry Shared { get; } = new();

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<TimeProvider, AccessTokenCacheRegistry> ByClock = new();

    /// <summary>
    /// The registry for <paramref name="timeProvider"/>: <see cref="Shared"/> for the system clock (or null), else one
    /// registry per clock instance, so clients built with the same fake clock share state as real ones do.
    /// </summary>
    public static AccessTokenCacheRegistry For(TimeProvider? timeProvider) =>
        timeProvider is null || ReferenceEquals(timeProvider, TimeProvider.System)
            ? Shared
            : ByClock.GetValue(timeProvider, static clock => new AccessTokenCacheRegistry(clock));

    /// <summary>The clock of the caches.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Returns the cache of a credential. Only a SHA-256 hash of the parts is kept.</summary>
    /// <param name="parts">What identifies the credential: base address, username, password.</param>
    public AccessTokenCache GetOrCreate(params string?[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\u001f", parts))));
        return _caches.GetOrAdd(key, static (_, time) => new AccessTokenCache(time), TimeProvider);
    }
}
