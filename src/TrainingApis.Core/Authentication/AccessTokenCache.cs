using System.Net;

namespace TrainingApis.Core.Authentication;

/// <summary>
/// Holds the token of one credential for every client and thread of the process. Acquisition (a login) is
/// single-flight: any number of concurrent callers share one, its failure included.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A token with a known expiry is renewed early by a margin proportional to its life (a tenth of it, at most
/// <see cref="MaxRefreshMargin"/>), measured from its issue time (<see cref="AccessToken.IssuedAt"/>) when known, so a
/// client clock ahead of or behind the server's does not matter. A token that looks expired on arrival by this clock is
/// used until the server rejects it (<see cref="Invalidate"/>): a token the server accepts never causes a login per call.
/// An early renewal that fails for any reason but a refusal (a 5xx, a 429, a timeout, the network) keeps the token it
/// was to replace while that token has not expired by this clock, and is tried again after the backoff below.</item>
/// <item>A refused login (<see cref="ApiAuthenticationException"/> with 401 or 403) is remembered: every later call fails
/// at once with the same exception, without a request, until <see cref="RefreshAsync"/> or <see cref="Clear"/> (or
/// other credentials, which are another cache).</item>
/// <item>Any other failed login is shared by the callers waiting for it and by those arriving within a backoff after
/// it (1 second, doubling with each consecutive failure up to <see cref="MaxFailureBackoff"/>, or the server's
/// <c>Retry-After</c> when longer); the first call after the backoff tries again.</item>
/// <item>A token that the server refused (401) although it had just been acquired to replace a refused one shows that a
/// new login does not help (the account may not use that endpoint): until the server accepts the token, or for the same
/// backoff, a 401 to it is returned without another login (<see cref="IsReplacementHeldBack"/>).</item>
/// </list>
/// </remarks>
internal sealed class AccessTokenCache
{
    /// <summary>The longest early-renewal margin: 30 seconds.</summary>
    public static readonly TimeSpan MaxRefreshMargin = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait after a failed login (not a refused one) before the next: 1 minute.</summary>
    public static readonly TimeSpan MaxFailureBackoff = TimeSpan.FromMinutes(1);

    private const int RefreshMarginDivisor = 10;
    private static readonly TimeSpan FirstFailureBackoff = TimeSpan.FromSeconds(1);

    private readonly object _gate = new();
    private readonly TimeProvider _timeProvider;
    private Entry? _current;
    private int _acquisitions;
    private int _consecutiveFailures;
    private int _refusedReplacements;

    /// <summary>Creates an empty cache on <paramref name="timeProvider"/> (the system clock when null).</summary>
    public AccessTokenCache(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>How many acquisitions (logins) this cache has started.</summary>
    public int AcquisitionCount => Volatile.Read(ref _acquisitions);

    /// <summary>The value of the current token, if one is held; for masking it in messages.</summary>
    public string? PeekTokenValue()
    {
        lock (_gate)
        {
            return _current?.Task is { IsCompletedSuccessfully: true } task ? task.Result.Value : null;
        }
    }

    /// <summary>
    /// Returns the current token, or acquires one with <paramref name="acquire"/> when there is none or it is due for
    /// renewal. Concurrent callers share one acquisition; cancelling one caller's wait does not cancel it for the others
    /// (<paramref name="acquire"/> gets <see cref="CancellationToken.None"/>: it must bound itself).
    /// </summary>
    /// <exception cref="ApiAuthenticationException">The login was refused, now or earlier (remembered).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    /// <remarks>Any exception of the shared acquisition (or of a recent one still in its backoff) is rethrown as is.</remarks>
    public Task<AccessToken> GetTokenAsync(Func<CancellationToken, Task<AccessToken>> acquire, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(acquire);
        return Get(acquire, renew: false, cancellationToken);
    }

    /// <summary>
    /// Acquires a new token now and makes it the one every caller gets: the token held so far and a remembered
    /// failure are dropped. An acquisition already in flight is joined instead of starting another; when that is an
    /// early renewal that fails, this throws its exception although other callers keep the old token.
    /// </summary>
    /// <exception cref="ApiAuthenticationException">The login was refused.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    public Task<AccessToken> RefreshAsync(Func<CancellationToken, Task<AccessToken>> acquire, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(acquire);
        return Get(acquire, renew: true, cancellationToken);
    }

    /// <summary>
    /// Drops <paramref name="rejectedToken"/> (the server answered 401 to it), unless another caller already replaced
    /// it, so that the next <see cref="GetTokenAsync"/> acquires a new one exactly once.
    /// </summary>
    public void Invalidate(string rejectedToken)
    {
        lock (_gate)
        {
            if (_current?.Task is { IsCompletedSuccessfully: true } task && string.Equals(task.Result.Value, rejectedToken, StringComparison.Ordinal))
            {
                _current = null;
            }
        }
    }

