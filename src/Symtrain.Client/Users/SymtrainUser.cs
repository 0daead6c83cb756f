using System.Text.Json;
using System.Text.Json.Serialization;
using Symtrain.Client.Internal;
using TrainingApis.Core.Json;

namespace Symtrain.Client.Users;

/// <summary>A Symtrain user, as created or found by <c>CreateUserAsync</c>.</summary>
public sealed record SymtrainUser : IJsonOnDeserialized
{
    private string? _userId;

    /// <summary>The user's id (also read from <c>id</c>).</summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? UserId { get => _userId; init => _userId = value; }

    /// <summary>The username (the email address).</summary>
    public string? Username { get; init; }

    /// <summary>The email address.</summary>
    public string? Email { get; init; }

    /// <summary>The first name.</summary>
    public string? FirstName { get; init; }

    /// <summary>The last name.</summary>
    public string? LastName { get; init; }

    /// <summary>The role, e.g. <c>trainee</c>; any value the server sends is kept.</summary>
    public string? Role { get; init; }

    /// <summary>The status, e.g. <c>ACTIVE</c>; any value the server sends is kept.</summary>
    public string? Status { get; init; }

    /// <summary><see langword="true"/> when the user was created, <see langword="false"/> when it already existed; null when not said.</summary>
    public bool? Created { get; init; }

    /// <summary>Fields this SDK does not know, kept as sent.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }

    void IJsonOnDeserialized.OnDeserialized()
    {
        _userId ??= JsonShapes.GetAlias(AdditionalProperties, "id", "_id");
    }
}
