using System.Globalization;

namespace Senar.Client.Users;

/// <summary>
/// The body of <c>POST /integration/data/user_assign</c>: a user to add (or find) and the one collection to assign
/// them. Validated before sending (see <see cref="ISenarUsersClient.AssignCollectionAsync"/>). <see cref="ToString"/>
/// masks <see cref="Password"/>.
/// </summary>
public sealed record UserAssignment
{
    /// <summary>The user's email address, also their login. Required.</summary>
    public string? Email { get; init; }

    /// <summary>The user's first name. Required.</summary>
    public string? FirstName { get; init; }

    /// <summary>The user's last name. Required.</summary>
    public string? LastName { get; init; }

    /// <summary>
    /// The user's password: at least 6 characters, with letters and at least one digit (Senar's rule). Used when the
    /// user is new. A secret: never logged or shown by <see cref="ToString"/>.
    /// </summary>
    public string? Password { get; init; }

    /// <summary>The user's organization. Required.</summary>
    public string? Organization { get; init; }

    /// <summary>
    /// The collection to assign, owned by the authenticated account: the number at the end of its Senar Studio address
    /// (<c>https://studio.senar.io/Collections/Edit/4242</c> → 4242). Must be positive. One collection per call.
    /// </summary>
    public int CollectionId { get; init; }

    /// <summary>Describes the assignment with the password masked.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"UserAssignment {{ Email = {Email}, FirstName = {FirstName}, LastName = {LastName}, Password = {(string.IsNullOrEmpty(Password) ? "(not set)" : "***")}, Organization = {Organization}, CollectionId = {CollectionId} }}");
}
