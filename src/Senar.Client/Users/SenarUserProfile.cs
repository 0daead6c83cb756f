using System.Text.Json.Serialization;

namespace Senar.Client.Users;

/// <summary>
/// A Senar user profile (<c>Instructor</c>, <c>Guest</c>, …). Extensible: any value the server sends is kept, so a
/// profile this version does not list never fails to parse. Compared case-insensitively.
/// </summary>
[JsonConverter(typeof(SenarUserProfileJsonConverter))]
public readonly struct SenarUserProfile : IEquatable<SenarUserProfile>
{
    private readonly string? _value;

    /// <summary>Creates a profile from the server's text.</summary>
    public SenarUserProfile(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>The instructor profile (<c>Instructor</c>), as in the documented users sample.</summary>
    public static SenarUserProfile Instructor { get; } = new("Instructor");

    /// <summary>The guest profile (<c>Guest</c>), as in the documented activities sample.</summary>
    public static SenarUserProfile Guest { get; } = new("Guest");

    /// <summary>The text the server sent; empty for the default value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Whether two profiles are equal (case-insensitive).</summary>
    public static bool operator ==(SenarUserProfile left, SenarUserProfile right) => left.Equals(right);

    /// <summary>Whether two profiles differ (case-insensitive).</summary>
    public static bool operator !=(SenarUserProfile left, SenarUserProfile right) => !left.Equals(right);

    /// <summary>Converts the server's text to a profile.</summary>
    public static implicit operator SenarUserProfile(string value) => new(value);

    /// <summary>Converts the server's text to a profile.</summary>
    public static SenarUserProfile FromString(string value) => new(value);

    /// <inheritdoc/>
    public bool Equals(SenarUserProfile other) => string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SenarUserProfile other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Value);

    /// <summary>Returns <see cref="Value"/>.</summary>
    public override string ToString() => Value;
}
