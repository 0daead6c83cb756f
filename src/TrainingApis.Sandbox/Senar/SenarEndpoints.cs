using System.Text.Json;
using TrainingApis.Sandbox.Http;
using TrainingApis.Sandbox.Json;

namespace TrainingApis.Sandbox.Senar;

/// <summary>Maps Senar's five endpoints and checks the bearer token on every <c>/integration/data/</c> path.</summary>
internal static class SenarEndpoints
{
    public const string DataPathPrefix = "/integration/data/";

    public static void Map(WebApplication app, SandboxRuntime runtime)
    {
        app.MapPost("/api/auth/login", (RequestDelegate)(context => LoginAsync(context, runtime)));
        app.MapPost("/integration/data/user_assign", (RequestDelegate)(context => UserAssignAsync(context, runtime)));
        app.MapGet("/integration/data/users", (RequestDelegate)(context => UsersAsync(context, runtime)));
        app.MapGet("/integration/data/activities", (RequestDelegate)(context => ActivitiesAsync(context, runtime)));
        app.MapPost("/integration/data/webhook_register", (RequestDelegate)(context => WebhookRegisterAsync(context, runtime)));
    }

    /// <summary>401 unless the request carries a token from <c>/api/auth/login</c> that has not expired.</summary>
    public static async Task GateAsync(HttpContext context, RequestDelegate next, SandboxRuntime runtime)
    {
        var token = Credentials.Bearer(context) ?? string.Empty;
        if (token.Length == 0 || !runtime.Senar.IsTokenValid(token))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            var message = token.Length == 0
                ? "Authorization required: send 'Authorization: Bearer <Token>' with a token from /api/auth/login."
                : "The token is invalid or has expired. Log in again at /api/auth/login.";
            await Responses.MessageAsync(context, StatusCodes.Status401Unauthorized, message);
            return;
        }

