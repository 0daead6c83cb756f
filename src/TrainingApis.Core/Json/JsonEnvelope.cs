using System.Globalization;
using System.Text.Json;

namespace TrainingApis.Core.Json;

/// <summary>
/// Describes where the rows of a response are — a bare array, or an array under one of <see cref="RowProperties"/> of
/// the root object — and, once read, the root object's other top-level values (paging fields and the like).
/// </summary>
public sealed class JsonEnvelope
{
    // Integers (the usual paging fields) are kept as numbers, everything else as a JsonElement: a JsonElement costs a
    // document of its own, and most readers only ever ask for GetInt64. Few values, so a list searched in order.
    private readonly List<(string Name, long Integer, JsonElement? Element)> _values = new(4);
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
    /// After reading: the JSON text of the first row as received (empty when there was none), e.g. to notice a server
    /// that answers the same page twice.
    /// </summary>
    public ReadOnlyMemory<byte> FirstRow { get; internal set; }

    /// <summary>After reading: the root object's other top-level values (values over 64 KB are skipped).</summary>
    public IReadOnlyDictionary<string, JsonElement> Properties => _properties ??= Materialize();

    /// <summary>Reads a top-level integer such as <c>page</c> or <c>pageSize</c>; null when absent or not an integer.</summary>
    public long? GetInt64(string name)
    {
        var index = IndexOf(name);
        if (index < 0)
        {
            return null;
        }

        var (_, integer, element) = _values[index];
        if (element is not { } value)
        {
            return integer;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var number) => number,
            JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }

    internal bool IsRowProperty(string name)
    {
        foreach (var candidate in RowProperties)
        {
            if (string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    internal void Reset()
    {
        _values.Clear();
        _properties = null;
        IsBareArray = false;
        RowProperty = null;
        FirstRow = ReadOnlyMemory<byte>.Empty;
    }

    internal void Add(string name, JsonElement value) => Set(name, (name, 0, value));

    internal void Add(string name, long value) => Set(name, (name, value, null));

    private void Set(string name, (string, long, JsonElement?) value)
    {
        // A repeated name keeps the last value, as a dictionary would.
        var index = IndexOf(name);
        if (index >= 0)
        {
            _values[index] = value;
        }
        else
        {
            _values.Add(value);
        }

        _properties = null;
    }

    private int IndexOf(string name)
    {
        for (var i = 0; i < _values.Count; i++)
        {
            if (string.Equals(_values[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private Dictionary<string, JsonElement> Materialize()
    {
        var properties = new Dictionary<string, JsonElement>(_values.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, integer, element) in _values)
        {
            properties[name] = element ?? ToElement(integer);
        }

        return properties;
    }

    private static JsonElement ToElement(long integer)
    {
        using var document = JsonDocument.Parse(integer.ToString(CultureInfo.InvariantCulture));
        return document.RootElement.Clone();
    }
}
