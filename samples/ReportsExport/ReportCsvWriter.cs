using System.Text;
using System.Text.Json;
using CsvHelper;
using Symtrain.Client.Reports;

namespace ReportsExport;

/// <summary>
/// Writes report rows to CSV whose columns are the union of every row's field names, in the order they first appear.
/// Rows go to a temporary JSON-lines file first (the columns are known only at the end), so memory stays flat however
/// many rows there are.
/// </summary>
internal sealed class ReportCsvWriter : IAsyncDisposable
{
    // RFC 4180 with CRLF. Formula injection is handled per value below (numbers such as -0.5 stay numbers).
    private static readonly CsvWriterOptions Options = new() { NewLine = "\r\n" };

    private readonly string _path;
    private readonly string _spoolPath;
    private readonly StreamWriter _spool;
    private readonly List<string> _columns = [];
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public ReportCsvWriter(string path)
    {
        _path = path;
        _spoolPath = path + ".rows.tmp";
        _spool = new StreamWriter(_spoolPath, append: false, new UTF8Encoding(false));
    }

    public long Rows { get; private set; }

    public IReadOnlyList<string> Columns => _columns;

    public async Task AddAsync(ReportRow row)
    {
        foreach (var name in row.FieldNames)
        {
            if (_known.Add(name))
            {
                _columns.Add(name);
            }
        }

        await _spool.WriteLineAsync(row.RawJson);
        Rows++;
    }

    /// <summary>Writes the CSV file from the spooled rows, then deletes them.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await _spool.DisposeAsync();
        await using (var file = File.Create(_path))
        await using (var csv = CsvWriter.Create(file, Options, leaveOpen: true))
        {
            csv.WriteHeader(_columns.ToArray());
            using var reader = new StreamReader(_spoolPath, Encoding.UTF8);
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                using var json = JsonDocument.Parse(line);
                foreach (var column in _columns)
                {
                    csv.WriteField(json.RootElement.TryGetProperty(column, out var value) ? Text(value) : string.Empty);
                }

                await csv.EndRecordAsync(cancellationToken);
            }

            await csv.FlushAsync(cancellationToken);
        }

        File.Delete(_spoolPath);
    }

    public async ValueTask DisposeAsync()
    {
        await _spool.DisposeAsync();
        if (File.Exists(_spoolPath))
        {
            File.Delete(_spoolPath);
        }
    }

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => Neutralize(value.GetString() ?? string.Empty),
        JsonValueKind.Null or JsonValueKind.Undefined => string.Empty,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.GetRawText(), // numbers as sent; arrays and objects as JSON
    };

    /// <summary>Text a spreadsheet would run as a formula (<c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab, CR) gets a leading <c>'</c>.</summary>
    private static string Neutralize(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;
}
