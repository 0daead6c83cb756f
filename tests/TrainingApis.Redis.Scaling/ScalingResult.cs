namespace TrainingApis.Redis.Scaling;

/// <summary>What the instances of a run sent, merged.</summary>
public sealed class ScalingResult(IReadOnlyList<int> processIds, IReadOnlyList<(DateTime SentAt, int Status, DateTime AnsweredAt)> sends, TimeSpan elapsed, TimeSpan window)
{
    /// <summary>The process ids of the instances (all different: separate OS processes).</summary>
    public IReadOnlyList<int> ProcessIds { get; } = processIds;

    /// <summary>Every request of every instance: when its transport sent it (the machine's UTC clock), the status, and when the answer came.</summary>
    public IReadOnlyList<(DateTime SentAt, int Status, DateTime AnsweredAt)> Sends { get; } = sends;

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

    /// <summary>The mean time from a request's send to its answer, as its transport saw it.</summary>
    public TimeSpan MeanRequestTime => Sends.Count == 0 ? TimeSpan.Zero : TimeSpan.FromTicks((long)Sends.Average(s => (s.AnsweredAt - s.SentAt).Ticks));

    /// <summary>
    /// How much longer than the window, on average, a permit took to be used again: the mean of the time between the
    /// i-th send and the (i + limit)-th, minus the window (zero would be a perfect use of the quota).
    /// </summary>
    public TimeSpan MeanOverheadPerWindow(int limit)
    {
        var times = Sends.Select(s => s.SentAt).Order().ToArray();
        return times.Length <= limit ? TimeSpan.Zero : TimeSpan.FromTicks((long)Enumerable.Range(0, times.Length - limit).Average(i => (times[i + limit] - times[i]).Ticks)) - window;
    }

    /// <summary>
    /// As <see cref="Utilisation"/>, with a minimum that also counts each request's own mean duration: a permit counts
    /// until one window after its request completes, so no run can reuse it sooner than window + request time.
    /// </summary>
    public double UtilisationCountingRequestTime(int limit)
    {
        var minimum = (Math.Ceiling(Sends.Count / (double)limit) - 1) * (window + MeanRequestTime).TotalMilliseconds;
        return SendingTime == TimeSpan.Zero ? 0 : minimum / SendingTime.TotalMilliseconds;
    }

    /// <summary>The theoretical minimum sending time ((⌈calls ÷ limit⌉ − 1) × window) divided by the measured one.</summary>
    public double Utilisation(int limit)
    {
        var minimum = (Math.Ceiling(Sends.Count / (double)limit) - 1) * window.TotalMilliseconds;
        return SendingTime == TimeSpan.Zero ? 0 : minimum / SendingTime.TotalMilliseconds;
    }
}
