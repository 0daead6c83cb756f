using TrainingApis.Sandbox.Data;
using TrainingApis.Sandbox.Http;
using TrainingApis.Sandbox.Json;

namespace TrainingApis.Sandbox.Symtrain;

/// <summary>The four <c>/v2/access-api/simulation/…</c> endpoints.</summary>
internal static class AccessEndpoints
{
    public const int DefaultLibraryPageSize = 50;
    public const int MaxLibraryPageSize = 500;

    /// <summary>Form 1 <c>{organizationId, userId, simulationId}</c> or form 2 <c>{organizationId, userId, tags, mustIncludeAllTags?}</c>.</summary>
    public static async Task DeepLinksAsync(HttpContext context, SandboxRuntime runtime)
    {
        using var request = await SymtrainEndpoints.ReadAsync(context);
        if (request is null)
        {
            return;
        }

        var organizationId = request.String("organizationId", required: true);
        var userId = request.String("userId", required: true);
        var simulationId = request.String("simulationId", required: false);
        var tags = request.StringArray("tags");
        var mustIncludeAll = request.Bool("mustIncludeAllTags", required: false) ?? false;
        if (simulationId is null && !request.Has("tags"))
        {
            request.AddProblem("simulationId", "simulationId or tags is required.");
        }
        else if (simulationId is null && tags is { Count: 0 })
        {
            request.AddProblem("tags", "tags must contain at least one tag.");
        }

        if (await SymtrainEndpoints.RejectIfInvalidAsync(context, request)
            || !await SymtrainEndpoints.CheckOrganizationAsync(context, runtime, organizationId!)
            || await SymtrainEndpoints.FindUserAsync(context, runtime, organizationId!, userId!) is not { } user)
        {
            return;
        }

        IReadOnlyList<SymtrainSimulation> simulations;
        if (simulationId is not null)
        {
            if (await SymtrainEndpoints.FindSimulationAsync(context, runtime, simulationId) is not { } simulation)
            {
                return;
            }

            simulations = [simulation];
        }
        else
        {
            simulations = runtime.Symtrain.Seed.Simulations.Where(s => MatchesTags(s, tags!, mustIncludeAll)).ToArray();
        }

        var items = simulations
            .Select(s => new DeepLinkItem(s.SimulationId, s.Name, SymtrainEndpoints.DeepLink(runtime, runtime.Symtrain.Seed.OrganizationId, user.Username, s), s.Tags))
            .ToArray();
        await Responses.JsonAsync(context, new DeepLinksResponse(items), SandboxJsonContext.Relaxed.DeepLinksResponse);
    }

    /// <summary><c>{organizationId, userId, simulationId}</c> → <c>{"executions": [...]}</c>, complete and incomplete attempts.</summary>
    public static async Task CompletionDataAsync(HttpContext context, SandboxRuntime runtime)
    {
        using var request = await SymtrainEndpoints.ReadAsync(context);
        if (request is null)
        {
            return;
        }

        var organizationId = request.String("organizationId", required: true);
        var userId = request.String("userId", required: true);
        var simulationId = request.String("simulationId", required: true);
        if (await SymtrainEndpoints.RejectIfInvalidAsync(context, request)
            || !await SymtrainEndpoints.CheckOrganizationAsync(context, runtime, organizationId!)
            || await SymtrainEndpoints.FindUserAsync(context, runtime, organizationId!, userId!) is not { } user
            || await SymtrainEndpoints.FindSimulationAsync(context, runtime, simulationId!) is not { } simulation)
        {
            return;
        }

        var executions = user.Seeded is { } trainee ? ExecutionGenerator.For(runtime.Options.Seed, trainee, simulation) : [];
        await Responses.JsonAsync(context, new CompletionDataResponse(executions), SandboxJsonContext.Relaxed.CompletionDataResponse);
    }

    /// <summary><c>{organizationId, userId, tags?, searchTerm?, page?, pageSize?}</c> → a 1-based page of the library.</summary>
    public static async Task LibraryAsync(HttpContext context, SandboxRuntime runtime)
    {
        using var request = await SymtrainEndpoints.ReadAsync(context);
        if (request is null)
        {
            return;
        }

        var organizationId = request.String("organizationId", required: true);
        var userId = request.String("userId", required: true);
        var tags = request.StringArray("tags");
        var searchTerm = request.String("searchTerm", required: false);
        var page = request.Int("page", required: false, 1, int.MaxValue) ?? 1;
        var pageSize = request.Int("pageSize", required: false, 1, MaxLibraryPageSize) ?? DefaultLibraryPageSize;
        if (await SymtrainEndpoints.RejectIfInvalidAsync(context, request)
            || !await SymtrainEndpoints.CheckOrganizationAsync(context, runtime, organizationId!)
            || await SymtrainEndpoints.FindUserAsync(context, runtime, organizationId!, userId!) is null)
        {
            return;
        }

        var matches = runtime.Symtrain.Seed.Simulations
            .Where(s => tags is not { Count: > 0 } || MatchesTags(s, tags, mustIncludeAll: false))
            .Where(s => searchTerm is null
                || s.Name.Contains(searchTerm, StringComparison.OrdinalIgnoreCase)
                || s.Description.Contains(searchTerm, StringComparison.OrdinalIgnoreCase))
            .ToArray();
        var items = matches
            .Skip((int)Math.Min(int.MaxValue, (long)(page - 1) * pageSize))
            .Take(pageSize)
            .Select(s => new LibraryItem(s.SimulationId, s.Name, s.Description, s.Tags, s.DurationMinutes))
            .ToArray();
        await Responses.JsonAsync(context, new LibraryResponse(page, pageSize, matches.Length, items), SandboxJsonContext.Relaxed.LibraryResponse);
    }

    /// <summary><c>{organizationId, userId, simulationId, assign}</c> → the simulation with its link, or <c>{"success": true}</c>.</summary>
    public static async Task AssignmentAsync(HttpContext context, SandboxRuntime runtime)
    {
        using var request = await SymtrainEndpoints.ReadAsync(context);
        if (request is null)
        {
            return;
        }

        var organizationId = request.String("organizationId", required: true);
        var userId = request.String("userId", required: true);
        var simulationId = request.String("simulationId", required: true);
        var assign = request.Bool("assign", required: true);
        if (await SymtrainEndpoints.RejectIfInvalidAsync(context, request)
            || !await SymtrainEndpoints.CheckOrganizationAsync(context, runtime, organizationId!)
            || await SymtrainEndpoints.FindUserAsync(context, runtime, organizationId!, userId!) is not { } user
            || await SymtrainEndpoints.FindSimulationAsync(context, runtime, simulationId!) is not { } simulation)
        {
            return;
        }

        runtime.Symtrain.Assign(user.Username, simulation.SimulationId, assign!.Value);
        if (assign.Value)
        {
            var link = SymtrainEndpoints.DeepLink(runtime, runtime.Symtrain.Seed.OrganizationId, user.Username, simulation);
            await Responses.JsonAsync(context, new AssignResponse(simulation.SimulationId, simulation.Name, link, true), SandboxJsonContext.Relaxed.AssignResponse);
        }
        else
        {
            await Responses.JsonAsync(context, new SuccessResponse(true), SandboxJsonContext.Relaxed.SuccessResponse);
        }
    }

    private static bool MatchesTags(SymtrainSimulation simulation, IReadOnlyList<string> tags, bool mustIncludeAll)
    {
        bool Has(string tag) => simulation.Tags.Contains(tag, StringComparer.OrdinalIgnoreCase);
        return mustIncludeAll ? tags.All(Has) : tags.Any(Has);
    }
}
