using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using TrainingApis.Core;
using TrainingApis.Core.RateLimiting;

namespace TrainingApis.Redis;

/// <summary>
/// The quota of one client shared through Redis: never more than the limit per window for a partition across every
/// process that uses the same server and key prefix. A permit counts from its grant until one window after its lease is
/// disposed (the request completed), as with <see cref="QuotaLimiter"/>. While Redis is unreachable, a local
/// <see cref="QuotaLimiter"/> with this instance's share applies (or calls fail fast).
/// </summary>
internal sealed partial class RedisQuotaLimiter : RateLimiter
{
    // A waiter re-runs the acquire script at least this often, so its place in the waiting list stays alive; a waiter
    // that stops (a crashed process) is dropped from the list after twice this.
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MinWait = TimeSpan.FromMilliseconds(1);

    private readonly Func<RedisQuotaPartition?> _partition;
    private readonly RedisConnection _connection;
    private readonly RedisSharingOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RedisDiagnostics _diagnostics;
    private readonly ConcurrentDictionary<(string Hash, int Limit, TimeSpan Window, int Queue), QuotaLimiter> _fallbacks = new();
    // One gate per partition: a call waiting for one partition (a key rotated since) never holds up another's.
    private readonly ConcurrentDictionary<string, PartitionGate> _gates = new();

    // Cancelled on disposal: calls still waiting (for the gate, a release, a reservation, a local permit) end at once.
    private readonly CancellationTokenSource _disposing = new();
    private readonly ConcurrentDictionary<RedisChannel, Task> _subscriptions = new();
    private readonly ConcurrentDictionary<(string Hash, int Limit, TimeSpan Window, int InForce, TimeSpan InForceWindow), byte> _reported = new();
    private TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _lastFailure;
    private int _unavailable;
    private int _waiting;
    private long _successful;
    private long _failed;
    private long _idleSince;
    private int _inFlight;

    public RedisQuotaLimiter(Func<RedisQuotaPartition?> partition, RedisConnection connection, RedisSharingOptions options, TimeProvider time, ILogger logger, RedisDiagnostics? diagnostics = null)
    {
        _partition = partition;
        _connection = connection;
        _options = options;
        _time = time;
        _logger = logger;
        _diagnostics = diagnostics ?? RedisDiagnostics.Shared;
        _idleSince = time.GetTimestamp();
    }

    /// <summary>Whether the last command found Redis unreachable (the fallback or fail-fast policy is in force).</summary>
    public bool IsUnavailable => Volatile.Read(ref _unavailable) == 1;

    private bool IsDisposed => _disposing.IsCancellationRequested;

    public override TimeSpan? IdleDuration =>
        Volatile.Read(ref _inFlight) > 0 || Volatile.Read(ref _waiting) > 0 ? null : _time.GetElapsedTime(Volatile.Read(ref _idleSince));

    public override RateLimiterStatistics? GetStatistics() => new()
    {
        CurrentAvailablePermits = 0, // Known only to the server; asking would cost a round trip.
        CurrentQueuedCount = Volatile.Read(ref _waiting),
        TotalSuccessfulLeases = Interlocked.Read(ref _successful),
        TotalFailedLeases = Interlocked.Read(ref _failed),
    };

    // A shared quota cannot be checked without a round trip: synchronous attempts are refused unless no permit is asked.
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (permitCount == 0 || _partition() is null)
        {
            return Granted(null);
        }

        Interlocked.Increment(ref _failed);
        return new RejectedLease(TimeSpan.Zero, "The quota shared through Redis is only available through AcquireAsync.");
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        var partition = _partition();
        if (permitCount == 0 || partition is null)
        {
            return Granted(null);
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, partition.PermitLimit);
        var prefix = _options.KeyPrefix + "quota:" + partition.Scope + ":{" + partition.Hash + "}:";
        RedisKey[] keys = [prefix + "permits", prefix + "waiting", prefix + "heartbeats", prefix + "tickets", prefix + "limits"];
        var channel = RedisChannel.Literal(prefix + "released");
        var id = Guid.NewGuid().ToString("N");
        RedisValue[] arguments =
        [
            partition.PermitLimit,
            permitCount,
            id,
            Milliseconds(partition.LeaseTimeToLive + partition.Window),
            Milliseconds(partition.Window),
            Milliseconds(MaxWait + MaxWait),
        ];
        var tags = new TagList { { "service", partition.Scope } };

