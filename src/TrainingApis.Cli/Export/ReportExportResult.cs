namespace TrainingApis.Cli.Export;

/// <summary>What the export did for one report.</summary>
internal sealed record ReportExportResult(string Report, string File, long Rows, int Columns, int WindowsFetched, int WindowsReused);
