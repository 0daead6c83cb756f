using Senar.Client.Activities;
using Senar.Client.Auth;
using Senar.Client.Users;
using Senar.Client.Webhooks;

namespace Senar.Client;

/// <summary>
/// The Senar API: authentication, users, activities and webhooks. Logs in by itself on first use with the configured
/// credentials, shares the token with every client of the same credential in the process, and logs in again once when
/// the server answers 401.
/// </summary>
public interface ISenarClient
{
    /// <summary>Explicit login (<c>POST /api/auth/login</c>); optional, since every call logs in when needed.</summary>
    ISenarAuthClient Auth { get; }

    /// <summary>User assignment to collections and the users list.</summary>
    ISenarUsersClient Users { get; }

    /// <summary>The activities list.</summary>
    ISenarActivitiesClient Activities { get; }

    /// <summary>Webhook registration.</summary>
    ISenarWebhooksClient Webhooks { get; }
}
