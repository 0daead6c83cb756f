namespace TrainingApis.Testing;

/// <summary>
/// Creates the <see cref="FakeTimeProvider"/> of a test. Its clock starts at <see cref="Start"/> (the instant the tests
/// were written against) instead of the library's default 2000-01-01, and the calling test's work is tracked so that
/// <see cref="FakeTimeProviderExtensions.RunAsync(FakeTimeProvider, Task, TimeSpan?)"/> knows when it is idle.
/// </summary>
public static class FakeTime
{
    /// <summary>2026-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A fake clock at <paramref name="start"/> (default <see cref="Start"/>); tracks the calling test's work.</summary>
    public static FakeTimeProvider Create(DateTimeOffset? start = null)
    {
        TestFlow.Track();
        return new FakeTimeProvider(start ?? Start);
    }

    /// <summary>
    /// Tracks the work the calling test starts from now on (its async continuations, on any thread), so that
    /// <c>RunAsync</c> moves the clock only once that work is idle. <see cref="Create"/> and <c>RunAsync</c> call it;
    /// call it first in a test that builds its <see cref="FakeTimeProvider"/> with <c>new</c> and starts work before
    /// its first <c>RunAsync</c>.
    /// </summary>
    public static void Track() => TestFlow.Track();
}
