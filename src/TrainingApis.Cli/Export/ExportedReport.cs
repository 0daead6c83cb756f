namespace TrainingApis.Cli.Export;

/// <summary>A report file completed for a range and format.</summary>
internal sealed record ExportedReport(string Report, string Start, string End, string Format, string File, long Rows, int Columns);
