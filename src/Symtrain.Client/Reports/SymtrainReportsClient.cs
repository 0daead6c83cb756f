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
        return CollectAsync(path, $"Reports.Get{report}", range, static element => new ReportRow(element, clone: false), cancellationToken);
    }

    public Task<IReadOnlyList<TRow>> GetReportAsync<TRow>(SymtrainReport report, DateRange range, JsonTypeInfo<TRow> rowType, CancellationToken cancellationToken = default)
    {
        var path = GetPath(report);
        CheckRange(range);
        ArgumentNullException.ThrowIfNull(rowType);
        var index = 0;
        return CollectAsync(
            path,
            $"Reports.Get{report}",
            range,
            element =>
            {
                index++;
                try
                {
                    return element.Deserialize(rowType)!;
                }
                catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or NotSupportedException or OverflowException)
                {
                    throw _transport.InvalidResponse(path, $"a list of {typeof(TRow).Name} (row {index} could not be read)", ex);
                }
            },
            cancellationToken);
    }

    public IAsyncEnumerable<ReportRow> StreamReportAsync(SymtrainReport report, DateRange range, CancellationToken cancellationToken = default)
    {
        var path = GetPath(report);
        var windows = range.Split(_transport.Options.MaxReportDays);
        return StreamWindowsAsync(path, windows, cancellationToken);
    }

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

    private async Task<IReadOnlyList<T>> CollectAsync<T>(string path, string operation, DateRange range, Func<JsonElement, T> convert, CancellationToken cancellationToken)
    {
        // A report may take several pages: one span for the call, a child span per page.
        using var span = OperationSpan.Start(operation);
        try
        {
            var rows = new List<T>();
            await foreach (var element in StreamWindowAsync(span, path, operation, range, cancellationToken).ConfigureAwait(false))
            {
                rows.Add(convert(element));
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
            await foreach (var element in StreamWindowAsync(span, path, "Reports.StreamReport", window, cancellationToken).ConfigureAwait(false))
            {
                yield return new ReportRow(element, clone: false);
            }
        }
    }

    /// <summary>
    /// Reads one window page by page: the first request carries only the dates; while a page comes back full
    /// (<c>rows == pageSize</c>), the next one is asked for with <c>page + 1</c> and the same <c>pageSize</c>. Stops with an
    /// <see cref="ApiException"/> when the server answers a page other than the one asked for, repeats a page, or the
    /// page count passes <see cref="SymtrainClientOptions.MaxPages"/>.
    /// </summary>
    private async IAsyncEnumerable<JsonElement> StreamWindowAsync(OperationSpan span, string path, string operation, DateRange window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var maxPages = _transport.Options.MaxPages;
        long? page = null;
        long? pageSize = null;
        string? previousFirstRow = null;
        long delivered = 0;
        for (var pages = 1; ; pages++)
        {
            if (pages > maxPages)
            {
                throw _transport.PagingFailure(path, $"the report for {window} did not end within {maxPages} pages (SymtrainClientOptions.MaxPages); the server seems to ignore paging.");
            }

            var envelope = new JsonEnvelope(RowProperties);
            var body = new ReportRequest(window.StartText, window.EndText, page, pageSize);
            using var request = span.Apply(SymtrainTransport.CreatePost(path, operation, body, SymtrainJsonContext.Default.ReportRequest));
            long rows = 0;
            string? firstRow = null;
            await foreach (var element in _transport.Connection.StreamAsync(request, SymtrainJsonContext.Default.JsonElement, envelope, cancellationToken).ConfigureAwait(false))
            {
                CheckRow(path, element);
                if (rows == 0 && page is not null)
                {
                    firstRow = element.GetRawText();
                    CheckPage(path, window, page.Value, envelope);
                    if (firstRow == previousFirstRow)
                    {
                        throw _transport.PagingFailure(path, $"asked for page {page} of the report for {window}, the server answered the previous page again; it seems to ignore paging.");
                    }
                }
                else if (rows == 0)
                {
                    firstRow = element.GetRawText();
                }

                rows++;
                yield return element;
                cancellationToken.ThrowIfCancellationRequested();
            }

            delivered += rows;
            if (page is not null)
            {
                CheckPage(path, window, page.Value, envelope);
            }

            var size = envelope.GetInt64("pageSize");
            if (envelope.IsBareArray || size is not > 0 || rows < size)
            {
                yield break;
            }

            if (envelope.GetInt64("total") is { } total && delivered >= total)
            {
                yield break;
            }

            previousFirstRow = firstRow;
            page = (envelope.GetInt64("page") ?? page ?? 1) + 1;
            pageSize = size;
        }
    }

    /// <summary>A row must be a JSON object of valid UTF-8 text; anything else is a bad response, not the caller's problem.</summary>
    private void CheckRow(string path, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw _transport.InvalidResponse(path, $"a list of report rows (JSON objects); a row was {element.ValueKind}", null);
        }

        _transport.CheckText(element, path);
    }

    private void CheckPage(string path, DateRange window, long requested, JsonEnvelope envelope)
    {
        if (envelope.GetInt64("page") is { } answered && answered != requested)
        {
            throw _transport.PagingFailure(path, $"asked for page {requested} of the report for {window}, the server answered page {answered}; it seems to ignore paging.");
        }
    }
}
