using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Symtrain.Client.Internal;
using TrainingApis.Core;
using TrainingApis.Core.Json;

namespace Symtrain.Client.Reports;

/// <summary>The reports sub-client.</summary>
internal sealed class SymtrainReportsClient : ISymtrainReportsClient
{
    /// <summary>Where the rows of an envelope response may be, in order of preference.</summary>
    internal static readonly string[] RowProperties = ["results", "data", "items", "records"];

    private readonly SymtrainTransport _transport;

    public SymtrainReportsClient(SymtrainTransport transport)
    {
        _transport = transport;
    }

    public Task<IReadOnlyList<ReportRow>> GetSymsResultAsync(DateRange range, CancellationToken cancellationToken = default) =>
        GetReportAsync(SymtrainReport.SymsResult, range, cancellationToken);

    public Task<IReadOnlyList<ReportRow>> GetUserResultsAsync(DateRange range, CancellationToken cancellationToken = default) =>
        GetReportAsync(SymtrainReport.UserResults, range, cancellationToken);

    public Task<IReadOnlyList<ReportRow>> GetTrainingPlanResultAsync(DateRange range, CancellationToken cancellationToken = default) =>
        GetReportAsync(SymtrainReport.TrainingPlanResult, range, cancellationToken);

    public Task<IReadOnlyList<ReportRow>> GetModulesResultsAsync(DateRange range, CancellationToken cancellationToken = default) =>
        GetReportAsync(SymtrainReport.ModulesResults, range, cancellationToken);

    public Task<IReadOnlyList<ReportRow>> GetSymsAsync(DateRange range, CancellationToken cancellationToken = default) =>
        GetReportAsync(SymtrainReport.Syms, range, cancellationToken);

    public Task<IReadOnlyList<ReportRow>> GetUsersAsync(DateRange range, CancellationToken cancellationToken = default) =>
        GetReportAsync(SymtrainReport.Users, range, cancellationToken);

    public Task<IReadOnlyList<ReportRow>> GetTeamsResultAsync(DateRange range, CancellationToken cancellationToken = default) =>
        GetReportAsync(SymtrainReport.TeamsResult, range, cancellationToken);

    public Task<IReadOnlyList<ReportRow>> GetReportAsync(SymtrainReport report, DateRange range, CancellationToken cancellationToken = default)
    {
        var path = GetPath(report);
        CheckRange(range);
        return CollectAsync(path, GetOperation(report), range, SymtrainJsonContext.Default.ReportRow, cancellationToken);
    }

    public Task<IReadOnlyList<TRow>> GetReportAsync<TRow>(SymtrainReport report, DateRange range, JsonTypeInfo<TRow> rowType, CancellationToken cancellationToken = default)
    {
        var path = GetPath(report);
        CheckRange(range);
        ArgumentNullException.ThrowIfNull(rowType);

        // Rows are read straight into TRow as they arrive; a row that does not fit fails with its number.
        return CollectAsync(path, GetOperation(report), range, rowType, cancellationToken);
    }

    public IAsyncEnumerable<ReportRow> StreamReportAsync(SymtrainReport report, DateRange range, CancellationToken cancellationToken = default)
    {
        var path = GetPath(report);
        var windows = range.Split(_transport.Options.MaxReportDays);
        return StreamWindowsAsync(path, windows, cancellationToken);
    }

    /// <summary>The operation name of <paramref name="report"/> in logs, spans and metrics (constant strings: one call, no new string).</summary>
    internal static string GetOperation(SymtrainReport report) => report switch
    {
        SymtrainReport.SymsResult => "Reports.GetSymsResult",
        SymtrainReport.UserResults => "Reports.GetUserResults",
        SymtrainReport.TrainingPlanResult => "Reports.GetTrainingPlanResult",
        SymtrainReport.ModulesResults => "Reports.GetModulesResults",
        SymtrainReport.Syms => "Reports.GetSyms",
        SymtrainReport.Users => "Reports.GetUsers",
        SymtrainReport.TeamsResult => "Reports.GetTeamsResult",
        _ => throw new ArgumentOutOfRangeException(nameof(report), report, "Not a Symtrain report."),
    };

    /// <summary>The path of <paramref name="report"/>.</summary>
    internal static string GetPath(SymtrainReport report) => report switch
    {
        SymtrainReport.SymsResult => "/v2/report/syms-result",
        SymtrainReport.UserResults => "/v2/report/user-results",
        SymtrainReport.TrainingPlanResult => "/v2/report/training-plan-result",
        SymtrainReport.ModulesResults => "/v2/report/modules-results",
        SymtrainReport.Syms => "/v2/report/syms",
        SymtrainReport.Users => "/v2/report/users",
        SymtrainReport.TeamsResult => "/v2/report/teams-result",
        _ => throw new ArgumentOutOfRangeException(nameof(report), report, "Not a Symtrain report."),
    };

    private void CheckRange(DateRange range)
    {
        var maxDays = _transport.Options.MaxReportDays;
        if (range.Days > maxDays)
        {
            throw new ArgumentException(
                $"The range {range} covers {range.Days} days; Symtrain accepts at most {maxDays} days per report request " +
                $"(SymtrainClientOptions.MaxReportRange). Use StreamReportAsync, which splits any range into consecutive windows, " +
                $"or split it yourself with range.Split({maxDays}) (DateRange.Split) and request each window.",
                nameof(range));
        }
    }

    private async Task<IReadOnlyList<T>> CollectAsync<T>(string path, string operation, DateRange range, JsonTypeInfo<T> rowType, CancellationToken cancellationToken)
    {
        // A report may take several pages: one span for the call, a child span per page.
        using var span = OperationSpan.Start(operation);
        try
        {
            var rows = new List<T>();
            var pager = new ReportPager(_transport, span, path, operation, range);
            while (pager.Next() is { } request)
            {
                using (request)
                {
                    var before = rows.Count;
                    await _transport.Connection.ReadRowsAsync(request, rowType, pager.Envelope, rows, cancellationToken).ConfigureAwait(false);
                    pager.Completed(rows.Count - before);
                }
            }

            return rows;
        }
        catch (Exception ex)
        {
            span.Fail(ex);
            throw;
        }
    }

    private IAsyncEnumerable<ReportRow> StreamWindowsAsync(string path, IEnumerable<DateRange> windows, CancellationToken cancellationToken) =>
        OperationSpan.TraceAsync("Reports.StreamReport", span => StreamWindowsAsync(span, path, windows, cancellationToken), cancellationToken);

    private async IAsyncEnumerable<ReportRow> StreamWindowsAsync(OperationSpan span, string path, IEnumerable<DateRange> windows, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var window in windows)
        {
            var pager = new ReportPager(_transport, span, path, "Reports.StreamReport", window);
            while (pager.Next() is { } request)
            {
                using (request)
                {
                    long rows = 0;
                    await foreach (var row in _transport.Connection.StreamAsync(request, SymtrainJsonContext.Default.ReportRow, pager.Envelope, cancellationToken).ConfigureAwait(false))
                    {
                        if (rows++ == 0)
                        {
                            pager.CheckFirstRow();
                        }

                        yield return row;
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    pager.Completed(rows);
                }
            }
        }
    }
}