    /// <summary>
    /// Whether a 401 to <paramref name="rejectedToken"/> is to be returned as is, without a new login: the token is the
    /// current one and the server refused it right after it replaced a refused one (<see cref="HoldBackReplacement"/>),
    /// less than a backoff ago.
    /// </summary>
    public bool IsReplacementHeldBack(string rejectedToken)
    {
        if (Volatile.Read(ref _refusedReplacements) == 0)
        {
            return false;
        }

        lock (_gate)
        {
            return Holds(_current, rejectedToken) && _current!.HeldUntil is { } until && _timeProvider.GetUtcNow() < until;
        }
    }

    /// <summary>
    /// Records that the server refused <paramref name="token"/>, acquired to replace a refused token: a 401 to it makes
    /// no new login for a backoff (1 second, doubling with each such refusal in a row, at most <see cref="MaxFailureBackoff"/>),
    /// or until <see cref="Accepted"/>. Refusals while it is held back (concurrent replays) do not extend it.
    /// </summary>
    public void HoldBackReplacement(string token)
    {
        lock (_gate)
        {
            var now = _timeProvider.GetUtcNow();

            // Concurrent replays refused together are one refusal of the token, not one per call: the backoff doubles
            // only for a refusal after the hold-back ended.
            if (Holds(_current, token) && !(_current!.HeldUntil is { } until && now < until))
            {
                _current.HeldUntil = now + FailureBackoff(++_refusedReplacements, null);
            }
        }
    }

    /// <summary>Records that the server accepted <paramref name="token"/> (answered other than 401): a held-back replacement ends.</summary>
    public void Accepted(string token)
    {
        if (Volatile.Read(ref _refusedReplacements) == 0)
        {
            return; // The usual case: nothing held, no lock.
        }

        lock (_gate)
        {
            if (Holds(_current, token))
            {
                _current!.HeldUntil = null;
                _refusedReplacements = 0;
            }
        }
    }

