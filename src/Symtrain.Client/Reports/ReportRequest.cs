namespace Symtrain.Client.Reports;

/// <summary>The body of a report request: <c>startDate</c>, <c>endDate</c> and, after the first page, <c>page</c> and <c>pageSize</c>.</summary>
internal sealed record ReportRequest(string StartDate, string EndDate, long? Page = null, long? PageSize = null);
