namespace TrainingApis.Sandbox.Control;

/// <summary>
/// Faults scripted through <c>POST /_sandbox/faults</c>: the next <c>count</c> requests whose path starts with
/// <c>path</c> (and whose method matches, when given) get <c>statusCode</c> — or a dropped connection — instead of
/// their answer. Faulted requests take no quota. Thread-safe.
/// </summary>
internal sealed class FaultInjector
{
    private readonly object _gate = new();
    private readonly List<Fault> _faults = [];

    public FaultInfo Add(string path, string? method, int statusCode, int count, int? retryAfterSeconds, bool abort)
    {
        var fault = new Fault(Guid.NewGuid().ToString("N")[..12], path, method, statusCode, retryAfterSeconds, abort) { Remaining = count };
        lock (_gate)
        {
            _faults.Add(fault);
        }

        return fault.Info();
    }

    public IReadOnlyList<FaultInfo> List()
    {
        lock (_gate)
        {
            return _faults.Select(f => f.Info()).ToArray();
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }

    /// <summary>Takes one use of the first fault matching the request, or returns null.</summary>
    public FaultInfo? TryTake(string method, string path)
    {
        lock (_gate)
        {
            foreach (var fault in _faults)
            {
                if (path.StartsWith(fault.Path, StringComparison.OrdinalIgnoreCase)
                    && (fault.Method is null || string.Equals(fault.Method, method, StringComparison.OrdinalIgnoreCase)))
                {
                    fault.Remaining--;
                    if (fault.Remaining <= 0)
                    {
                        _faults.Remove(fault);
                    }

                    return fault.Info();
                }
            }

            return null;
        }
    }

    private sealed record Fault(string Id, string Path, string? Method, int StatusCode, int? RetryAfterSeconds, bool Abort)
    {
        public int Remaining { get; set; }

        public FaultInfo Info() => new(Id, Path, Method, StatusCode, Remaining, RetryAfterSeconds, Abort);
    }
}
