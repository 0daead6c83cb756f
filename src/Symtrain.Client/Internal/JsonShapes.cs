using System.Text.Json;

namespace Symtrain.Client.Internal;

/// <summary>Finds the list in a response that may be a bare array, an envelope object or a single object.</summary>
internal static class JsonShapes
{
    /// <summary>
    /// The items of <paramref name="root"/>: the array itself; else the first of <paramref name="names"/> holding an array
    /// (case-insensitive); else the object's only array; else, when <paramref name="singleObject"/> is true, the object
    /// itself as one item; else none.
    /// </summary>
    public static IReadOnlyList<JsonElement> FindItems(JsonElement root, IReadOnlyList<string> names, bool singleObject)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            return [.. root.EnumerateArray()];
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        foreach (var name in names)
        {
            if (TryGetProperty(root, name, out var value) && value.ValueKind == JsonValueKind.Array)
            {
                return [.. value.EnumerateArray()];
            }
        }

        JsonElement? onlyArray = null;
        var arrays = 0;
        foreach (var property in root.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Array)
            {
                arrays++;
                onlyArray = property.Value;
            }
        }

        if (arrays == 1 && !singleObject)
        {
            return [.. onlyArray!.Value.EnumerateArray()];
        }

        return singleObject ? [root] : [];
    }

    /// <summary>Reads a property by name, exactly first, then ignoring case.</summary>
    public static bool TryGetProperty(JsonElement element, string name, out JsonElement value)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            value = default;
            return false;
        }

        if (element.TryGetProperty(name, out value))
        {
            return true;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Reads a top-level integer of an object (a number or a numeric string); null otherwise.</summary>
    public static long? GetInt64(JsonElement element, string name)
    {
        if (!TryGetProperty(element, name, out var value))
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

    /// <summary>Reads an alternative string property from extension data (a string or a number's text).</summary>
    public static string? GetAlias(IDictionary<string, JsonElement>? extra, params string[] names)
    {
        if (extra is null)
        {
            return null;
        }

        foreach (var name in names)
        {
            foreach (var pair in extra)
            {
                if (string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase))
                {
                    var value = pair.Value;
                    if (value.ValueKind == JsonValueKind.String)
                    {
                        return value.GetString();
                    }

                    if (value.ValueKind == JsonValueKind.Number)
                    {
                        return value.GetRawText();
                    }
                }
            }
        }

        return null;
    }
}
