using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bogus;
using TrainingApis.Sandbox.Data;
using TrainingApis.Sandbox.Http;
using TrainingApis.Sandbox.Json;
using TrainingApis.Sandbox.Senar;

namespace TrainingApis.Sandbox.Control;

/// <summary>
/// The sandbox's own endpoints under <c>/_sandbox</c> (no authentication, no quota): information, adding Senar users and
/// activities (which fires the webhooks), inspecting state, scripting faults, and the target of deep links. They answer
/// only requests addressed to a loopback <c>Host</c> (and from a loopback <c>Origin</c>, when one is sent), and a POST
/// only with <c>Content-Type: application/json</c>, so that a web page open in the developer's browser cannot drive them:
/// a page can send a <c>text/plain</c> POST to any address without asking, but not a JSON one, and a page reached through
/// a rebound DNS name sends that name as its <c>Host</c>.
/// </summary>
internal static class ControlEndpoints
{
    public const string PathPrefix = "/_sandbox";

    /// <summary>
    /// Answers 403 for a request, to any endpoint, not addressed to a loopback host: the sandbox listens only on
    /// 127.0.0.1, so another <c>Host</c> means a page reached through a rebound DNS name, which could otherwise log in
    /// with the published sandbox credentials and make the sandbox post webhooks to addresses of the developer's network.
    /// </summary>
    public static Task LoopbackHostGateAsync(HttpContext context, RequestDelegate next) =>
        IsLoopbackHost(context.Request.Host.Host)
            ? next(context)
            : Responses.MessageAsync(
                context,
                StatusCodes.Status403Forbidden,
                "The sandbox answers only requests addressed to a loopback host (localhost, 127.0.0.1 or [::1]).");

