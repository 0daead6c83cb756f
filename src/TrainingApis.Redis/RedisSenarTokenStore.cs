using System.Globalization;
using Microsoft.Extensions.Logging;
using Senar.Client.Auth;
using StackExchange.Redis;

namespace TrainingApis.Redis;

/// <summary>
/// The Senar token shared by every instance through Redis: kept under a hash of the base address and username (never
/// the password), fetched by whichever instance takes a short lock first, reused by the others, and replaced once when
/// an instance reports it refused. While Redis is unreachable each instance logs in on its own.
/// </summary>
internal sealed partial class RedisSenarTokenStore(RedisConnection connection, RedisSharingOptions options, TimeProvider time, ILogger logger) : ISenarTokenStore, IAsyncDisposable, IDisposable
{
    // Longest a login may hold the lock; a crashed holder's lock expires after it.
    private static readonly TimeSpan LockTime = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxPoll = TimeSpan.FromMilliseconds(200);

    // A token without a known expiry is kept this long at most (it is replaced on a 401 anyway).
    private static readonly TimeSpan MaxKeep = TimeSpan.FromHours(12);

    // Deletes the lock only when this instance still holds it.
    private const string Unlock = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

    public async Task<SenarToken> GetOrLoginAsync(string credentialKey, string? replacing, Func<CancellationToken, Task<SenarToken>> login, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentialKey);
        ArgumentNullException.ThrowIfNull(login);
        RedisKey key = options.KeyPrefix + "senar:token:{" + credentialKey + "}";
        RedisKey lockKey = options.KeyPrefix + "senar:token:{" + credentialKey + "}:lock";
        var holder = Guid.NewGuid().ToString("N");
        var poll = TimeSpan.FromMilliseconds(10);
        var loggingIn = false;
        try
        {
            while (true)
            {
                var database = await connection.TryGetDatabaseAsync(knownDown: false, cancellationToken).ConfigureAwait(false);
                if (database is null)
                {
                    break;
                }

                if (Read(await connection.WithTimeout(database.StringGetAsync(key), cancellationToken).ConfigureAwait(false), replacing, time.GetUtcNow()) is { } shared)
                {
                    return shared;
                }

                if (await connection.WithTimeout(database.StringSetAsync(lockKey, holder, LockTime, When.NotExists), cancellationToken).ConfigureAwait(false))
                {
                    try
                    {
                        // Another instance may have stored a new token between the read and the lock.
                        if (Read(await connection.WithTimeout(database.StringGetAsync(key), cancellationToken).ConfigureAwait(false), replacing, time.GetUtcNow()) is { } stored)
                        {
                            return stored;
                        }

                        loggingIn = true;
                        var token = await login(cancellationToken).ConfigureAwait(false);
                        await StoreAsync(database, key, token).ConfigureAwait(false);
                        return token;
                    }
                    finally
                    {
                        _ = database.ScriptEvaluateAsync(Unlock, [lockKey], [holder], CommandFlags.FireAndForget);
                    }
                }

                // Another instance is logging in: look again shortly, more slowly each time (a login takes one round trip to Senar).
                await Task.Delay(poll, time, cancellationToken).ConfigureAwait(false);
                poll = poll + poll < MaxPoll ? poll + poll : MaxPoll;
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException && !loggingIn && !cancellationToken.IsCancellationRequested)
        {
            // Redis's own failure (a failed login is the caller's error, thrown as it is).
            Log.TokenStoreUnavailable(logger, exception.GetType().Name);
        }

        return await login(cancellationToken).ConfigureAwait(false);
    }

    private async Task StoreAsync(IDatabase database, RedisKey key, SenarToken token)
    {
        var keep = token.ExpiresAt is { } at ? at - time.GetUtcNow() : MaxKeep;
        if (keep <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            await connection.WithTimeout(database.StringSetAsync(key, Write(token), keep < MaxKeep ? keep : MaxKeep), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // The token is good: this instance uses it; the others log in when they find none.
            Log.TokenStoreUnavailable(logger, exception.GetType().Name);
        }
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();

    // A container disposed synchronously (a host built without async disposal) refuses services that are only IAsyncDisposable.
    public void Dispose() => connection.DisposeAsync().AsTask().GetAwaiter().GetResult();

    // Stored as "<expiry in Unix ms, or empty>|<token>".
    private static string Write(SenarToken token) =>
        (token.ExpiresAt?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) ?? string.Empty) + "|" + token.Value;

    // A token past its expiry is no token: the key can outlive it (its time to live was set on the storing instance's
    // clock, which may run behind this one's, or the value was written by hand).
    private static SenarToken? Read(RedisValue stored, string? replacing, DateTimeOffset now)
    {
        var text = (string?)stored;
        var bar = text?.IndexOf('|', StringComparison.Ordinal) ?? -1;
        if (text is null || bar < 0 || bar == text.Length - 1)
        {
            return null;
        }

        var value = text[(bar + 1)..];
        if (string.Equals(value, replacing, StringComparison.Ordinal))
        {
            return null;
        }

        DateTimeOffset? expiresAt = bar > 0 && long.TryParse(text.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;
        return expiresAt <= now ? null : new SenarToken(value, expiresAt);
    }

    private static partial class Log
    {
        [LoggerMessage(4, LogLevel.Warning, "Redis is unreachable ({Reason}): this instance logs in to Senar on its own until it answers again.")]
        public static partial void TokenStoreUnavailable(ILogger logger, string reason);
    }
}
