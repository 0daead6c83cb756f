namespace TrainingApis.Core.Authentication;

/// <summary>
/// Holds the token of one credential for every client and thread of the process. Acquisition is single-flight: any
/// number of concurrent callers cause one login. A failed login is not cached: the next call tries again.
/// </summary>
public sealed class AccessTokenCache
{
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromSeconds(30);
    private readonly object _gate = new();
    private readonly TimeProvider _timeProvider;
    private Task<AccessToken>? _current;
    private int _acquisitions;

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
            return _current is { IsCompletedSuccessfully: true } task ? task.Result.Value : null;
        }
    }

    /// <summary>
    /// Returns the current token, or acquires one with <paramref name="acquire"/> when there is none or it is about to
    /// expire. Concurrent callers share one acquisition; cancelling one caller's wait does not cancel it for the others.
    /// </summary>
    public Task<AccessToken> GetTokenAsync(Func<CancellationToken, Task<AccessToken>> acquire, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(acquire);
        TaskCompletionSource<AccessToken>? started = null;
        Task<AccessToken> task;
        lock (_gate)
        {
            if (_current is null || _current.IsFaulted || _current.IsCanceled || IsExpiring(_current))
            {
                started = new TaskCompletionSource<AccessToken>(TaskCreationOptions.RunContinuationsAsynchronously);
                _current = started.Task;
                _acquisitions++;
            }

            task = _current;
        }

        if (started is not null)
        {
            _ = AcquireAsync(started, acquire);
        }

        return task.IsCompleted ? task : task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Drops <paramref name="rejectedToken"/> (the server answered 401 to it), unless another caller already replaced
    /// it, so that the next <see cref="GetTokenAsync"/> acquires a new one exactly once.
    /// </summary>
    public void Invalidate(string rejectedToken)
    {
        lock (_gate)
        {
            if (_current is { IsCompletedSuccessfully: true } task && string.Equals(task.Result.Value, rejectedToken, StringComparison.Ordinal))
            {
                _current = null;
            }
        }
    }

    /// <summary>Drops whatever token is held.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _current = null;
        }
    }

    private bool IsExpiring(Task<AccessToken> task) =>
        task.IsCompletedSuccessfully && task.Result.ExpiresAt is { } expires && _timeProvider.GetUtcNow() >= expires - RefreshMargin;

    private async Task AcquireAsync(TaskCompletionSource<AccessToken> completion, Func<CancellationToken, Task<AccessToken>> acquire)
    {
        try
        {
            // Not the first caller's token: its cancellation must not fail the others. The login has its own timeout.
            var token = await acquire(CancellationToken.None).ConfigureAwait(false);
            completion.TrySetResult(token);
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                if (ReferenceEquals(_current, completion.Task))
                {
                    _current = null;
                }
            }

            completion.TrySetException(ex);
            _ = completion.Task.Exception; // Observed here: waiters that gave up must not leave it unobserved.
        }
    }
}
