using System.Text.Json.Nodes;

namespace Symtrain.Client.Users;

/// <summary>
/// A trainee to create (<c>/v2/access-api/user/create</c>); the server returns the existing user when there is one.
/// <see cref="Username"/> must equal <see cref="Email"/> exactly (case included, as the vendor documents); when it is
/// null the email is sent as the username.
/// </summary>
public sealed record CreateUserRequest
{
    /// <summary>The organization's id. Required.</summary>
    public required string OrganizationId { get; init; }

    /// <summary>The user's email address. Required.</summary>
    public required string Email { get; init; }

    /// <summary>The username; must equal <see cref="Email"/> exactly. Null sends the email.</summary>
    public string? Username { get; init; }

    /// <summary>The first name; not sent when null.</summary>
    public string? FirstName { get; init; }

    /// <summary>The last name; not sent when null.</summary>
    public string? LastName { get; init; }

    /// <summary>
    /// More user fields, sent beside the documented ones, e.g. <c>new JsonObject { ["department"] = "Sales" }</c>.
    /// Their names must not repeat a documented field.
    /// </summary>
    public JsonObject? AdditionalFields { get; init; }
}
