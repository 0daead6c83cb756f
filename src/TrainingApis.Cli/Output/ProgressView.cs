using System.Globalization;
using Spectre.Console;
using TrainingApis.Cli.Hosting;

namespace TrainingApis.Cli.Output;

/// <summary>
/// Progress of a long command on standard error: Spectre.Console bars on a terminal; plain lines (no ANSI codes) when
/// standard error is redirected, one per finished step. Quota waits are shown as such, with the time to the next permit.
/// </summary>
internal sealed class ProgressView
{
    private static readonly TimeSpan QuotaCheckInterval = TimeSpan.FromMilliseconds(500);

    private readonly CliHost _host;
    private readonly ProgressContext? _context;
    private readonly Lock _gate = new();
    private ProgressTask? _quotaTask;
    private bool _waiting;

    private ProgressView(CliHost host, ProgressContext? context)
    {
        _host = host;
        _context = context;
    }

    /// <summary>Runs <paramref name="work"/> with a progress display, watching <paramref name="quota"/> for quota waits.</summary>
    public static async Task<T> RunAsync<T>(CliHost host, QuotaMonitor? quota, Func<ProgressView, Task<T>> work)
    {
        if (!host.IsTerminal)
        {
            var plain = new ProgressView(host, null);
            return await WatchAsync(plain, quota, work).ConfigureAwait(false);
        }

        return await host.ErrorConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(context => WatchAsync(new ProgressView(host, context), quota, work))
            .ConfigureAwait(false);
    }

    /// <summary>Adds a line of progress with <paramref name="steps"/> steps.</summary>
    public ProgressLine Add(string name, int steps) =>
        new(this, name, _context?.AddTask(Markup.Escape(name), maxValue: Math.Max(steps, 1)));

    /// <summary>Writes a plain status line (redirected output only; a terminal shows the bars).</summary>
    internal void Plain(string text)
    {
        if (_context is null)
        {
            lock (_gate)
            {
                _host.Error.WriteLine(text);
            }
        }
    }

    /// <summary>A line that must be seen (a row the server refused): on a terminal too, above the bars.</summary>
    internal void Problem(string text)
    {
        lock (_gate)
        {
            if (_context is null)
            {
                _host.Error.WriteLine(text);
            }
            else
            {
                _host.ErrorConsole.WriteLine(text);
            }
        }
    }

    private static async Task<T> WatchAsync<T>(ProgressView view, QuotaMonitor? quota, Func<ProgressView, Task<T>> work)
    {
        if (quota is null)
        {
            return await work(view).ConfigureAwait(false);
        }

        using var stop = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(QuotaCheckInterval);
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
            {
                view.ShowQuota(quota.NextPermitIn());
            }
        });
        try
        {
            return await work(view).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await watcher.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped with the work.
            }

            view.ShowQuota(null);
        }
    }

    private void ShowQuota(TimeSpan? nextPermit)
    {
        var text = nextPermit is { } wait
            ? string.Create(CultureInfo.InvariantCulture, $"waiting for quota: next permit in {(int)wait.TotalMinutes}m{wait.Seconds:00}s")
            : null;
        lock (_gate)
        {
            if (_context is not null)
            {
                if (text is not null)
                {
                    _quotaTask ??= _context.AddTask("quota", maxValue: 1);
                    _quotaTask.Description = Markup.Escape(text);
                    _quotaTask.IsIndeterminate = true;
                }
                else if (_quotaTask is not null)
                {
                    _quotaTask.Description = "quota: permits available";
                    _quotaTask.IsIndeterminate = false;
                }
            }
            else if (text is not null && !_waiting)
            {
                _host.Error.WriteLine(text);
            }

            _waiting = text is not null;
        }
    }
}
