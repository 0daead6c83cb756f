using System.Text.Json.Serialization.Metadata;
using TrainingApis.Core;

namespace Symtrain.Client.Reports;

/// <summary>
/// The seven Symtrain v2 reports (<c>POST /v2/report/…</c>). Each takes an inclusive date range of at most
/// <see cref="SymtrainClientOptions.MaxReportRange"/> (180 days by default), checked before anything is sent;
/// <see cref="StreamReportAsync"/> takes a range of any length. Pages are followed until a short page.
/// </summary>
public interface ISymtrainReportsClient
{
    /// <summary>The Sym Result report (<c>/v2/report/syms-result</c>).</summary>
    /// <param name="range">The days to report on, at most <see cref="SymtrainClientOptions.MaxReportRange"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">The range is longer than the maximum.</exception>
    /// <exception cref="ApiException">The call failed.</exception>
    Task<IReadOnlyList<ReportRow>> GetSymsResultAsync(DateRange range, CancellationToken cancellationToken = default);

    /// <summary>The User Results report (<c>/v2/report/user-results</c>).</summary>
    /// <inheritdoc cref="GetSymsResultAsync" path="/param"/>
    Task<IReadOnlyList<ReportRow>> GetUserResultsAsync(DateRange range, CancellationToken cancellationToken = default);

    /// <summary>The Training Plan Result report (<c>/v2/report/training-plan-result</c>).</summary>
    /// <inheritdoc cref="GetSymsResultAsync" path="/param"/>
    Task<IReadOnlyList<ReportRow>> GetTrainingPlanResultAsync(DateRange range, CancellationToken cancellationToken = default);

    /// <summary>The Module Results report (<c>/v2/report/modules-results</c>).</summary>
    /// <inheritdoc cref="GetSymsResultAsync" path="/param"/>
    Task<IReadOnlyList<ReportRow>> GetModulesResultsAsync(DateRange range, CancellationToken cancellationToken = default);

    /// <summary>The Sym report (<c>/v2/report/syms</c>).</summary>
    /// <inheritdoc cref="GetSymsResultAsync" path="/param"/>
    Task<IReadOnlyList<ReportRow>> GetSymsAsync(DateRange range, CancellationToken cancellationToken = default);

    /// <summary>The Users report (<c>/v2/report/users</c>).</summary>
    /// <inheritdoc cref="GetSymsResultAsync" path="/param"/>
    Task<IReadOnlyList<ReportRow>> GetUsersAsync(DateRange range, CancellationToken cancellationToken = default);

    /// <summary>The Team Results report (<c>/v2/report/teams-result</c>).</summary>
    /// <inheritdoc cref="GetSymsResultAsync" path="/param"/>
    Task<IReadOnlyList<ReportRow>> GetTeamsResultAsync(DateRange range, CancellationToken cancellationToken = default);

    /// <summary>Any report, every page, as JSON-backed rows.</summary>
    /// <param name="report">Which report.</param>
    /// <param name="range">The days to report on, at most <see cref="SymtrainClientOptions.MaxReportRange"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="report"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException">The range is longer than the maximum.</exception>
    /// <exception cref="ApiException">The call failed, or the server ignored paging.</exception>
    Task<IReadOnlyList<ReportRow>> GetReportAsync(SymtrainReport report, DateRange range, CancellationToken cancellationToken = default);

    /// <summary>Any report, every page, each row read into the caller's type through its source-generated metadata.</summary>
    /// <typeparam name="TRow">The caller's row type.</typeparam>
    /// <param name="report">Which report.</param>
    /// <param name="range">The days to report on, at most <see cref="SymtrainClientOptions.MaxReportRange"/>.</param>
    /// <param name="rowType">How to read a row, e.g. <c>MyJsonContext.Default.MyRow</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">The range is longer than the maximum.</exception>
    /// <exception cref="ApiException">The call failed, or a row could not be read as <typeparamref name="TRow"/>.</exception>
    Task<IReadOnlyList<TRow>> GetReportAsync<TRow>(SymtrainReport report, DateRange range, JsonTypeInfo<TRow> rowType, CancellationToken cancellationToken = default);

    /// <summary>
    /// Any report over a range of any length: the range is split into consecutive windows of
    /// <see cref="SymtrainClientOptions.MaxReportRange"/> (<see cref="DateRange.Split(TimeSpan)"/>), each window is read page by
    /// page, and rows are yielded as they are read, without holding a whole response in memory. Cancellation is checked
    /// between rows. Arguments are checked when this method is called, before anything is sent.
    /// </summary>
    /// <param name="report">Which report.</param>
    /// <param name="range">The days to report on; any length.</param>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="report"/> is not a defined value.</exception>
    IAsyncEnumerable<ReportRow> StreamReportAsync(SymtrainReport report, DateRange range, CancellationToken cancellationToken = default);
}
