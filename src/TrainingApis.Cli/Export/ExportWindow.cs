namespace TrainingApis.Cli.Export;

/// <summary>A window of a report fetched completely: its rows are in <see cref="File"/> (JSON lines) in the export's work folder.</summary>
internal sealed record ExportWindow(string Report, string Start, string End, long Rows, IReadOnlyList<string> Fields, string File);
