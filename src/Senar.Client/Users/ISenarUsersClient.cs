namespace Senar.Client.Users;

/// <summary>Senar users: <c>POST /integration/data/user_assign</c> and <c>GET /integration/data/users</c>.</summary>
/// <remarks>Users cannot be updated or deleted through the Senar API; use Senar Studio for that.</remarks>
public interface ISenarUsersClient
{
    /// <summary>
    /// Adds a user (or finds the existing one with that email) and assigns them one collection. To assign several
    /// collections, call once per collection.
    /// </summary>
    /// <param name="request">The user and the collection. Checked before sending: email shape, a password of at least
    /// 6 characters with letters and at least one digit, a positive <c>CollectionId</c>, and first name, last name and
    /// organization present.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result; <see cref="UserAssignResult.IsNewUser"/> tells whether the user was created.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="UserAssignmentValidationException">The request breaks Senar's rules; every failing field is named. Nothing was sent.</exception>
    /// <exception cref="TrainingApis.Core.ApiValidationException">
    /// Senar refused the assignment: a 400/422, or a 200 answer with <c>"succeed": false</c>. The message and
    /// <see cref="TrainingApis.Core.ApiValidationException.Errors"/> carry the server's words.
    /// </exception>
    /// <exception cref="TrainingApis.Core.ApiAuthenticationException">The login failed, or the token was refused twice.</exception>
    /// <exception cref="TrainingApis.Core.ApiException">Any other failure.</exception>
    Task<UserAssignResult> AssignCollectionAsync(UserAssignment request, CancellationToken cancellationToken = default);

    /// <summary>Returns every user of the authenticated account (read into memory at once).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="TrainingApis.Core.ApiException">The call failed (see the subtypes).</exception>
    Task<IReadOnlyList<SenarUser>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Yields every user of the authenticated account as the response arrives, without holding the whole list.</summary>
    /// <param name="cancellationToken">Cancels the call and the enumeration.</param>
    /// <exception cref="TrainingApis.Core.ApiException">The call failed, or the body is not a JSON array of users.</exception>
    IAsyncEnumerable<SenarUser> StreamAsync(CancellationToken cancellationToken = default);
}
