namespace TrainingApis.Testing;

/// <summary>
/// The work of one test: every async continuation that descends from the test's execution context, on whatever thread
/// it runs. An <see cref="AsyncLocal{T}"/> with a change handler sees each thread enter and leave that context, so the
/// flow counts how many threads run its code now (<see cref="Active"/>) and how often one started to (<see cref="Entries"/>).
/// </summary>
internal sealed class TestFlow
{
    private static readonly AsyncLocal<TestFlow?> CurrentFlow = new(OnChanged);

    private int _active;
    private long _entries;

    /// <summary>The flow of the calling code, or null when nothing tracks it.</summary>
    public static TestFlow? Current => CurrentFlow.Value;

    /// <summary>Threads running code of this flow now (the thread that created it included, until it leaves).</summary>
    public int Active => Volatile.Read(ref _active);

    /// <summary>How many times a thread started to run code of this flow.</summary>
    public long Entries => Interlocked.Read(ref _entries);

    /// <summary>
    /// Starts tracking the caller's work, unless it is tracked already. A synchronous method, on purpose: the value it
    /// sets stays in the calling async method (an async method's own changes would be undone when it returns).
    /// </summary>
    public static TestFlow Track() => CurrentFlow.Value ??= new TestFlow();

    private static void OnChanged(AsyncLocalValueChangedArgs<TestFlow?> change)
    {
        if (change.PreviousValue is { } left)
        {
            Interlocked.Decrement(ref left._active);
        }

        if (change.CurrentValue is { } entered)
        {
            Interlocked.Increment(ref entered._active);
            Interlocked.Increment(ref entered._entries);
        }
    }
}
