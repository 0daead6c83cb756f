namespace TrainingApis.Redis.Scaling;

/// <summary>What the instances of a run sent, merged.</summary>
public sealed class ScalingResult(IReadOnlyList<int> processIds, IReadOnlyList<(DateTime SentAt, int Status)> sends, TimeSpan elapsed, TimeSpan window)
{
    /// <summary>The process ids of the instances (all different: separate OS processes).</summary>
    public IReadOnlyList<int> ProcessIds { get; } = processIds;

    /// <summary>Every request of every instance: when its transport sent it (the machine's UTC clock) and the status.</summary>
    public IReadOnlyList<(DateTime SentAt, int Status)> Sends { get; } = sends;

    /// <summary>From the first process's start to the last one's exit.</summary>
    public TimeSpan Elapsed { get; } = elapsed;

    /// <summary>Requests the sandbox answered 429.</summary>
    public int TooManyRequests => Sends.Count(s => s.Status == 429);

    /// <summary>From the first send to the last.</summary>
    public TimeSpan SendingTime => Sends.Count == 0 ? TimeSpan.Zero : Sends.Max(s => s.SentAt) - Sends.Min(s => s.SentAt);

    /// <summary>The most requests sent in any span of the window, every span start (each send) checked.</summary>
    public int MaxInAnySpan()
    {
        var times = Sends.Select(s => s.SentAt).Order().ToArray();
        var max = 0;
        var end = 0;
        for (var start = 0; start < times.Length; start++)
        {
            while (end < times.Length && times[end] - times[start] < window)
            {
                end++;
            }

            max = Math.Max(max, end - start);
        }

        return max;
    }

    /// <summary>The theoretical minimum sending time ((⌈calls ÷ limit⌉ − 1) × window) divided by the measured one.</summary>
    public double Utilisation(int limit)
    {
        var minimum = (Math.Ceiling(Sends.Count / (double)limit) - 1) * window.TotalMilliseconds;
        return SendingTime == TimeSpan.Zero ? 0 : minimum / SendingTime.TotalMilliseconds;
    }
}
