using System.Globalization;
using System.Text.Json;

namespace TrainingApis.Core.Json;

/// <summary>
/// Describes where the rows of a response are — a bare array, or an array under one of <see cref="RowProperties"/> of
/// the root object — and, once read, the root object's other top-level values (paging fields and the like).
/// </summary>
internal sealed class JsonEnvelope
{
    private const int MaxCapturedValueBytes = 64 * 1024;

    // Integers (the usual paging fields) are kept as numbers, other values as JsonElements: a JsonElement costs a
    // document of its own, and most readers only ever ask for GetInt64. Created on first use; names ignore case.
    private List<(string Name, long Integer, JsonElement? Element)>? _values;
    private Dictionary<string, JsonElement>? _properties;

    /// <summary>Creates an envelope description that looks for the rows under any of <paramref name="rowProperties"/> (the first such array in the body is taken).</summary>
    public JsonEnvelope(params string[] rowProperties)
    {
        ArgumentNullException.ThrowIfNull(rowProperties);
        RowProperties = rowProperties;
    }

    /// <summary>The names of the properties that may hold the rows (case-insensitive).</summary>
    public IReadOnlyList<string> RowProperties { get; }

    /// <summary>After reading: whether the response was a bare array.</summary>
    public bool IsBareArray { get; internal set; }

    /// <summary>After reading: the property the rows came from, null for a bare array or when none was found.</summary>
    public string? RowProperty { get; internal set; }

    /// <summary>
    /// After reading: a 64-bit fingerprint (FNV-1a) of the first row's JSON text as received, null when there was no row;
    /// e.g. to notice a server that answers the same page twice without keeping the row itself.
    /// </summary>
    public ulong? FirstRowFingerprint { get; internal set; }

    /// <summary>After reading: the root object's other top-level values (values over 64 KB are skipped).</summary>
    public IReadOnlyDictionary<string, JsonElement> Properties => _properties ??= (_values ?? []).ToDictionary(
        v => v.Name, v => v.Element ?? JsonElement.Parse(v.Integer.ToString(CultureInfo.InvariantCulture)), StringComparer.OrdinalIgnoreCase);

    /// <summary>Reads a top-level integer such as <c>page</c> or <c>pageSize</c>; null when absent or not an integer.</summary>
    public long? GetInt64(string name) => IndexOf(name) is var index and >= 0 ? _values![index].Element switch
    {
        null => _values[index].Integer,
        { ValueKind: JsonValueKind.Number } value when value.TryGetInt64(out var number) => number,
        { ValueKind: JsonValueKind.String } value when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    } : null;

    internal static ulong Fingerprint(ReadOnlySpan<byte> json)
    {
        var hash = 14695981039346656037UL;
        foreach (var value in json)
        {
            hash = (hash ^ value) * 1099511628211UL;
        }

        return hash;
    }

    // The usual names come back as the same string instances instead of a new string per response.
    internal string Name(ref Utf8JsonReader reader)
    {
        for (var i = -3; i < RowProperties.Count && !reader.ValueIsEscaped; i++)
        {
            var name = i switch { -3 => "page", -2 => "pageSize", -1 => "total", _ => RowProperties[i] };
            if (reader.ValueTextEquals(name))
            {
                return name;
            }
        }

        return reader.GetString()!;
    }

    internal bool IsRowProperty(string name) => RowProperties.Contains(name, StringComparer.OrdinalIgnoreCase);

    internal void Reset()
    {
        _values?.Clear();
        _properties = null;
        (IsBareArray, RowProperty, FirstRowFingerprint) = (false, null, null);
    }

    // Keeps the value the reader is on (a repeated name keeps the last one, as a dictionary would); skips one over 64 KB.
    internal void Add(string name, ref Utf8JsonReader reader)
    {
        var probe = reader;
        probe.Skip();
        if (probe.BytesConsumed - reader.TokenStartIndex > MaxCapturedValueBytes)
        {
            reader = probe;
            return;
        }

        (string, long, JsonElement?) value = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var integer) ? (name, integer, null) : (name, 0, JsonElement.ParseValue(ref reader));
        var index = IndexOf(name);
        if (index < 0)
        {
            (_values ??= new(3)).Add(value);
        }
        else
        {
            _values![index] = value;
        }

        _properties = null;
    }

    private int IndexOf(string name)
    {
        for (var i = 0; i < (_values?.Count ?? 0); i++)
        {
            if (string.Equals(_values![i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