    /// <summary>Drops whatever is held: the token, or a remembered failure.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _current = null;
            _consecutiveFailures = 0;
            _refusedReplacements = 0;
        }
    }

    private Task<AccessToken> Get(Func<CancellationToken, Task<AccessToken>> acquire, bool renew, CancellationToken cancellationToken)
    {
        Entry? started = null;
        Entry? joined;
        Task<AccessToken> task;
        lock (_gate)
        {
            var current = _current;
            if (current is null || (current.Task.IsCompleted && (renew || IsDue(current))))
            {
                started = new Entry(new TaskCompletionSource<AccessToken>(TaskCreationOptions.RunContinuationsAsynchronously));
                if (!renew && current is { Task.IsCompletedSuccessfully: true, ExpiresAt: { } expires } && _timeProvider.GetUtcNow() < expires)
                {
                    // An early renewal: the token it replaces still works if the login fails.
                    started.Fallback = current.Task.Result;
                    started.ExpiresAt = expires;
                }

                _current = started;
                _acquisitions++;
                if (renew)
                {
                    _consecutiveFailures = 0;
                    _refusedReplacements = 0;
                }

                current = started;
            }

            joined = current;
            task = current.Task;
        }

        if (started is not null)
        {
            _ = AcquireAsync(started, acquire);
        }
        else if (renew)
        {
            // An explicit login joining an early renewal: if that fails, its caller learns so, not the old token.
            task = FailedRenewalThrownAsync(joined!, task);
        }

        return task.IsCompleted ? task : task.WaitAsync(cancellationToken);
    }

    private static async Task<AccessToken> FailedRenewalThrownAsync(Entry entry, Task<AccessToken> task)
    {
        var token = await task.ConfigureAwait(false);
        if (entry.RenewalFailure is { } failure)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        return token;
    }

    // Called under the gate, for a completed entry: whether the next caller starts a new acquisition.
    private bool IsDue(Entry entry)
    {
        if (entry.Task.IsCompletedSuccessfully)
        {
            return entry.RenewAt is { } at && _timeProvider.GetUtcNow() >= at;
        }

        return !entry.Remembered && _timeProvider.GetUtcNow() >= entry.RenewAt;
    }

    private async Task AcquireAsync(Entry entry, Func<CancellationToken, Task<AccessToken>> acquire)
    {
        try
        {
            // Not the first caller's token: its cancellation must not fail the others. The login bounds itself.
            var token = await acquire(CancellationToken.None).ConfigureAwait(false);
            lock (_gate)
            {
                var now = _timeProvider.GetUtcNow();
                entry.RenewAt = RenewalTime(token, now);
                entry.ExpiresAt = entry.RenewAt is null ? null : now + Lifetime(token, now);
                entry.Fallback = null;
                _consecutiveFailures = 0;
            }

            entry.Completion.TrySetResult(token);
        }
        catch (Exception ex) when (ex is not ApiAuthenticationException { StatusCode: HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden } && KeepsFallback(entry, ex))
        {
            // The early renewal failed, but the token it was to replace has not expired: used until then.
            entry.Completion.TrySetResult(entry.Fallback!);
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                entry.Remembered = ex is ApiAuthenticationException { StatusCode: HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden };
                if (!entry.Remembered)
                {
                    entry.RenewAt = _timeProvider.GetUtcNow() + FailureBackoff(++_consecutiveFailures, ex);
                }
            }

            entry.Completion.TrySetException(ex);
            _ = entry.Task.Exception; // Observed here: waiters that gave up must not leave it unobserved.
        }
    }

    // Called without the gate (it takes it): whether the failed renewal of entry falls back on the token it was to replace, which then stays
    // the current one until it expires, renewal tried again after the backoff.
    private bool KeepsFallback(Entry entry, Exception ex)
    {
        lock (_gate)
        {
            var now = _timeProvider.GetUtcNow();
            if (entry.Fallback is null || entry.ExpiresAt is not { } expires || now >= expires)
            {
                return false;
            }

            var retryAt = now + FailureBackoff(++_consecutiveFailures, ex);
            entry.RenewAt = retryAt < expires ? retryAt : expires;
            entry.RenewalFailure = ex;
            return true;
        }
    }

    /// <summary>When a token received at <paramref name="receivedAt"/> is renewed; null to keep it until it is rejected.</summary>
    internal static DateTimeOffset? RenewalTime(AccessToken token, DateTimeOffset receivedAt)
    {
        var lifetime = Lifetime(token, receivedAt);
        if (lifetime <= TimeSpan.Zero)
        {
            return null; // Expired on arrival by this clock: the server decides (a 401), not the clock.
        }

        var margin = lifetime / RefreshMarginDivisor;
        return receivedAt + lifetime - (margin < MaxRefreshMargin ? margin : MaxRefreshMargin);
    }

    // The server's own view of the lifetime when it says when it issued the token (immune to clock skew), else what is
    // left of it by this clock; zero when unknown.
    private static TimeSpan Lifetime(AccessToken token, DateTimeOffset receivedAt) =>
        token.ExpiresAt is not { } expires ? TimeSpan.Zero
        : token.IssuedAt is { } issued && issued < expires ? expires - issued
        : expires - receivedAt;

    private static bool Holds(Entry? entry, string token) =>
        entry?.Task is { IsCompletedSuccessfully: true } task && string.Equals(task.Result.Value, token, StringComparison.Ordinal);

    private static TimeSpan FailureBackoff(int failures, Exception? ex)
    {
        var backoff = failures >= 7 ? MaxFailureBackoff : FirstFailureBackoff * (1 << (failures - 1));
        if (ex is ApiRateLimitException { RetryAfter: { } retryAfter } && retryAfter > backoff)
        {
            backoff = retryAfter;
        }

        return backoff < MaxFailureBackoff ? backoff : MaxFailureBackoff;
    }

    /// <summary>One acquisition and what became of it. Its fields are written under the cache's gate.</summary>
    private sealed class Entry(TaskCompletionSource<AccessToken> completion)
    {
        public TaskCompletionSource<AccessToken> Completion { get; } = completion;

        public Task<AccessToken> Task => Completion.Task;

        /// <summary>For a token, when to renew it (null: never by the clock); for a failure, when the next attempt may start.</summary>
        public DateTimeOffset? RenewAt { get; set; }

        /// <summary>A refused login: kept until <see cref="RefreshAsync"/> or <see cref="Clear"/>.</summary>
        public bool Remembered { get; set; }

        /// <summary>For a token refused right after it replaced a refused one: until when a 401 to it makes no new login.</summary>
        public DateTimeOffset? HeldUntil { get; set; }

        /// <summary>For a token, when it expires by this clock (null: unknown); while a renewal runs, the same for <see cref="Fallback"/>.</summary>
        public DateTimeOffset? ExpiresAt { get; set; }

        /// <summary>While an early renewal runs: the token it replaces, the answer if it fails before <see cref="ExpiresAt"/>.</summary>
        public AccessToken? Fallback { get; set; }

        /// <summary>Why the early renewal failed when <see cref="Fallback"/> was kept: thrown to an explicit login that joined it.</summary>
        public Exception? RenewalFailure { get; set; }
    }
}
