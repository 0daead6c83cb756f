using System.Text.Json;
using System.Text.Json.Serialization;
using Senar.Client.Json;

namespace Senar.Client.Users;

/// <summary>A user of the authenticated Senar account, as listed by <c>GET /integration/data/users</c>.</summary>
public sealed record SenarUser
{
    private readonly string _id = string.Empty;

    /// <summary>
    /// The user's id (a UUID string, e.g. <c>765fc7cf-312b-469d-8508-0e943a6447c7</c>); empty when Senar sends none or
    /// <c>null</c>, never null.
    /// </summary>
    public string Id { get => _id; init => _id = value ?? string.Empty; }

    /// <summary>First name.</summary>
    public string? FirstName { get; init; }

    /// <summary>Last name.</summary>
    public string? LastName { get; init; }

    /// <summary>Email address.</summary>
    public string? Email { get; init; }

    /// <summary>Language code, e.g. <c>en</c>.</summary>
    public string? Language { get; init; }

    /// <summary>The account (company) name, e.g. <c>ACME</c>.</summary>
    public string? AccountName { get; init; }

    /// <summary>Country name, e.g. <c>USA</c>.</summary>
    public string? CountryName { get; init; }

    /// <summary>
    /// When the user was created, as Senar sends it: without an offset, so <see cref="DateTimeKind.Unspecified"/>
    /// (a value with an offset is converted to UTC). Every ISO 8601 form is read, up to 9 fractional digits (see
    /// <see cref="TrainingApis.Core.Json.LenientDateTimeConverter"/>); <c>null</c> and <c>""</c> read as null.
    /// </summary>
    public DateTime? CreationDate { get; init; }

    /// <summary>The user's profile, e.g. <see cref="SenarUserProfile.Instructor"/>; any value is kept.</summary>
    public SenarUserProfile? Profile { get; init; }

    /// <summary>Fields Senar sent that this version does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
