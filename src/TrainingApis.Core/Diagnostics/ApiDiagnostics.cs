using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TrainingApis.Core.Diagnostics;

/// <summary>
/// The <see cref="ActivitySource"/> and <see cref="Meter"/> of one client package, with its instruments. Names carry
/// no secrets: operations, methods, paths without query, statuses.
/// </summary>
public sealed class ApiDiagnostics : IDisposable
{
    /// <summary>Creates the source and meter named <paramref name="name"/> (the package name, e.g. <c>Symtrain.Client</c>).</summary>
    public ApiDiagnostics(string name, string? version = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        var prefix = name.ToLowerInvariant();
        ActivitySource = new ActivitySource(name, version);
        Meter = new Meter(name, version);
        Requests = Meter.CreateCounter<long>($"{prefix}.requests", "{request}", "HTTP attempts sent, by operation and status.");
        RequestDuration = Meter.CreateHistogram<double>($"{prefix}.request.duration", "s", "Duration of HTTP attempts, by operation and status.");
        Retries = Meter.CreateCounter<long>($"{prefix}.retries", "{retry}", "Retries scheduled, by operation and reason.");
        QuotaWait = Meter.CreateHistogram<double>($"{prefix}.quota.wait", "s", "Time spent waiting for a client-side quota permit.");
        QuotaRejections = Meter.CreateCounter<long>($"{prefix}.quota.rejections", "{request}", "Requests refused because the quota queue was full.");
        TokenRefreshes = Meter.CreateCounter<long>($"{prefix}.token.refreshes", "{refresh}", "Access tokens acquired (logins).");
    }

    /// <summary>The package name shared by the source and the meter.</summary>
    public string Name { get; }

    /// <summary>The source of the spans: one per public operation, HTTP attempts beneath.</summary>
    public ActivitySource ActivitySource { get; }

    /// <summary>The meter of the instruments below.</summary>
    public Meter Meter { get; }

    /// <summary>HTTP attempts sent.</summary>
    public Counter<long> Requests { get; }

    /// <summary>Duration of HTTP attempts, in seconds.</summary>
    public Histogram<double> RequestDuration { get; }

    /// <summary>Retries scheduled.</summary>
    public Counter<long> Retries { get; }

    /// <summary>Time spent waiting for a quota permit, in seconds.</summary>
    public Histogram<double> QuotaWait { get; }

    /// <summary>Requests refused by a full quota queue.</summary>
    public Counter<long> QuotaRejections { get; }

    /// <summary>Access tokens acquired.</summary>
    public Counter<long> TokenRefreshes { get; }

    /// <summary>Starts the span of a public operation (e.g. <c>Reports.GetUsers</c>), a child of the caller's current span.</summary>
    public Activity? StartOperation(string operation)
    {
        var activity = ActivitySource.StartActivity(operation, ActivityKind.Internal);
        activity?.SetTag("trainingapis.operation", operation);
        return activity;
    }

    /// <summary>Marks <paramref name="activity"/> as failed with <paramref name="exception"/>'s type (not its message).</summary>
    public static void RecordError(Activity? activity, Exception exception)
    {
        if (activity is null || exception is null)
        {
            return;
        }

        activity.SetStatus(exception is OperationCanceledException ? ActivityStatusCode.Unset : ActivityStatusCode.Error, exception.GetType().Name);
        activity.SetTag("error.type", exception.GetType().FullName);
        if (exception is ApiException { StatusCode: { } status })
        {
            activity.SetTag("http.response.status_code", (int)status);
        }
    }

    /// <summary>Disposes the source and the meter.</summary>
    public void Dispose()
    {
        ActivitySource.Dispose();
        Meter.Dispose();
    }
}
