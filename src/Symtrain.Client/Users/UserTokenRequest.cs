namespace Symtrain.Client.Users;

/// <summary>The body of <c>/v2/access-api/user/token</c>.</summary>
internal sealed record UserTokenRequest(string OrganizationId, string UserId);
