using System.Globalization;
using System.Text.Json;

namespace TrainingApis.Core.Json;

/// <summary>
/// Describes where the rows of a response are — a bare array, or an array under one of <see cref="RowProperties"/> of
/// the root object — and, once read, the root object's other top-level values (paging fields and the like).
/// </summary>
/// <param name="rowProperties">The names of the properties that may hold the rows (the first such array is taken).</param>
internal sealed class JsonEnvelope(params string[] rowProperties)
{
    // Integers (the usual paging fields) are kept as numbers, other values as JsonElements: a JsonElement costs a
    // document of its own, and most readers only ever ask for GetInt64. Created on first use; names ignore case.
    private List<(string Name, long Integer, JsonElement? Element)>? _values;

    /// <summary>The names of the properties that may hold the rows (case-insensitive).</summary>
    public IReadOnlyList<string> RowProperties { get; } = rowProperties ?? throw new ArgumentNullException(nameof(rowProperties));

    /// <summary>After reading: whether the response was a bare array.</summary>
    public bool IsBareArray { get; internal set; }

    /// <summary>After reading: the property the rows came from, null for a bare array or when none was found.</summary>
    public string? RowProperty { get; internal set; }

    /// <summary>After reading: an FNV-1a hash of the first row's JSON text (null: no row), to notice a page answered twice.</summary>
    public ulong? FirstRowFingerprint { get; internal set; }

    /// <summary>After reading: the root object's other top-level values (values over 64 KB are skipped; of a repeated name, the last).</summary>
    public IReadOnlyDictionary<string, JsonElement> Properties => Enumerable.Reverse(_values ?? []).DistinctBy(v => v.Name, StringComparer.OrdinalIgnoreCase)
        .ToDictionary(v => v.Name, v => v.Element ?? JsonElement.Parse(v.Integer.ToString(CultureInfo.InvariantCulture)), StringComparer.OrdinalIgnoreCase);

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
        foreach (var value in json) hash = (hash ^ value) * 1099511628211UL;

        return hash;
    }

    // The usual names come back as the same string instances instead of a new string per response.
    internal string Name(ref Utf8JsonReader reader)
    {
        for (var i = -3; i < RowProperties.Count && !reader.ValueIsEscaped; i++)
        {
            var name = i switch { -3 => "page", -2 => "pageSize", -1 => "total", _ => RowProperties[i] };
            if (reader.ValueTextEquals(name)) return name;
        }

        return reader.GetString()!;
    }

    internal void Reset()
    {
        _values?.Clear();
        (IsBareArray, RowProperty, FirstRowFingerprint) = (false, null, null);
    }

    // Keeps the value the reader is on, or skips it when it is over 64 KB.
    internal void Add(string name, ref Utf8JsonReader reader)
    {
        var probe = reader;
        probe.Skip();
        if (probe.BytesConsumed - reader.TokenStartIndex > 64 * 1024)
        {
            reader = probe;
            return;
        }

        (string, long, JsonElement?) value = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var integer) ? (name, integer, null) : (name, 0, JsonElement.ParseValue(ref reader));
        (_values ??= new(3)).Add(value);
    }

    // A repeated name keeps the last value, as a dictionary would.
    private int IndexOf(string name)
    {
        var index = (_values?.Count ?? 0) - 1;
        while (index >= 0 && !string.Equals(_values![index].Name, name, StringComparison.OrdinalIgnoreCase)) index--;

        return index;
    }
}
