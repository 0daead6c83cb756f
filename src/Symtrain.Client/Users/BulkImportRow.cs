namespace Symtrain.Client.Users;

/// <summary>
/// One user of a bulk import: a line of the CSV file
/// (<c>firstName,lastName,username,email,role,teamName,status,action</c>). Every value but <see cref="TeamName"/> is
/// required; <see cref="Username"/> defaults to <see cref="Email"/>, <see cref="Role"/> to <c>trainee</c>,
/// <see cref="Status"/> to <c>ACTIVE</c> and <see cref="Action"/> to <c>Add</c>.
/// </summary>
public sealed record BulkImportRow
{
    /// <summary>The role Symtrain accepts: <c>trainee</c>.</summary>
    public const string TraineeRole = "trainee";

    /// <summary>The status of an active user: <c>ACTIVE</c>.</summary>
    public const string ActiveStatus = "ACTIVE";

    /// <summary>The status of an inactive user: <c>INACTIVE</c>.</summary>
    public const string InactiveStatus = "INACTIVE";

    /// <summary>The action that adds a user: <c>Add</c>.</summary>
    public const string AddAction = "Add";

    /// <summary>The action that updates a user: <c>Update</c>.</summary>
    public const string UpdateAction = "Update";

    /// <summary>The first name. Required.</summary>
    public required string FirstName { get; init; }

    /// <summary>The last name. Required.</summary>
    public required string LastName { get; init; }

    /// <summary>The email address. Required.</summary>
    public required string Email { get; init; }

    /// <summary>The username; must equal <see cref="Email"/> exactly. Null writes the email.</summary>
    public string? Username { get; init; }

    /// <summary>The role: only <c>trainee</c> is supported.</summary>
    public string Role { get; init; } = TraineeRole;

    /// <summary>The team to put the user in; optional.</summary>
    public string? TeamName { get; init; }

    /// <summary><c>ACTIVE</c> or <c>INACTIVE</c>.</summary>
    public string Status { get; init; } = ActiveStatus;

    /// <summary><c>Add</c> or <c>Update</c>.</summary>
    public string Action { get; init; } = AddAction;
}
