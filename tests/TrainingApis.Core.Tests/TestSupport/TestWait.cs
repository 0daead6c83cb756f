namespace TrainingApis.Core.Tests.TestSupport;

/// <summary>
/// Waits (in real time, polling) for work already running on the thread pool to reach a state. Never used to wait out
/// a fake-time window: the clock only moves when a test advances it.
/// </summary>
internal static class TestWait
{
    public static async Task UntilAsync(Func<bool> condition, string what, int timeoutSeconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {what}.");
            }

            await Task.Delay(1);
        }
    }

    /// <summary>A guard against a hung test: the task must complete within a generous real-time bound.</summary>
    public static Task<T> Guard<T>(this Task<T> task) => task.WaitAsync(TimeSpan.FromSeconds(30));

    /// <inheritdoc cref="Guard{T}(Task{T})"/>
    public static Task Guard(this Task task) => task.WaitAsync(TimeSpan.FromSeconds(30));
}
