using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TrainingApis.Observability.Tests.TestSupport;

/// <summary>One measurement of an instrument of the clients' meters.</summary>
internal sealed record Measurement(string Instrument, string? Unit, double Value, IReadOnlyDictionary<string, object?> Tags)
{
    public string? Tag(string name) => Tags.TryGetValue(name, out var value) ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : null;
}

/// <summary>
/// Listens to the clients' activity sources and meters (<c>Symtrain.Client</c>, <c>Senar.Client</c>) the way an
/// OpenTelemetry SDK would, and keeps every stopped span and every measurement.
/// </summary>
internal sealed class Telemetry : IDisposable
{
    public static readonly string[] SourceNames = ["Symtrain.Client", "Senar.Client"];

    private static readonly ActivitySource TestSource = new("TrainingApis.Observability.Tests");

    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ConcurrentQueue<Activity> _started = new();
    private readonly ConcurrentQueue<Measurement> _measurements = new();
    private readonly ActivityListener _activityListener;
    private readonly MeterListener _meterListener;

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

        _meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (SourceNames.Contains(instrument.Meter.Name))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meterListener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meterListener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meterListener.Start();
    }

    /// <summary>The spans of the clients, in the order they stopped.</summary>
    public IReadOnlyList<Activity> Spans => [.. _spans];

    /// <summary>Spans that started but never stopped (there should be none once a call is over).</summary>
    public IReadOnlyList<Activity> Unstopped => [.. _started.Where(a => a.Source != TestSource && !_spans.Contains(a))];

    /// <summary>Every measurement of the clients' instruments.</summary>
    public IReadOnlyList<Measurement> Measurements => [.. _measurements];

    /// <summary>Starts the caller's span, the parent the clients' spans must attach to.</summary>
    public static Activity StartCallerSpan(string name = "caller") =>
        TestSource.StartActivity(name, ActivityKind.Internal) ?? throw new InvalidOperationException("The test source has no listener.");

    /// <summary>The measurements of the instrument named <paramref name="name"/>.</summary>
    public IReadOnlyList<Measurement> Of(string name) => [.. _measurements.Where(m => m.Instrument == name)];

    /// <summary>The spans named <paramref name="name"/>.</summary>
    public IReadOnlyList<Activity> Named(string name) => [.. _spans.Where(s => s.DisplayName == name)];

    /// <summary>The spans whose parent is <paramref name="parent"/>.</summary>
    public IReadOnlyList<Activity> ChildrenOf(Activity parent) => [.. _spans.Where(s => s.ParentSpanId == parent.SpanId && s.TraceId == parent.TraceId)];

    public void Dispose()
    {
        _activityListener.Dispose();
        _meterListener.Dispose();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        _measurements.Enqueue(new Measurement(instrument.Name, instrument.Unit, value, copy));
    }
}
