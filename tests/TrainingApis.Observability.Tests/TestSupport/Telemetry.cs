using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace TrainingApis.Observability.Tests.TestSupport;

/// <summary>One measurement of an instrument of the clients' meters.</summary>
internal sealed record Measurement(string Instrument, string? Unit, double Value, IReadOnlyDictionary<string, object?> Tags)
{
    public string? Tag(string name) => Tags.TryGetValue(name, out var value) ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : null;
}

/// <summary>
/// Listens to the clients' activity sources and meters (<c>Symtrain.Client</c>, <c>Senar.Client</c>) the way an
/// OpenTelemetry SDK would, and keeps every stopped span and (through MetricCollector) every measurement.
/// </summary>
internal sealed class Telemetry : IDisposable
{
    public static readonly string[] SourceNames = ["Symtrain.Client", "Senar.Client"];

    private static readonly ActivitySource TestSource = new("TrainingApis.Observability.Tests");

    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ConcurrentQueue<Activity> _started = new();
    private readonly ActivityListener _activityListener;
    private readonly List<MetricCollector<long>> _counters;
    private readonly List<MetricCollector<double>> _histograms;

    public Telemetry()
    {
        // Create the test source before the listener: created while the listener is being registered, it would miss it.
        var testSource = TestSource;
        _activityListener = new ActivityListener
        {
            ShouldListenTo = source => SourceNames.Contains(source.Name) || source == testSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = _started.Enqueue,
            ActivityStopped = activity =>
            {
                if (activity.Source != TestSource)
                {
                    _spans.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_activityListener);

        // The package meters (no scope: the clients built by hand use them), one collector per documented instrument.
        _counters = [];
        _histograms = [];
        Include(null);
    }

    /// <summary>The spans of the clients, in the order they stopped.</summary>
    public IReadOnlyList<Activity> Spans => [.. _spans];

    /// <summary>Spans that started but never stopped (there should be none once a call is over).</summary>
    public IReadOnlyList<Activity> Unstopped => [.. _started.Where(a => a.Source != TestSource && !_spans.Contains(a))];

    /// <summary>Every measurement of the clients' instruments, in the order they were recorded.</summary>
    public IReadOnlyList<Measurement> Measurements =>
    [
        .. _counters.SelectMany(c => c.GetMeasurementSnapshot().Select(m => (c.Instrument, m.Timestamp, Value: (double)m.Value, m.Tags)))
            .Concat(_histograms.SelectMany(c => c.GetMeasurementSnapshot().Select(m => (c.Instrument, m.Timestamp, m.Value, m.Tags))))
            .OrderBy(m => m.Timestamp)
            .Select(m => new Measurement(m.Instrument!.Name, m.Instrument.Unit, m.Value, m.Tags)),
    ];

    /// <summary>
    /// Also collects the measurements of the client meters whose scope is <paramref name="meterScope"/> (null: the
    /// package's own meters; an <c>IMeterFactory</c>: the meters it made for clients from dependency injection).
    /// </summary>
    public void Include(object? meterScope)
    {
        _counters.AddRange(CollectorsOf<long>(meterScope, "requests", "retries", "quota.rejections", "token.refreshes"));
        _histograms.AddRange(CollectorsOf<double>(meterScope, "request.duration", "quota.wait"));
    }

    /// <summary>Starts the caller's span, the parent the clients' spans must attach to.</summary>
    public static Activity StartCallerSpan(string name = "caller") =>
        TestSource.StartActivity(name, ActivityKind.Internal) ?? throw new InvalidOperationException("The test source has no listener.");

    /// <summary>The measurements of the instrument named <paramref name="name"/>.</summary>
    public IReadOnlyList<Measurement> Of(string name) => [.. Measurements.Where(m => m.Instrument == name)];

    /// <summary>The spans named <paramref name="name"/>.</summary>
    public IReadOnlyList<Activity> Named(string name) => [.. _spans.Where(s => s.DisplayName == name)];

    /// <summary>The spans whose parent is <paramref name="parent"/>.</summary>
    public IReadOnlyList<Activity> ChildrenOf(Activity parent) => [.. _spans.Where(s => s.ParentSpanId == parent.SpanId && s.TraceId == parent.TraceId)];

    public void Dispose()
    {
        _activityListener.Dispose();
        foreach (var collector in _counters)
        {
            collector.Dispose();
        }

        foreach (var collector in _histograms)
        {
            collector.Dispose();
        }
    }

    private static IEnumerable<MetricCollector<T>> CollectorsOf<T>(object? meterScope, params string[] instruments)
        where T : struct =>
        from meter in SourceNames
        from instrument in instruments
        select new MetricCollector<T>(meterScope, meter, $"{meter.ToLowerInvariant()}.{instrument}");
}
