namespace Symtrain.Client.Reports;

/// <summary>The body of a report request: <c>startDate</c>, <c>endDate</c>, <c>pageSize</c> when one is set or answered, and <c>page</c> after the first page.</summary>
internal sealed record ReportRequest(string StartDate, string EndDate, long? Page = null, long? PageSize = null);
