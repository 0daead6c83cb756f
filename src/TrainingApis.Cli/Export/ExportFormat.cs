namespace TrainingApis.Cli.Export;

/// <summary>The file format of an export.</summary>
internal enum ExportFormat
{
    /// <summary>RFC 4180 CSV, UTF-8, CRLF; the header is the union of the fields seen, in first-seen order.</summary>
    Csv,

    /// <summary>JSON lines: one JSON object per line, every field as the API sent it (lossless).</summary>
    Jsonl,
}
