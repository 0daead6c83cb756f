using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using TrainingApis.Core.Http;

namespace TrainingApis.Core.Diagnostics;

/// <summary>
/// The <see cref="ActivitySource"/> and <see cref="Meter"/> of one client package, with its instruments. Names carry
/// no secrets: operations, methods, paths without query, statuses.
/// </summary>
internal sealed class ApiDiagnostics : IDisposable
{
    /// <summary>Creates the source and meter named <paramref name="name"/> (the package name, e.g. <c>Symtrain.Client</c>).</summary>
    public ApiDiagnostics(string name, string? version = null)
        : this(name, new ActivitySource(name, version), new Meter(name, version), ownsMeter: true)
    {
    }

    private ApiDiagnostics(string name, ActivitySource source, Meter meter, bool ownsMeter)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        _ownsMeter = ownsMeter;
        var prefix = name.ToLowerInvariant();
        ActivitySource = source;
        Meter = meter;
        Requests = Meter.CreateCounter<long>($"{prefix}.requests", "{request}", "HTTP attempts sent, by operation and status.");
        RequestDuration = Meter.CreateHistogram<double>($"{prefix}.request.duration", "s", "Duration of HTTP attempts, by operation and status.");
        Retries = Meter.CreateCounter<long>($"{prefix}.retries", "{retry}", "Retries scheduled, by operation and reason.");
        QuotaWait = Meter.CreateHistogram<double>($"{prefix}.quota.wait", "s", "Time spent waiting for a client-side quota permit.");
        QuotaRejections = Meter.CreateCounter<long>($"{prefix}.quota.rejections", "{request}", "Requests refused because the quota queue was full.");
        TokenRefreshes = Meter.CreateCounter<long>($"{prefix}.token.refreshes", "{refresh}", "Access tokens acquired (logins).");
    }

    private readonly bool _ownsMeter;
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<IMeterFactory, ApiDiagnostics> _byMeterFactory = new();

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

    /// <summary>The span attribute and metric tag that names the public operation, e.g. <c>Reports.GetUsers</c>.</summary>
    public const string OperationTag = "trainingapis.operation";

    /// <summary>The metric tag of <see cref="Retries"/> naming why a retry was scheduled (a status such as <c>503</c>, or an error type).</summary>
    public const string RetryReasonTag = "trainingapis.retry.reason";

    /// <summary>The metric tag of <see cref="Requests"/> and <see cref="RequestDuration"/> set (to true) on attempts after the first.</summary>
    public const string RetryTag = "trainingapis.retry";

    /// <summary>The metric tag of <see cref="TokenRefreshes"/> naming the service, e.g. <c>Senar</c>.</summary>
    public const string ServiceTag = "trainingapis.service";

    /// <summary>
    /// The same instruments on a meter of <paramref name="meterFactory"/> (the container's <see cref="IMeterFactory"/>,
    /// so that its metrics are scoped to the container), sharing this instance's <see cref="ActivitySource"/>. One instance
    /// per factory; the factory owns and disposes the meter.
    /// </summary>
    public ApiDiagnostics WithMeterFactory(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        return _byMeterFactory.GetValue(meterFactory, factory =>
            new ApiDiagnostics(Name, ActivitySource, factory.Create(new MeterOptions(Name) { Version = Meter.Version }), ownsMeter: false));
    }

    /// <summary>
    /// Starts the span of a public operation that may send several requests (a paged listing, a poll): an
    /// <see cref="ActivityKind.Internal"/> span named <paramref name="operation"/>, a child of the caller's current span.
    /// Mark each of its requests with <see cref="ApiRequest.WithOperationSpan"/> so that they become its children.
    /// </summary>
    public Activity? StartOperation(string operation)
    {
        var activity = ActivitySource.StartActivity(operation, ActivityKind.Internal);
        activity?.SetTag(OperationTag, operation);
        return activity;
    }

    /// <summary>
    /// Starts the span of one request, with the OpenTelemetry HTTP client attributes (<c>http.request.method</c>,
    /// <c>server.address</c>, <c>server.port</c>, <c>url.full</c> and <c>url.path</c> without query). A request of a
    /// multi-request operation (<see cref="ApiRequest.WithOperationSpan"/>) gets a <see cref="ActivityKind.Client"/> child
    /// of the operation's span named <c>{method} {path}</c>; any other request is the operation itself: a
    /// <see cref="ActivityKind.Client"/> span named after it (<see cref="ApiRequest.GetOperation"/>), a child of the
    /// caller's current span.
    /// </summary>
    /// <param name="request">The request, its operation named with <see cref="ApiRequest.WithOperation"/>.</param>
    /// <param name="baseAddress">The client's base address, against which a relative request address is resolved.</param>
    public Activity? StartRequest(HttpRequestMessage request, Uri? baseAddress = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!ActivitySource.HasListeners())
        {
            return null; // Before the names and addresses below are built: nobody would read them.
        }

        var operation = request.GetOperation();
        var address = request.RequestUri is { IsAbsoluteUri: true } absolute
            ? absolute
            : baseAddress is { IsAbsoluteUri: true } && request.RequestUri is { } relative ? new Uri(baseAddress, relative) : null;
        var path = address?.AbsolutePath ?? request.GetSafePath();
        Activity? activity;
        if (request.TryGetOperationSpan(out var parent))
        {
            var name = $"{request.Method.Method} {path}";
            activity = parent is null
                ? ActivitySource.StartActivity(name, ActivityKind.Client)
                : ActivitySource.StartActivity(name, ActivityKind.Client, parent.Context);
        }
        else
        {
            activity = ActivitySource.StartActivity(operation, ActivityKind.Client);
        }

        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(OperationTag, operation);
            activity.SetTag("http.request.method", request.Method.Method);
            activity.SetTag("url.path", path);
            if (address is not null)
            {
                activity.SetTag("server.address", address.Host);
                activity.SetTag("server.port", address.Port);
                activity.SetTag("url.full", address.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped));
            }
        }

        return activity;
    }

    /// <summary>
    /// Records the response status on a request span (<c>http.response.status_code</c>); a status of 400 or more marks
    /// the span as failed.
    /// </summary>
    public static void RecordStatus(Activity? activity, HttpStatusCode statusCode)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("http.response.status_code", (int)statusCode);
        if ((int)statusCode >= 400)
        {
            activity.SetStatus(ActivityStatusCode.Error);
        }
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

    /// <summary>Adds an event to the current span when it is one of this source's (a retry, a quota wait); never a secret.</summary>
    internal void AddEvent(string name, in TagList tags)
    {
        if (Activity.Current is { IsAllDataRequested: true } current && ReferenceEquals(current.Source, ActivitySource))
        {
            var eventTags = new ActivityTagsCollection();
            foreach (var tag in tags)
            {
                eventTags.Add(tag.Key, tag.Value);
            }

            current.AddEvent(new ActivityEvent(name, tags: eventTags));
        }
    }

    /// <summary>Disposes the source and the meter (not a meter of an <see cref="IMeterFactory"/>, which its factory disposes).</summary>
    public void Dispose()
    {
        if (_ownsMeter)
        {
            ActivitySource.Dispose();
            Meter.Dispose();
        }
    }
}
