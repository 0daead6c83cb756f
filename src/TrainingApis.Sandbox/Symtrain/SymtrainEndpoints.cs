using System.Globalization;
using TrainingApis.Sandbox.Data;
using TrainingApis.Sandbox.Http;

namespace TrainingApis.Sandbox.Symtrain;

/// <summary>Maps the 15 Symtrain v2 endpoints (all POST) and enforces the API key and the quota on every <c>/v2/</c> path.</summary>
internal static class SymtrainEndpoints
{
    public const string PathPrefix = "/v2/";

    public static void Map(WebApplication app, SandboxRuntime runtime)
    {
        app.MapPost("/v2/report/{report}", (RequestDelegate)(context => ReportEndpoint.HandleAsync(context, runtime)));
        app.MapPost("/v2/access-api/simulation/deep-links", (RequestDelegate)(context => AccessEndpoints.DeepLinksAsync(context, runtime)));
        app.MapPost("/v2/access-api/simulation/completion-data", (RequestDelegate)(context => AccessEndpoints.CompletionDataAsync(context, runtime)));
        app.MapPost("/v2/access-api/simulation/library", (RequestDelegate)(context => AccessEndpoints.LibraryAsync(context, runtime)));
        app.MapPost("/v2/access-api/simulation/assignment", (RequestDelegate)(context => AccessEndpoints.AssignmentAsync(context, runtime)));
        app.MapPost("/v2/access-api/user/token", (RequestDelegate)(context => UserEndpoints.TokenAsync(context, runtime)));
        app.MapPost("/v2/access-api/user/create", (RequestDelegate)(context => UserEndpoints.CreateAsync(context, runtime)));
        app.MapPost("/v2/access-api/user/bulk-import", (RequestDelegate)(context => BulkImportEndpoint.UploadAsync(context, runtime)));
        app.MapPost("/v2/access-api/user/bulk-import/status", (RequestDelegate)(context => BulkImportEndpoint.StatusAsync(context, runtime)));
    }

    /// <summary>401 without the right key, 429 once the key's window is used up; otherwise on to the endpoint.</summary>
    public static async Task GateAsync(HttpContext context, RequestDelegate next, SandboxRuntime runtime)
    {
        if (string.IsNullOrWhiteSpace(context.Request.Headers.Authorization.ToString()))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await Responses.SymtrainErrorAsync(context, StatusCodes.Status401Unauthorized, "Missing API key: send 'Authorization: Bearer <API key>'.");
            return;
        }

        var key = Credentials.Bearer(context);
        if (key is null || !Credentials.SecretEquals(key, runtime.Options.SymtrainApiKey))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            await Responses.SymtrainErrorAsync(context, StatusCodes.Status401Unauthorized, "Invalid API key.");
            return;
        }

        if (runtime.Options.SymtrainQuotaEnabled && !runtime.Quota.TryAcquire(key, out var wait))
        {
            var seconds = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            var options = runtime.Options;
            await Responses.SymtrainErrorAsync(
                context,
                StatusCodes.Status429TooManyRequests,
                string.Create(CultureInfo.InvariantCulture, $"Too many requests: the limit is {options.SymtrainQuotaLimit} requests per {options.SymtrainQuotaWindow.TotalSeconds:0.###} seconds per API key. Retry after {seconds} seconds."));
            return;
        }

        await next(context);
    }

    /// <summary>Reads the JSON body, answering 400 itself when it is not a JSON object.</summary>
    public static async Task<JsonRequest?> ReadAsync(HttpContext context)
    {
        var (request, error) = await JsonRequest.ReadAsync(context);
        if (request is null)
        {
            await Responses.SymtrainErrorAsync(context, StatusCodes.Status400BadRequest, error!, [new SymtrainFieldError("body", error!)]);
        }

        return request;
    }

    /// <summary>Answers 400 when the request has problems; true when it did.</summary>
    public static async Task<bool> RejectIfInvalidAsync(HttpContext context, JsonRequest request)
    {
        if (!request.HasProblems)
        {
            return false;
        }

        await Responses.SymtrainValidationAsync(context, request.Problems);
        return true;
    }

    public static async Task<bool> CheckOrganizationAsync(HttpContext context, SandboxRuntime runtime, string organizationId)
    {
        if (string.Equals(organizationId, runtime.Symtrain.Seed.OrganizationId, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        await Responses.SymtrainErrorAsync(context, StatusCodes.Status404NotFound, $"Organization '{organizationId}' was not found.");
        return false;
    }

    public static async Task<SymtrainUserRecord?> FindUserAsync(HttpContext context, SandboxRuntime runtime, string organizationId, string userId)
    {
        var user = runtime.Symtrain.FindUser(userId);
        if (user is null)
        {
            await Responses.SymtrainErrorAsync(context, StatusCodes.Status404NotFound, $"User '{userId}' was not found in organization '{organizationId}'.");
        }

        return user;
    }

    public static async Task<SymtrainSimulation?> FindSimulationAsync(HttpContext context, SandboxRuntime runtime, string simulationId)
    {
        if (runtime.Symtrain.Seed.SimulationsById.TryGetValue(simulationId, out var simulation))
        {
            return simulation;
        }

        await Responses.SymtrainErrorAsync(context, StatusCodes.Status404NotFound, $"Simulation '{simulationId}' was not found.");
        return null;
    }

    /// <summary>A link that opens the simulation for the user; it points back at the sandbox (<c>/_sandbox/launch/…</c>).</summary>
    public static string DeepLink(SandboxRuntime runtime, string organizationId, string userId, SymtrainSimulation simulation) =>
        $"{runtime.BaseAddress}_sandbox/launch/{Uri.EscapeDataString(simulation.SimulationId)}?organizationId={Uri.EscapeDataString(organizationId)}&userId={Uri.EscapeDataString(userId)}";
}
