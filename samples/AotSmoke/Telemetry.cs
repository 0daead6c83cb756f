using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace AotSmoke;

/// <summary>Listens to the clients' sources, meters and logs the way an OpenTelemetry SDK would, and counts what it sees.</summary>
internal sealed class Telemetry : ILoggerProvider
{
    private static readonly string[] Names = ["Symtrain.Client", "Senar.Client"];
    private readonly ActivityListener _activities;
    private readonly MeterListener _meters;
    private int _spans;
    private int _measurements;
    private int _logs;

    public Telemetry()
    {
        _activities = new ActivityListener
        {
            ShouldListenTo = source => Names.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ => Interlocked.Increment(ref _spans),
        };
        ActivitySource.AddActivityListener(_activities);
        _meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (Names.Contains(instrument.Meter.Name))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meters.SetMeasurementEventCallback<long>((_, _, _, _) => Interlocked.Increment(ref _measurements));
        _meters.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref _measurements));
        _meters.Start();
    }

    public int Spans => Volatile.Read(ref _spans);

    public int Measurements => Volatile.Read(ref _measurements);

    public int Logs => Volatile.Read(ref _logs);

    public ILogger CreateLogger(string categoryName) => new CountingLogger(this);

    public void Dispose()
    {
        _activities.Dispose();
        _meters.Dispose();
    }

    private sealed class CountingLogger(Telemetry owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            _ = formatter(state, exception);
            Interlocked.Increment(ref owner._logs);
        }
    }
}
