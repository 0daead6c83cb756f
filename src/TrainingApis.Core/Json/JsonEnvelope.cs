using System.Globalization;
using System.Text.Json;

namespace TrainingApis.Core.Json;

/// <summary>
/// Describes where the rows of a response are — a bare array, or an array under one of <see cref="RowProperties"/> of
/// the root object — and, once read, the root object's other top-level values (paging fields and the like).
/// </summary>
public sealed class JsonEnvelope
{
    // Integers (the usual paging fields) are kept as numbers, other values as JsonElements: a JsonElement costs a
    // document of its own, and most readers only ever ask for GetInt64. Both are created on first use.
    private List<KeyValuePair<string, long>>? _integers;
    private Dictionary<string, JsonElement>? _elements;
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
    public IReadOnlyDictionary<string, JsonElement> Properties => _properties ??= Materialize();

    /// <summary>Reads a top-level integer such as <c>page</c> or <c>pageSize</c>; null when absent or not an integer.</summary>
    public long? GetInt64(string name)
    {
        if (IndexOfInteger(name) is var index and >= 0)
        {
            return _integers![index].Value;
        }

        if (_elements is null || !_elements.TryGetValue(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var number) => number,
            JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }

    // The usual names come back as the same string instances instead of a new string per response.
    internal string Name(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            foreach (var name in (ReadOnlySpan<string>)["page", "pageSize", "total"])
            {
                if (reader.ValueTextEquals(name))
                {
                    return name;
                }
            }

            for (var i = 0; i < RowProperties.Count; i++)
            {
                if (reader.ValueTextEquals(RowProperties[i]))
                {
                    return RowProperties[i];
                }
            }
        }

        return reader.GetString()!;
    }

    internal bool IsRowProperty(string name)
    {
        for (var i = 0; i < RowProperties.Count; i++)
        {
            if (string.Equals(RowProperties[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    internal void Reset()
    {
        _integers?.Clear();
        _elements?.Clear();
        _properties = null;
        IsBareArray = false;
        RowProperty = null;
        FirstRowFingerprint = null;
    }

    // A repeated name keeps the last value, as a dictionary would.
    internal void Add(string name, JsonElement value)
    {
        if (IndexOfInteger(name) is var index and >= 0)
        {
            _integers!.RemoveAt(index);
        }

        (_elements ??= new(StringComparer.OrdinalIgnoreCase))[name] = value;
        _properties = null;
    }

    internal void Add(string name, long value)
    {
        _elements?.Remove(name);
        var entry = KeyValuePair.Create(name, value);
        if (IndexOfInteger(name) is var index and >= 0)
        {
            _integers![index] = entry;
        }
        else
        {
            (_integers ??= new(3)).Add(entry);
        }

        _properties = null;
    }

    private int IndexOfInteger(string name)
    {
        for (var i = 0; i < (_integers?.Count ?? 0); i++)
        {
            if (string.Equals(_integers![i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private Dictionary<string, JsonElement> Materialize()
    {
        var properties = _elements is null ? new(StringComparer.OrdinalIgnoreCase) : new Dictionary<string, JsonElement>(_elements, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, integer) in _integers ?? [])
        {
            properties[name] = ToElement(integer);
        }

        return properties;
    }

    internal static ulong Fingerprint(ReadOnlySpan<byte> json)
    {
        var hash = 14695981039346656037UL;
        foreach (var value in json)
        {
            hash = (hash ^ value) * 1099511628211UL;
        }

        return hash;
    }

    private static JsonElement ToElement(long integer)
    {
        using var document = JsonDocument.Parse(integer.ToString(CultureInfo.InvariantCulture));
        return document.RootElement.Clone();
    }
}
