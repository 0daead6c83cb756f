using Symtrain.Client.Internal;
using TrainingApis.Core;
using TrainingApis.Core.Json;

namespace Symtrain.Client.Reports;

/// <summary>
/// The paging of one report window: the first request carries the dates and, when
/// <see cref="SymtrainClientOptions.ReportPageSize"/> is set, that <c>pageSize</c>; while a page comes back full
/// (<c>rows == pageSize</c>, the size the server answered, else the one asked for), the next one is asked for with
/// <c>page + 1</c> and the same <c>pageSize</c>. Fails with an
/// <see cref="ApiException"/> when the server answers a page other than the one asked for, repeats a page, or the page
/// count passes <see cref="SymtrainClientOptions.MaxPages"/>.
/// </summary>
internal sealed class ReportPager(SymtrainTransport transport, OperationSpan span, string path, string operation, DateRange window)
{
    private readonly int _maxPages = transport.Options.MaxPages;
    private long? _page;
    private long? _pageSize = transport.Options.ReportPageSize;
    private ulong? _previousFirstRow;
    private long _delivered;
    private int _pages;
    private bool _done;

    /// <summary>Where the rows of each page are and what came with them; read again for every page.</summary>
    public JsonEnvelope Envelope { get; } = new(SymtrainReportsClient.RowProperties);

    /// <summary>The request for the next page, or null when the window is complete.</summary>
    public HttpRequestMessage? Next()
    {
        if (_done)
        {
            return null;
        }

        if (++_pages > _maxPages)
        {
            throw transport.PagingFailure(path, $"the report for {window} did not end within {_maxPages} pages (SymtrainClientOptions.MaxPages); the server seems to ignore paging.");
        }

        var body = new ReportRequest(window.StartText, window.EndText, _page, _pageSize);
        return span.Apply(SymtrainTransport.CreatePost(path, operation, body, SymtrainJsonContext.Default.ReportRequest));
    }

    /// <summary>
    /// Once a page's first row is read (streaming, before any row of it is handed over): checks that it is the page
    /// asked for, not the previous one again.
    /// </summary>
    public void CheckFirstRow() => CheckPage(hasRows: true);

    /// <summary>Records a page fully read, with <paramref name="rows"/> rows, and decides whether another page follows.</summary>
    public void Completed(long rows)
    {
        // Again at the end: paging fields may come after the rows.
        CheckPage(hasRows: rows > 0);
        _delivered += rows;

        var size = Envelope.GetInt64("pageSize") ?? _pageSize;
        if (Envelope.IsBareArray || size is not > 0 || rows < size || (Envelope.GetInt64("total") is { } total && _delivered >= total))
        {
            _done = true;
            return;
        }

        _previousFirstRow = Envelope.FirstRowFingerprint;
        _page = (Envelope.GetInt64("page") ?? _page ?? 1) + 1;
        _pageSize = size;
    }

    private void CheckPage(bool hasRows)
    {
        if (_page is null)
        {
            return;
        }

        if (Envelope.GetInt64("page") is { } answered && answered != _page)
        {
            throw transport.PagingFailure(path, $"asked for page {_page} of the report for {window}, the server answered page {answered}; it seems to ignore paging.");
        }

        if (hasRows && Envelope.FirstRowFingerprint == _previousFirstRow)
        {
            throw transport.PagingFailure(path, $"asked for page {_page} of the report for {window}, the server answered the previous page again; it seems to ignore paging.");
        }
    }
}
