using System.Text.Json;

namespace TrainingApis.Core.Json;

/// <summary>
/// Describes where the rows of a response are — a bare array, or an array under one of <see cref="RowProperties"/> of
/// the root object — and, once read, the root object's other top-level values (paging fields and the like).
/// </summary>
public sealed class JsonEnvelope
{
    private readonly Dictionary<string, JsonElement> _properties = new(StringComparer.OrdinalIgnoreCase);

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

    /// <summary>After reading: the root object's other top-level values (values over 64 KB are skipped).</summary>
    public IReadOnlyDictionary<string, JsonElement> Properties => _properties;

    /// <summary>Reads a top-level integer such as <c>page</c> or <c>pageSize</c>; null when absent or not an integer.</summary>
    public long? GetInt64(string name)
    {
        if (!_properties.TryGetValue(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var number) => number,
            JsonValueKind.String when long.TryParse(value.GetString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parsed) => parsed,
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
        _properties.Clear();
        IsBareArray = false;
        RowProperty = null;
    }

    internal void Add(string name, JsonElement value) => _properties[name] = value;
}
