using System.Text.Encodings.Web;
using System.Text.Json;

namespace TrainingApis.Cli.Export;

/// <summary>
/// Writes JSON objects to a file, one per line (compact, whatever the API's layout), and records the union of their field
/// names in first-seen order: the CSV header. Memory is flat in the number of rows.
/// </summary>
internal sealed class JsonLinesWriter : IAsyncDisposable
{
    /// <summary>Non-ASCII text stays readable (é, not \u00E9); the JSON is only ever a data file, never HTML.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Stream _file;
    private readonly bool _leaveOpen;
    private readonly Utf8JsonWriter _writer;
    private readonly List<string> _fields = [];
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    /// <summary>Creates <paramref name="path"/> (see <see cref="ExportFiles.Create"/> for <paramref name="modeOf"/>).</summary>
    public JsonLinesWriter(string path, string? modeOf = null)
    {
        _file = ExportFiles.Create(path, modeOf);
        _writer = new Utf8JsonWriter(_file, WriterOptions);
    }

    /// <summary>Writes to <paramref name="destination"/> (standard output), which is left open.</summary>
    public JsonLinesWriter(Stream destination)
    {
        _file = destination;
        _leaveOpen = true;
        _writer = new Utf8JsonWriter(_file, WriterOptions);
    }

    public long Rows { get; private set; }

    /// <summary>Every field name seen, in the order first seen.</summary>
    public IReadOnlyList<string> Fields => _fields;

    public async ValueTask WriteAsync(JsonElement row, CancellationToken cancellationToken)
    {
        if (row.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in row.EnumerateObject())
            {
                if (_known.Add(property.Name))
                {
                    _fields.Add(property.Name);
                }
            }
        }

        row.WriteTo(_writer);
        await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        _file.WriteByte((byte)'\n');
        _writer.Reset();
        Rows++;
    }

    /// <summary>Writes everything to disk.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        await _file.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        if (!_leaveOpen)
        {
            await _file.DisposeAsync().ConfigureAwait(false);
        }
    }
}
