using System.Text.Json;
using System.Text.Json.Serialization;
using Senar.Client.Json;

namespace Senar.Client.Users;

/// <summary>The answer of <c>POST /integration/data/user_assign</c>.</summary>
public sealed record UserAssignResult
{
    /// <summary>Whether Senar made the assignment. Always true in a result returned by the client: a refusal is thrown.</summary>
    public bool Succeed { get; init; }

    /// <summary>The user's email address.</summary>
    public string? Email { get; init; }

    /// <summary>The collection assigned; <see langword="null"/> when Senar sends none or <c>null</c>.</summary>
    public int? CollectionId { get; init; }

    /// <summary>Whether the user was created by this call (false: an existing user was assigned, or Senar sent <c>null</c>).</summary>
    [JsonConverter(typeof(NullAsFalseConverter))]
    public bool IsNewUser { get; init; }

    /// <summary>The server's message, when it sent one (assumed field; Senar documents none).</summary>
    public string? Message { get; init; }

    /// <summary>Fields Senar sent that this version does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