        await next(context);
    }

    /// <summary><c>{"username", "password"}</c> → <c>{"Token": "…"}</c>.</summary>
    private static async Task LoginAsync(HttpContext context, SandboxRuntime runtime)
    {
        using var request = await Responses.ReadMessageRequestAsync(context);
        if (request is null)
        {
            return;
        }

        var username = request.String("username", required: true);
        var password = request.TryGet("password", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        if (string.IsNullOrEmpty(password))
        {
            request.AddProblem("password", "password is required.");
        }

        if (await Responses.RejectIfInvalidAsync(context, request))
        {
            return;
        }

        var options = runtime.Options;
        if (!string.Equals(username, options.SenarUsername, StringComparison.OrdinalIgnoreCase) || !Credentials.SecretEquals(password!, options.SenarPassword))
        {
            await Responses.MessageAsync(context, StatusCodes.Status401Unauthorized, "Invalid username or password");
            return;
        }

        await Responses.JsonAsync(context, new SenarLoginResponse(runtime.Senar.IssueToken()), SandboxJsonContext.Relaxed.SenarLoginResponse);
    }

    /// <summary>
    /// <c>{email, firstName, lastName, password, organization, collectionId}</c> → <c>{succeed, email, collectionId, isNewUser}</c>.
    /// Invalid fields: 400 <c>{"message"}</c>. A collection the account does not own: 200 with <c>succeed: false</c> and a message.
    /// </summary>
    private static async Task UserAssignAsync(HttpContext context, SandboxRuntime runtime)
    {
        using var request = await Responses.ReadMessageRequestAsync(context);
        if (request is null)
        {
            return;
        }

        var email = request.String("email", required: true);
        var firstName = request.String("firstName", required: true);
        var lastName = request.String("lastName", required: true);
        var organization = request.String("organization", required: true);
        var collectionId = request.Int("collectionId", required: true, 1, int.MaxValue);
        var password = request.TryGet("password", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        if (email is not null && !Symtrain.UserEndpoints.IsEmail(email))
        {
            request.AddProblem("email", $"email '{email}' is not a valid email address.");
        }

        if (string.IsNullOrEmpty(password))
        {
            request.AddProblem("password", "password is required.");
        }
        else if (!IsStrongPassword(password))
        {
            request.AddProblem("password", "password must be at least 6 characters long and contain letters and at least one number.");
        }

        if (await Responses.RejectIfInvalidAsync(context, request))
        {
            return;
        }

        if (runtime.Senar.FindCollection(collectionId!.Value) is null)
        {
            var refusal = new UserAssignResponse(
                false, email!, collectionId.Value, false, $"Collection {collectionId.Value} does not exist or is not owned by your account.");
            await Responses.JsonAsync(context, refusal, SandboxJsonContext.Relaxed.UserAssignResponse);
            return;
        }

        var (isNewUser, newUserJson) = runtime.Senar.Assign(email!, firstName!, lastName!, organization!, collectionId.Value);
        if (newUserJson is not null)
        {
            _ = runtime.Webhooks.DeliverAsync("user", newUserJson); // Tracked by the dispatcher; the caller is not kept waiting.
        }

        await Responses.JsonAsync(context, new UserAssignResponse(true, email!, collectionId.Value, isNewUser), SandboxJsonContext.Relaxed.UserAssignResponse);
    }

    /// <summary>The bare array of every user, streamed.</summary>
    private static async Task UsersAsync(HttpContext context, SandboxRuntime runtime)
    {
        var users = runtime.Senar.UsersSnapshot();
        await using var stream = new JsonStreamWriter(context);
        stream.Writer.WriteStartArray();
        foreach (var user in users)
        {
            stream.Writer.WriteRawValue(user, skipInputValidation: true);
            await stream.FlushIfNeededAsync();
        }

        stream.Writer.WriteEndArray();
        await stream.CompleteAsync();
    }

    /// <summary>The bare array of every activity (seeded ones generated on the fly, then added ones), streamed.</summary>
    private static async Task ActivitiesAsync(HttpContext context, SandboxRuntime runtime)
    {
        var added = runtime.Senar.AddedActivitiesSnapshot();
        var generator = runtime.Activities;
        var typeInfo = SandboxJsonContext.Relaxed.SenarActivity;
        await using var stream = new JsonStreamWriter(context);
        var writer = stream.Writer;
        writer.WriteStartArray();
        for (var i = 0; i < generator.Count; i++)
        {
            JsonSerializer.Serialize(writer, generator.Create(i), typeInfo);
            await stream.FlushIfNeededAsync();
        }

        foreach (var activity in added)
        {
            writer.WriteRawValue(activity, skipInputValidation: true);
            await stream.FlushIfNeededAsync();
        }

        writer.WriteEndArray();
        await stream.CompleteAsync();
    }

    /// <summary><c>{hookUrl, method: "activity"|"user", provider: "zapier"}</c> → <c>{"id"}</c>.</summary>
    private static async Task WebhookRegisterAsync(HttpContext context, SandboxRuntime runtime)
    {
        using var request = await Responses.ReadMessageRequestAsync(context);
        if (request is null)
        {
            return;
        }

        var hookUrl = request.String("hookUrl", required: true);
        var method = request.String("method", required: true);
        var provider = request.String("provider", required: false) ?? "zapier";
        if (hookUrl is not null
            && !(Uri.TryCreate(hookUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
        {
            request.AddProblem("hookUrl", "hookUrl must be an absolute http or https URL.");
        }

        if (method is not null && method is not ("activity" or "user"))
        {
            request.AddProblem("method", $"method must be \"activity\" or \"user\" (was \"{method}\").");
        }

        if (await Responses.RejectIfInvalidAsync(context, request))
        {
            return;
        }

        var hook = runtime.Senar.RegisterWebhook(hookUrl!, method!, provider);
        await Responses.JsonAsync(context, new WebhookRegisterResponse(hook.Id), SandboxJsonContext.Relaxed.WebhookRegisterResponse);
    }

    /// <summary>Senar's rule: at least 6 characters, letters and at least one digit.</summary>
    public static bool IsStrongPassword(string password) =>
        password.Length >= 6 && password.Any(char.IsLetter) && password.Any(char.IsDigit);
}
