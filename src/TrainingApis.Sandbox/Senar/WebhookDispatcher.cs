using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using TrainingApis.Sandbox.Control;

namespace TrainingApis.Sandbox.Senar;

/// <summary>
/// Delivers webhook payloads for real: one HTTP POST per registered hook of the event's method, the body one JSON
/// object. A failed delivery is logged and recorded, never fatal. Every delivery is tracked, so control endpoints can
/// await theirs and disposal can wait for the ones still running.
/// </summary>
internal sealed class WebhookDispatcher : IDisposable
{
    private readonly SenarState _state;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly object _gate = new();
    private readonly HashSet<Task> _pending = [];

    public WebhookDispatcher(SenarState state, TimeProvider time, TimeSpan timeout, ILogger logger)
    {
        _state = state;
        _time = time;
        _logger = logger;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1), UseProxy = false })
        {
            Timeout = timeout,
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("TrainingApis.Sandbox-Webhooks/1.0");
    }

    /// <summary>Posts <paramref name="payload"/> to every hook registered for <paramref name="method"/>, and returns how each went.</summary>
    public Task<WebhookDelivery[]> DeliverAsync(string method, byte[] payload)
    {
        var hooks = _state.Webhooks(method);
        var task = hooks.Count == 0 ? Task.FromResult(Array.Empty<WebhookDelivery>()) : Task.WhenAll(hooks.Select(h => DeliverOneAsync(h, payload)));
        Track(task);
        return task;
    }

    /// <summary>Waits (at most <paramref name="timeout"/>) for the deliveries still running.</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        Task[] pending;
        lock (_gate)
        {
            pending = _pending.ToArray();
        }

        if (pending.Length > 0)
        {
            await Task.WhenAny(Task.WhenAll(pending), Task.Delay(timeout)).ConfigureAwait(false);
        }
    }

    public void Dispose() => _http.Dispose();

    private void Track(Task task)
    {
        if (task.IsCompleted)
        {
            return;
        }

        lock (_gate)
        {
            _pending.Add(task);
        }

        task.ContinueWith(
            t =>
            {
                lock (_gate)
                {
                    _pending.Remove(t);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private async Task<WebhookDelivery> DeliverOneAsync(WebhookInfo hook, byte[] payload)
    {
        var safeUrl = SafeUrl(hook.HookUrl);
        var logUrl = LogUrl(hook.HookUrl);
        WebhookDelivery delivery;
        try
        {
            using var content = new ByteArrayContent(payload);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            using var response = await _http.PostAsync(hook.HookUrl, content).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            delivery = new WebhookDelivery(hook.Id, safeUrl, hook.Method, response.IsSuccessStatusCode, status, null, _time.GetUtcNow().UtcDateTime);
            if (response.IsSuccessStatusCode)
            {
                SandboxLog.WebhookDelivered(_logger, hook.Id, hook.Method, logUrl, status);
            }
            else
            {
                SandboxLog.WebhookFailed(_logger, hook.Id, hook.Method, logUrl, $"HTTP {status}");
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or InvalidOperationException or ObjectDisposedException)
        {
            var reason = ex is TaskCanceledException ? "timed out" : $"{ex.GetType().Name}: {ex.Message}";
            SandboxLog.WebhookFailed(_logger, hook.Id, hook.Method, logUrl, reason);
            delivery = new WebhookDelivery(hook.Id, safeUrl, hook.Method, false, null, reason, _time.GetUtcNow().UtcDateTime);
        }

        _state.LogDelivery(delivery);
        return delivery;
    }

    /// <summary>The hook address for a log line: scheme, host and port only (no user info), since a receiver may keep its
    /// secret in the path (an unguessable last segment, as samples/SenarWebhookReceiver does) as well as in the query.</summary>
    private static string LogUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Authority}/…" : "(invalid)";

    /// <summary>The hook address without its user info and query string, which may hold a secret
    /// (<see cref="Uri.GetLeftPart"/> keeps the user info: <c>Authority</c> does not).</summary>
    private static string SafeUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath}" : "(invalid)";
}
