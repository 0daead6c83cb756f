using TrainingApis.Sandbox.Http;
using TrainingApis.Sandbox.Json;

namespace TrainingApis.Sandbox.Symtrain;

/// <summary><c>/v2/access-api/user/token</c> and <c>/v2/access-api/user/create</c>.</summary>
internal static class UserEndpoints
{
    /// <summary><c>{organizationId, userId}</c> → <c>{"token", "expiresAt"}</c>, valid for one hour.</summary>
    public static async Task TokenAsync(HttpContext context, SandboxRuntime runtime)
    {
        using var request = await SymtrainEndpoints.ReadAsync(context);
        if (request is null)
        {
            return;
        }

        var organizationId = request.String("organizationId", required: true);
        var userId = request.String("userId", required: true);
        if (await SymtrainEndpoints.RejectIfInvalidAsync(context, request)
            || !await SymtrainEndpoints.CheckOrganizationAsync(context, runtime, organizationId!)
            || await SymtrainEndpoints.FindUserAsync(context, runtime, organizationId!, userId!) is not { } user)
        {
            return;
        }

        var (token, expiresAt) = runtime.Symtrain.IssueToken(user.Username);
        await Responses.JsonAsync(context, new UserTokenResponse(token, expiresAt.UtcDateTime), SandboxJsonContext.Relaxed.UserTokenResponse);
    }

    /// <summary>
    /// <c>{organizationId, email, username, firstName?, lastName?, …}</c>: creates a trainee or returns the existing one
    /// (<c>created</c> false). <c>username</c> must equal <c>email</c>; a <c>role</c>, when sent, must be <c>trainee</c>.
    /// </summary>
    public static async Task CreateAsync(HttpContext context, SandboxRuntime runtime)
    {
        using var request = await SymtrainEndpoints.ReadAsync(context);
        if (request is null)
        {
            return;
        }

        var organizationId = request.String("organizationId", required: true);
        var email = request.String("email", required: true);
        var username = request.String("username", required: true);
        var firstName = request.String("firstName", required: false);
        var lastName = request.String("lastName", required: false);
        var role = request.String("role", required: false);
        if (email is not null && !IsEmail(email))
        {
            request.AddProblem("email", $"email '{email}' is not a valid email address.");
        }

        if (email is not null && username is not null && !string.Equals(email, username, StringComparison.Ordinal))
        {
            request.AddProblem("username", "username must match email exactly.");
        }

        if (role is not null && !string.Equals(role, "trainee", StringComparison.OrdinalIgnoreCase))
        {
            request.AddProblem("role", $"role '{role}' is not supported; only trainee users can be created.");
        }

        if (await SymtrainEndpoints.RejectIfInvalidAsync(context, request)
            || !await SymtrainEndpoints.CheckOrganizationAsync(context, runtime, organizationId!))
        {
            return;
        }

        var (user, created) = runtime.Symtrain.CreateOrGet(username!, email!, firstName, lastName);
        var response = new CreateUserResponse(user.Username, user.Username, user.Email, user.FirstName, user.LastName, "trainee", user.Status, created);
        await Responses.JsonAsync(context, response, SandboxJsonContext.Relaxed.CreateUserResponse);
    }

    /// <summary>One <c>@</c> with text on both sides, a dot in the domain, no blanks.</summary>
    public static bool IsEmail(string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        return at > 0
            && at == value.LastIndexOf('@')
            && at < value.Length - 3
            && value.IndexOf('.', at) is var dot && dot > at + 1 && dot < value.Length - 1
            && !value.Any(char.IsWhiteSpace);
    }
}