    /// <summary>Answers 403 for a request sent from a page of a host that is not loopback, 415 for a POST whose body is not UTF-8 JSON (the Host is checked for every endpoint by <see cref="LoopbackHostGateAsync"/>).</summary>
    public static async Task GateAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (request.Headers.Origin is { Count: > 0 } origin
            && !(Uri.TryCreate(origin.ToString(), UriKind.Absolute, out var originUri) && IsLoopbackHost(originUri.Host)))
        {
            await Responses.MessageAsync(context, StatusCodes.Status403Forbidden, "The sandbox's control endpoints answer only pages served from a loopback host.");
            return;
        }

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsDelete(request.Method)
            && !IsUtf8Json(request.ContentType))
        {
            await Responses.MessageAsync(
                context,
                StatusCodes.Status415UnsupportedMediaType,
                $"A {request.Method} to the sandbox's control endpoints needs 'Content-Type: application/json' (UTF-8: no other charset; an empty object '{{}}' when there is nothing to set).");
            return;
        }

        await next(context);
    }

    /// <summary>Whether <paramref name="contentType"/> is <c>application/json</c> without a charset or with UTF-8, the only encoding the body is read in.</summary>
    private static bool IsUtf8Json(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var type)
        && string.Equals(type.MediaType, "application/json", StringComparison.OrdinalIgnoreCase)
        && (type.CharSet is null || string.Equals(type.CharSet.Trim('"'), "utf-8", StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether <paramref name="host"/> (a Host or Origin host, IPv6 in brackets or not) is localhost or a loopback address.</summary>
    internal static bool IsLoopbackHost(string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return false;
        }

        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var address = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;

        // An IP literal in any notation a browser also reads ("127.1", "2130706433"); a name other than localhost never
        // counts, since whoever controls its DNS can point it at this machine.
        return IPAddress.TryParse(address, out var ip)
            && IPAddress.IsLoopback(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip);
    }

    public static void Map(WebApplication app, SandboxRuntime runtime)
    {
        var context = SandboxJsonContext.Relaxed;
        app.MapGet("/_sandbox", (RequestDelegate)(c => Responses.JsonAsync(c, Info(runtime), context.SandboxInfo)));
        app.MapPost("/_sandbox/senar/activities", (RequestDelegate)(c => AddActivityAsync(c, runtime)));
        app.MapPost("/_sandbox/senar/users", (RequestDelegate)(c => AddUserAsync(c, runtime)));
        app.MapGet("/_sandbox/senar/webhooks", (RequestDelegate)(c => Responses.JsonAsync(c, runtime.Senar.Webhooks(), context.IReadOnlyListWebhookInfo)));
        app.MapGet("/_sandbox/senar/deliveries", (RequestDelegate)(c => Responses.JsonAsync(c, runtime.Senar.Deliveries(), context.IReadOnlyListWebhookDelivery)));
        app.MapGet("/_sandbox/symtrain/assignments", (RequestDelegate)(c => Responses.JsonAsync(c, runtime.Symtrain.Assignments(), context.IReadOnlyListAssignmentInfo)));
        app.MapGet("/_sandbox/faults", (RequestDelegate)(c => Responses.JsonAsync(c, runtime.Faults.List(), context.IReadOnlyListFaultInfo)));
        app.MapPost("/_sandbox/faults", (RequestDelegate)(c => AddFaultAsync(c, runtime)));
        app.MapDelete("/_sandbox/faults", (RequestDelegate)(c =>
        {
            runtime.Faults.Clear();
            c.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }));
        app.MapGet("/_sandbox/launch/{simulationId}", (RequestDelegate)(c => LaunchAsync(c, runtime)));
    }

    public static SandboxInfo Info(SandboxRuntime runtime)
    {
        var options = runtime.Options;
        var seed = runtime.Symtrain.Seed;
        return new SandboxInfo(
            "TrainingApis.Sandbox",
            runtime.BaseAddress.ToString(),
            seed.OrganizationId,
            seed.FeaturedTrainee.Username,
            seed.FeaturedSimulation.SimulationId,
            seed.FeaturedSimulation.Tags[0],
            runtime.Senar.Seed.Collections[0].CollectionId,
            options.SenarActivityCount,
            options.SymtrainQuotaLimit,
            options.SymtrainQuotaWindow.TotalSeconds,
            runtime.Time.GetUtcNow().UtcDateTime);
    }

    /// <summary>Adds an activity (the body's fields over a generated one; the id is the sandbox's) and delivers it to the activity hooks.</summary>
    private static async Task AddActivityAsync(HttpContext context, SandboxRuntime runtime)
    {
        using var request = await Responses.ReadMessageRequestAsync(context);
        if (request is null)
        {
            return;
        }

        var senar = runtime.Senar;
        var now = SenarSeed.Format(runtime.Time.GetUtcNow().UtcDateTime, SenarSeed.DateTimeFormat6);
        byte[] json = [];
        senar.AddActivity(id =>
        {
            var generated = runtime.Activities.Create((int)(id - ActivityGenerator.FirstId)) with { Id = id, TrainingDate = now };
            var node = JsonSerializer.SerializeToNode(generated, SandboxJsonContext.Relaxed.SenarActivity)!.AsObject();
            Overlay(node, request);
            node["id"] = id;
            json = ToBytes(node);
            return json;
        });

        var deliveries = await runtime.Webhooks.DeliverAsync("activity", json);
        using var document = JsonDocument.Parse(json);
        await Responses.JsonAsync(
            context,
            new AddedActivityResponse(document.RootElement.Clone(), deliveries),
            SandboxJsonContext.Relaxed.AddedActivityResponse,
            StatusCodes.Status201Created);
    }

    /// <summary>Adds a user (the body's fields over a generated one) and delivers it to the user hooks.</summary>
    private static async Task AddUserAsync(HttpContext context, SandboxRuntime runtime)
    {
        using var request = await Responses.ReadMessageRequestAsync(context);
        if (request is null)
        {
            return;
        }

        var senar = runtime.Senar;
        var owner = senar.Seed.Owner;
        var number = senar.UserCount;
        var faker = new Faker("en") { Random = new Randomizer(unchecked((runtime.Options.Seed * 397) ^ number)) };
        var first = faker.Name.FirstName();
        var last = faker.Name.LastName();
        var generated = new SenarUser(
            SenarSeed.NewGuid(faker),
            first,
            last,
            $"{SymtrainSeed.Slug(first)}.{SymtrainSeed.Slug(last)}.{number}@{senar.Seed.UserDomain}",
            "en",
            owner.AccountName,
            "USA",
            senar.NowText,
            "Trainee");
        var node = JsonSerializer.SerializeToNode(generated, SandboxJsonContext.Relaxed.SenarUser)!.AsObject();
        Overlay(node, request);
        var email = node["email"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        if (email is null || !Symtrain.UserEndpoints.IsEmail(email))
        {
            await Responses.MessageAsync(context, StatusCodes.Status400BadRequest, "email must be a valid email address.");
            return;
        }

        var json = ToBytes(node);
        if (!senar.TryAddUser(email, json))
        {
            await Responses.MessageAsync(context, StatusCodes.Status409Conflict, $"A user with email {email} already exists.");
            return;
        }

        var deliveries = await runtime.Webhooks.DeliverAsync("user", json);
        using var document = JsonDocument.Parse(json);
        await Responses.JsonAsync(
            context,
            new AddedUserResponse(document.RootElement.Clone(), deliveries),
            SandboxJsonContext.Relaxed.AddedUserResponse,
            StatusCodes.Status201Created);
    }

    /// <summary><c>{"path", "statusCode", "count"?, "method"?, "retryAfterSeconds"?, "abort"?}</c> → the fault, 201.</summary>
    private static async Task AddFaultAsync(HttpContext context, SandboxRuntime runtime)
    {
        using var request = await Responses.ReadMessageRequestAsync(context);
        if (request is null)
        {
            return;
        }

        var path = request.String("path", required: true);
        var abort = request.Bool("abort", required: false) ?? false;
        var statusCode = request.Int("statusCode", required: !abort, 400, 599) ?? 500;
        var count = request.Int("count", required: false, 1, int.MaxValue) ?? 1;
        var method = request.String("method", required: false);
        var retryAfter = request.Int("retryAfterSeconds", required: false, 0, 86_400);
        if (path is not null && !path.StartsWith('/'))
        {
            request.AddProblem("path", "path must start with '/'.");
        }

        if (await Responses.RejectIfInvalidAsync(context, request))
        {
            return;
        }

        var fault = runtime.Faults.Add(path!, method, statusCode, count, retryAfter, abort);
        await Responses.JsonAsync(context, fault, SandboxJsonContext.Relaxed.FaultInfo, StatusCodes.Status201Created);
    }

    /// <summary>Where deep links lead: tells which simulation and user the link opens, and whether its token is valid.</summary>
    private static async Task LaunchAsync(HttpContext context, SandboxRuntime runtime)
    {
        var simulationId = context.Request.RouteValues["simulationId"] as string ?? string.Empty;
        if (!runtime.Symtrain.Seed.SimulationsById.TryGetValue(simulationId, out var simulation))
        {
            await Responses.SymtrainErrorAsync(context, StatusCodes.Status404NotFound, $"Simulation '{simulationId}' was not found.");
            return;
        }

        var query = context.Request.Query;
        var userId = query["userId"].ToString();
        var token = query["token"].ToString();
        var valid = token.Length > 0 && runtime.Symtrain.IsTokenValid(token, userId);
        var response = new LaunchResponse(simulation.SimulationId, simulation.Name, query["organizationId"].ToString(), userId, token.Length > 0, valid);
        await Responses.JsonAsync(context, response, SandboxJsonContext.Relaxed.LaunchResponse);
    }

    /// <summary>Copies the request's properties over <paramref name="target"/> (a property of another case replaces the generated one).</summary>
    private static void Overlay(JsonObject target, JsonRequest request)
    {
        if (request.IsEmpty)
        {
            return;
        }

        foreach (var property in request.Root.EnumerateObject())
        {
            var name = target.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, property.Name, StringComparison.OrdinalIgnoreCase)) ?? property.Name;
            target[name] = JsonNode.Parse(property.Value.GetRawText());
        }
    }

    private static byte[] ToBytes(JsonNode node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, SandboxJsonContext.WriterOptions))
        {
            node.WriteTo(writer);
        }

        return buffer.ToArray();
    }
}
