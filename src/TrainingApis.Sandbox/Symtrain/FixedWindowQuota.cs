namespace TrainingApis.Sandbox.Symtrain;

/// <summary>
/// Symtrain's quota: a fixed window of <c>limit</c> requests per API key. A window opens at the first request and lasts
/// <c>window</c>; the first request after it has ended opens the next. Time comes from the sandbox's clock.
/// </summary>
internal sealed class FixedWindowQuota
{
    private readonly object _gate = new();
    private readonly Dictionary<string, (DateTimeOffset Start, int Count)> _windows = new(StringComparer.Ordinal);
    private readonly int _limit;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;

    public FixedWindowQuota(int limit, TimeSpan window, TimeProvider time)
    {
        _limit = limit;
        _window = window;
        _time = time;
    }

    /// <summary>Takes one request from <paramref name="key"/>'s window; false, with the wait, when the window is used up.</summary>
    public bool TryAcquire(string key, out TimeSpan retryAfter)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (!_windows.TryGetValue(key, out var current) || now >= current.Start + _window)
            {
                current = (now, 0);
            }

            if (current.Count >= _limit)
            {
                _windows[key] = current;
                retryAfter = current.Start + _window - now;
                return false;
            }

            _windows[key] = (current.Start, current.Count + 1);
            retryAfter = TimeSpan.Zero;
            return true;
        }
    }
}