        // While the quota has room, calls ask at once, side by side (a burst takes one round trip, not one per call);
        // once it is full they queue behind the gate.
        var gate = _gates.GetOrAdd(partition.Hash, static _ => new PartitionGate());
        if (!Volatile.Read(ref gate.Full) && await TryAcquireAtOnceAsync(gate, keys, arguments, channel, id, partition, permitCount, tags, cancellationToken).ConfigureAwait(false) is { } atOnce)
        {
            return atOnce;
        }

        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        try
        {
            return await WaitAsync(gate, keys, arguments, channel, id, partition, permitCount, tags, waiting.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (IsDisposed && !cancellationToken.IsCancellationRequested)
        {
            throw new ObjectDisposedException("The quota shared through Redis was disposed (with its client's container) while this call waited for a permit; nothing was sent.", exception);
        }
    }

    // The quota is full (or Redis did not answer): one call of the partition at a time asks Redis, the others queue.
    private async ValueTask<RateLimitLease> WaitAsync(PartitionGate gate, RedisKey[] keys, RedisValue[] arguments, RedisChannel channel, string id, RedisQuotaPartition partition, int permitCount, TagList tags, CancellationToken cancellationToken)
    {
        Activity? span = null;
        var queued = Interlocked.Increment(ref _waiting) - 1;
        var entered = false;
        IDatabase? database = null;
        var waitingInRedis = false;
        TimeSpan? reserved = null;
        long answered = 0;
        try
        {
            try
            {
                // One acquire per instance and partition talks to Redis at a time; the others wait here, first come first
                // served. This keeps the instance's load on the server at one command per partition however many calls wait.
                if (!gate.Lock.Wait(0))
                {
                    if (queued > partition.QueueLimit)
                    {
                        Interlocked.Increment(ref _failed);
                        return new RejectedLease(partition.Window, string.Create(
                            CultureInfo.InvariantCulture,
                            $"The quota of {partition.PermitLimit} requests per {partition.Window} shared through Redis is exhausted and {partition.QueueLimit} requests of this instance are already waiting (QueueLimit)."));
                    }

                    span = StartWait(partition, tags);
                    await gate.Lock.WaitAsync(cancellationToken).ConfigureAwait(false);
                }

                entered = true;
                while (true)
                {
                    database = await _connection.TryGetDatabaseAsync(IsUnavailable, cancellationToken).ConfigureAwait(false);
                    if (database is null)
                    {
                        break;
                    }

                    // Taken before asking: a release announced after the question wakes this waiter.
                    var released = Volatile.Read(ref _released).Task;
                    RedisResult[] result;
                    try
                    {
                        if (IsUnavailable)
                        {
                            await SeedAsync(database, keys[0], partition, tags, cancellationToken).ConfigureAwait(false);
                        }

                        await SubscribeAsync(channel, cancellationToken).ConfigureAwait(false);
                        _diagnostics.RoundTrips.Add(1, tags);
                        result = (RedisResult[])(await _connection.WithTimeout(database.ScriptEvaluateAsync(RedisQuotaScripts.Acquire, keys, arguments), cancellationToken).ConfigureAwait(false))!;
                    }
                    catch (Exception exception) when (exception is RedisException or TimeoutException)
                    {
                        database = null;
                        _lastFailure = exception.GetType().Name;
                        break;
                    }

                    answered = _time.GetTimestamp();
                    MarkAvailable();
                    ReportLimitsInForce(partition, result);
                    if ((long)result[0] == 1)
                    {
                        _diagnostics.PermitsGranted.Add(permitCount, tags);
                        reserved = TimeSpan.FromMilliseconds((long)result[1]);
                        Volatile.Write(ref gate.Full, reserved > TimeSpan.Zero);
                        break;
                    }

                    Volatile.Write(ref gate.Full, true);

                    // The permits this waiter needs are still in flight: look again when one is released (or after the
                    // wait, so that its place in the list stays alive and a crashed holder's permits are seen to expire).
                    waitingInRedis = true;
                    span ??= StartWait(partition, tags);
                    var wait = TimeSpan.FromMilliseconds((long)result[1]);
                    try
                    {
                        await released.WaitAsync(wait < MinWait ? MinWait : wait > MaxWait ? MaxWait : wait, _time, cancellationToken).ConfigureAwait(false);
                    }
                    catch (TimeoutException)
                    {
                        // No release announced in time: ask again.
                    }
                }
            }
            catch (OperationCanceledException) when (waitingInRedis && database is not null)
            {
                RemoveFromWaitingList(database, keys, id);
                throw;
            }
            finally
            {
                if (entered)
                {
                    gate.Lock.Release();
                }
            }

            if (reserved is { } delay && database is not null)
            {
                // A reservation: the permits start when the one they replace stops counting. Waiting for it outside the
                // gate lets the next call of this instance reserve the permit after.
                if (delay > TimeSpan.Zero)
                {
                    span ??= StartWait(partition, tags);
                    try
                    {
                        // A timer may fire up to its clock's tick early: the wait is checked on the precise clock, and
                        // the permits are only used once the whole delay has passed since the answer.
                        for (var left = delay; left > TimeSpan.Zero; left = delay - _time.GetElapsedTime(answered))
                        {
                            await Task.Delay(left < MinWait ? MinWait : left, _time, cancellationToken).ConfigureAwait(false);
                        }
                    }
                    catch (OperationCanceledException)
                    {
                        // Nothing was sent: the reserved permits go back at once.
                        ForgetPermits(database, keys[0], id, permitCount);
                        throw;
                    }
                }

                return Granted(new RedisRelease(this, database, keys[0], channel, id, permitCount, partition.Window, partition.LeaseTimeToLive + partition.Window, tags));
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
            span?.Dispose();
        }

        // Redis is unreachable: outside the gate, so that local waits do not hold up the others.
        return await FallBackAsync(partition, permitCount, cancellationToken).ConfigureAwait(false);
    }

    // Null when the quota is full (or Redis did not answer): the caller then queues behind the gate.
    private async ValueTask<RateLimitLease?> TryAcquireAtOnceAsync(PartitionGate gate, RedisKey[] keys, RedisValue[] arguments, RedisChannel channel, string id, RedisQuotaPartition partition, int permitCount, TagList tags, CancellationToken cancellationToken)
    {
        if (IsUnavailable || await _connection.TryGetDatabaseAsync(knownDown: false, cancellationToken).ConfigureAwait(false) is not { } database)
        {
            return null;
        }

        RedisResult[] result;
        try
        {
            _diagnostics.RoundTrips.Add(1, tags);
            result = (RedisResult[])(await _connection.WithTimeout(database.ScriptEvaluateAsync(RedisQuotaScripts.Acquire, keys, [.. arguments, "try"]), cancellationToken).ConfigureAwait(false))!;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return null; // The gated path finds Redis unreachable again and applies the policy.
        }

        ReportLimitsInForce(partition, result);
        if ((long)result[0] != 1)
        {
            Volatile.Write(ref gate.Full, true);
            return null;
        }

        _diagnostics.PermitsGranted.Add(permitCount, tags);
        return Granted(new RedisRelease(this, database, keys[0], channel, id, permitCount, partition.Window, partition.LeaseTimeToLive + partition.Window, tags));
    }

    // Another client of the partition (in this process or another) asked for stricter limits: they apply to this one
    // too, as in one process. Logged once per pair of limits.
    private void ReportLimitsInForce(RedisQuotaPartition partition, RedisResult[] result)
    {
        var (limit, window) = ((int)result[2], TimeSpan.FromMilliseconds((long)result[3]));
        if ((limit != partition.PermitLimit || window != partition.Window)
            && _reported.TryAdd((partition.Hash, partition.PermitLimit, partition.Window, limit, window), 0))
        {
            Log.StricterLimitsInForce(_logger, partition.Scope, partition.Hash[..12], partition.PermitLimit, partition.Window, limit, window);
        }
    }

    private Activity? StartWait(RedisQuotaPartition partition, TagList tags)
    {
        _diagnostics.Waits.Add(1, tags);
        var span = RedisDiagnostics.Source.StartActivity("TrainingApis.Redis quota wait");
        span?.SetTag("trainingapis.quota.service", partition.Scope);
        span?.SetTag("trainingapis.quota.permit_limit", partition.PermitLimit);
        return span;
    }

    protected override void Dispose(bool disposing)
    {
        if (!disposing || IsDisposed)
        {
            return;
        }

        _disposing.Cancel();
        foreach (var fallback in _fallbacks.Values)
        {
            fallback.Dispose();
        }

        _connection.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        if (IsDisposed)
        {
            return;
        }

        await _disposing.CancelAsync().ConfigureAwait(false);
        foreach (var fallback in _fallbacks.Values)
        {
            await fallback.DisposeAsync().ConfigureAwait(false);
        }

        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    // The limits in force beside a partition's permit set ("…:permits" → "…:limits").
    private static RedisKey Limits(RedisKey permits)
    {
        var key = (string)permits!;
        return key[..^"permits".Length] + "limits";
    }

    private static long Milliseconds(TimeSpan span) => (long)Math.Ceiling(span.TotalMilliseconds);

    private static void ForgetPermits(IDatabase database, RedisKey permits, string id, int count)
    {
        // Fire and forget: permits that are not removed count until their pending score, which only errs on the safe side.
        try
        {
            _ = database.SortedSetRemoveAsync(permits, [.. Enumerable.Range(1, count).Select(i => (RedisValue)(id + ":" + i.ToString(CultureInfo.InvariantCulture)))], CommandFlags.FireAndForget);
        }
        catch (Exception exception) when (exception is RedisException or ObjectDisposedException)
        {
            // The connection is gone (disposed with the limiter): as above.
        }
    }

    private static void RemoveFromWaitingList(IDatabase database, RedisKey[] keys, string id)
    {
        // Fire and forget: a waiter that is not removed is dropped when its heartbeat runs out.
        try
        {
            var transaction = database.CreateTransaction();
            _ = transaction.SortedSetRemoveAsync(keys[1], id);
            _ = transaction.SortedSetRemoveAsync(keys[2], id);
            _ = transaction.ExecuteAsync(CommandFlags.FireAndForget);
        }
        catch (Exception exception) when (exception is RedisException or ObjectDisposedException)
        {
            // The connection is gone (disposed with the limiter): as above.
        }
    }

    private RateLimitLease Granted(RedisRelease? release)
    {
        Interlocked.Increment(ref _successful);
        if (release is null)
        {
            return RedisLease.Empty;
        }

        Interlocked.Increment(ref _inFlight);
        return new RedisLease(release);
    }

    private async ValueTask<RateLimitLease> FallBackAsync(RedisQuotaPartition partition, int permitCount, CancellationToken cancellationToken)
    {
        // Disposed meanwhile: no new local limiter that nothing would dispose.
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        _diagnostics.Fallbacks.Add(1, new TagList { { "service", partition.Scope }, { "policy", _options.WhenUnavailable.ToString() } });
        var share = Math.Max(1, partition.PermitLimit / _options.ExpectedInstances);
        var reason = Interlocked.Exchange(ref _lastFailure, null) ?? "not connected";
        if (Interlocked.Exchange(ref _unavailable, 1) == 0)
        {
            // The permits granted through Redis since the last outage are unknown: every local share starts used again.
            // Not replaced: calls that noticed the outage first may already wait on them.
            foreach (var fallback in _fallbacks.Values)
            {
                StartUsed(fallback);
            }

            if (_options.WhenUnavailable == RedisUnavailablePolicy.FailFast)
            {
                Log.UnavailableFailFast(_logger, partition.Scope, reason);
            }
            else
            {
                Log.UnavailableFallBack(_logger, partition.Scope, share, partition.Window, reason);
            }
        }

        if (_options.WhenUnavailable == RedisUnavailablePolicy.FailFast)
        {
            Interlocked.Increment(ref _failed);
            throw new ApiRateLimitException(
                $"The quota shared through Redis cannot be checked: Redis is unreachable ({reason}) and WhenUnavailable is FailFast. Nothing was sent. Check that the server in RedisSharingOptions.Configuration is up and reachable, or set WhenUnavailable to FallBackToLocal (with ExpectedInstances) to send at a local share meanwhile.",
                (Exception?)null);
        }

        var local = _fallbacks.GetOrAdd(
            (partition.Hash, share, partition.Window, partition.QueueLimit),
            static (key, time) =>
            {
                // The permits granted through Redis in the last window are unknown here: the local share starts used,
                // and frees one window from now, so that the first window of the outage cannot exceed the limit.
                var limiter = new QuotaLimiter(key.Limit, key.Window, key.Queue, time);
                StartUsed(limiter);
                return limiter;
            },
            _time);
        return await local.AcquireAsync(Math.Min(permitCount, share), cancellationToken).ConfigureAwait(false);
    }

    // Takes every free permit and releases it at once: each counts until one window from now.
    private static void StartUsed(QuotaLimiter limiter)
    {
        while (limiter.AvailablePermits > 0)
        {
            using var lease = limiter.AttemptAcquire(limiter.AvailablePermits);
            if (!lease.IsAcquired)
            {
                return;
            }
        }
    }

    // Back from an outage: the permits this instance granted locally and that still count join the shared quota first.
    private async Task SeedAsync(IDatabase database, RedisKey permits, RedisQuotaPartition partition, TagList tags, CancellationToken cancellationToken)
    {
        var counting = _fallbacks
            .Where(fallback => fallback.Key.Hash == partition.Hash)
            .Sum(fallback => fallback.Key.Limit - fallback.Value.AvailablePermits);
        if (counting == 0)
        {
            return;
        }

        _diagnostics.RoundTrips.Add(1, tags);
        await _connection.WithTimeout(
            database.ScriptEvaluateAsync(RedisQuotaScripts.Release, [permits, Limits(permits)], ["seed-" + Guid.NewGuid().ToString("N"), counting, Milliseconds(partition.Window)]),
            cancellationToken).ConfigureAwait(false);
    }

    // Every instance announces its releases on the partition's channel; a waiter whose permits were in flight wakes on
    // one instead of sleeping a whole window. Subscribed once per channel (again after a failed attempt).
    private async Task SubscribeAsync(RedisChannel channel, CancellationToken cancellationToken)
    {
        var subscription = _subscriptions.GetOrAdd(channel, key => _connection.SubscribeAsync(key, OnReleased));
        try
        {
            await _connection.WithTimeout(subscription, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException && !subscription.IsCompletedSuccessfully)
        {
            _subscriptions.TryRemove(new KeyValuePair<RedisChannel, Task>(channel, subscription));
            throw;
        }
    }

    private void OnReleased() => Interlocked.Exchange(ref _released, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private void MarkAvailable()
    {
        if (Interlocked.Exchange(ref _unavailable, 0) == 1)
        {
            Log.Available(_logger);
        }
    }

    private void Released(RedisRelease release)
    {
        if (Interlocked.Decrement(ref _inFlight) == 0)
        {
            Volatile.Write(ref _idleSince, _time.GetTimestamp());
        }

        if (IsDisposed)
        {
            return;
        }

        _ = ReleaseAsync(release);
    }

    private async Task ReleaseAsync(RedisRelease release)
    {
        try
        {
            var database = await _connection.TryGetDatabaseAsync(IsUnavailable, CancellationToken.None).ConfigureAwait(false);
            if (database is null)
            {
                return; // The permit stays pending and expires after its lease time to live plus the window.
            }

            _diagnostics.RoundTrips.Add(1, release.Tags);
            await database.ScriptEvaluateAsync(
                RedisQuotaScripts.Release,
                [release.Key, Limits(release.Key)],
                [release.Id, release.Count, Milliseconds(release.Window)],
                CommandFlags.FireAndForget).ConfigureAwait(false);

            // Sent after the release on the same connection, so a waiter it wakes finds the permit's end set.
            _diagnostics.RoundTrips.Add(1, release.Tags);
            await database.PublishAsync(release.Channel, RedisValue.EmptyString, CommandFlags.FireAndForget).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or ObjectDisposedException)
        {
            // As above: the pending permit expires by itself, so the quota only errs on the safe side.
        }
    }

    /// <summary>
    /// What a granted shared lease releases: its permits' members in the permit set. While the request is in flight, the
    /// pending permits are renewed every third of their time to live, so a request slower than that (a stalled process,
    /// a late timeout) still counts; only a process that stops renewing (crashed) lets them expire.
    /// </summary>
    internal sealed class RedisRelease
    {
        private readonly object _gate = new();
        private readonly ITimer _renewal;
        private bool _released;

        public RedisRelease(RedisQuotaLimiter owner, IDatabase database, RedisKey key, RedisChannel channel, string id, int count, TimeSpan window, TimeSpan pending, TagList tags)
        {
            (Owner, Database, Key, Channel, Id, Count, Window, Pending, Tags) = (owner, database, key, channel, id, count, window, pending, tags);
            var period = pending / 3;
            _renewal = owner._time.CreateTimer(static state => ((RedisRelease)state!).Renew(), this, period, period);
        }

        public RedisQuotaLimiter Owner { get; }

        public IDatabase Database { get; }

        public RedisKey Key { get; }

        public RedisChannel Channel { get; }

        public string Id { get; }

        public int Count { get; }

        public TimeSpan Window { get; }

        public TimeSpan Pending { get; }

        public TagList Tags { get; }

        public void Release()
        {
            lock (_gate)
            {
                // No renewal is sent after this point, so none can overwrite the release's score.
                _released = true;
                _renewal.Dispose();
            }

            Owner.Released(this);
        }

        private void Renew()
        {
            lock (_gate)
            {
                if (_released || Owner.IsDisposed)
                {
                    return;
                }

                try
                {
                    Owner._diagnostics.RoundTrips.Add(1, Tags);
                    _ = Database.ScriptEvaluateAsync(RedisQuotaScripts.Renew, [Key], [Id, Count, Milliseconds(Pending), Milliseconds(Window)], CommandFlags.FireAndForget);
                }
                catch (Exception exception) when (exception is RedisException or ObjectDisposedException)
                {
                    // Redis is away: the permit stays counted until its pending score, as after a crash.
                }
            }
        }
    }

    /// <summary>The calls of one partition in this instance: one at a time talks to Redis once the quota is full.</summary>
    private sealed class PartitionGate
    {
        public readonly SemaphoreSlim Lock = new(1, 1);

        // Whether the last answer found the quota full: calls then queue behind the lock instead of asking at once.
        public bool Full;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Redis is unreachable ({Reason}): the {Service} quota falls back to this instance's local share of {Share} requests per {Window} until it answers again.")]
        public static partial void UnavailableFallBack(ILogger logger, string service, int share, TimeSpan window, string reason);

        [LoggerMessage(2, LogLevel.Warning, "Redis is unreachable ({Reason}): {Service} calls fail fast (WhenUnavailable is FailFast) until it answers again.")]
        public static partial void UnavailableFailFast(ILogger logger, string service, string reason);

        [LoggerMessage(3, LogLevel.Information, "Redis answers again: the quota is shared through it again.")]
        public static partial void Available(ILogger logger);

        [LoggerMessage(5, LogLevel.Warning, "Clients of the shared {Service} quota partition with SHA-256 {Partition} ask for different limits: this one for {PermitLimit} requests per {Window}, another for stricter ones. The stricter applies to all of them: {InForceLimit} requests per {InForceWindow}.")]
        public static partial void StricterLimitsInForce(ILogger logger, string service, string partition, int permitLimit, TimeSpan window, int inForceLimit, TimeSpan inForceWindow);
    }
}
