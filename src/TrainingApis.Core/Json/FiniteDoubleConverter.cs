using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TrainingApis.Core.Json;

/// <summary>
/// Reads a <see cref="double"/> from a JSON number or a numeric string (as the web defaults do) but only a finite one:
/// <c>1e400</c> (which would read as infinity), <c>"NaN"</c> and <c>"Infinity"</c> are a type mismatch the serializer
/// gives the path of, as <c>ReportRow.GetDouble</c> refuses them. For <see cref="Nullable{T}"/> numbers the serializer
/// reads JSON <c>null</c> as null itself. Writes JSON numbers.
/// </summary>
internal sealed class FiniteDoubleConverter : JsonConverter<double>
{
    /// <summary>The forms of a numeric string: no white space, no thousands separators, no named values.</summary>
    public const NumberStyles Styles = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <inheritdoc/>
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // Worded as the reader's own type errors, so the failure reads "a type mismatch at $.x: expected a number, found a string".
        if (reader.TokenType is not (JsonTokenType.Number or JsonTokenType.String))
        {
            throw new JsonException("The JSON value could not be converted to Double.", new InvalidOperationException($"Cannot get the value of a token type '{reader.TokenType}' as a number."));
        }

        var value = 0d;
        var read = reader.TokenType == JsonTokenType.Number
            ? reader.TryGetDouble(out value)
            : (reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length) <= 64
                && double.TryParse(reader.GetString(), Styles, CultureInfo.InvariantCulture, out value);
        return read && double.IsFinite(value)
            ? value
            : throw new JsonException("The JSON value could not be converted to Double.", new FormatException("The value is not a finite number (out of range, NaN or Infinity, or not a number)."));
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(value);
    }
}
