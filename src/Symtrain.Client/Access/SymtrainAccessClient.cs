using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Symtrain.Client.Internal;
using TrainingApis.Core;
using TrainingApis.Core.Http;

namespace Symtrain.Client.Access;

/// <summary>The access sub-client.</summary>
internal sealed class SymtrainAccessClient : ISymtrainAccessClient
{
    internal const string DeepLinksPath = "/v2/access-api/simulation/deep-links";
    internal const string CompletionDataPath = "/v2/access-api/simulation/completion-data";
    internal const string LibraryPath = "/v2/access-api/simulation/library";
    internal const string AssignmentPath = "/v2/access-api/simulation/assignment";

    private static readonly string[] DeepLinkLists = ["simulations", "deepLinks", "results", "data", "items"];
    private static readonly string[] ExecutionLists = ["executions", "completionData", "results", "data", "items"];
    private static readonly string[] LibraryLists = ["simulations", "results", "data", "items"];
    private static readonly string[] ExecutionFields = ["completedAt", "completionTime", "executionId", "startedAt"];

    private readonly SymtrainTransport _transport;

    public SymtrainAccessClient(SymtrainTransport transport)
    {
        _transport = transport;
    }

    public async Task<SimulationDeepLink> CreateDeepLinkAsync(string organizationId, string userId, string simulationId, CancellationToken cancellationToken = default)
    {
        Guard.Id(organizationId);
        Guard.Id(userId);
        Guard.Id(simulationId);
        var root = await _transport.PostAsync(
            DeepLinksPath, "Access.CreateDeepLink", new SimulationRequest(organizationId, userId, simulationId),
            SymtrainJsonContext.Default.SimulationRequest, SymtrainJsonContext.Default.JsonElement, cancellationToken).ConfigureAwait(false);
        var links = ReadDeepLinks(root);
        if (links.Count == 0)
        {
            throw _transport.InvalidResponse(DeepLinksPath, "a deep link (the answer held none)", null);
        }

        return links.FirstOrDefault(l => l.SimulationId == simulationId) ?? links[0];
    }

    public async Task<IReadOnlyList<SimulationDeepLink>> CreateDeepLinksAsync(DeepLinkRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new List<string>();
        AddIdProblem(problems, "request.OrganizationId", request.OrganizationId);
        AddIdProblem(problems, "request.UserId", request.UserId);
        AddTagProblems(problems, "request.Tags", request.Tags, required: true);
        Guard.ThrowIfAny(problems, nameof(request));
        var root = await _transport.PostAsync(
            DeepLinksPath, "Access.CreateDeepLinks", request,
            SymtrainJsonContext.Default.DeepLinkRequest, SymtrainJsonContext.Default.JsonElement, cancellationToken).ConfigureAwait(false);
        return ReadDeepLinks(root);
    }

    public async Task<IReadOnlyList<SimulationExecution>> GetCompletionDataAsync(string organizationId, string userId, string simulationId, CancellationToken cancellationToken = default)
    {
        Guard.Id(organizationId);
        Guard.Id(userId);
        Guard.Id(simulationId);
        var root = await _transport.PostAsync(
            CompletionDataPath, "Access.GetCompletionData", new SimulationRequest(organizationId, userId, simulationId),
            SymtrainJsonContext.Default.SimulationRequest, SymtrainJsonContext.Default.JsonElement, cancellationToken).ConfigureAwait(false);
        var single = root.ValueKind == JsonValueKind.Object && ExecutionFields.Any(f => JsonShapes.TryGetProperty(root, f, out _));
        return [.. JsonShapes.FindItems(root, ExecutionLists, single)
            .Select((e, i) => _transport.Read(e, SymtrainJsonContext.Default.SimulationExecution, CompletionDataPath, i + 1))];
    }

    public async Task<LibraryPage> GetLibraryPageAsync(LibraryQuery query, CancellationToken cancellationToken = default)
    {
        CheckQuery(query);
        return (await GetPageAsync(null, query, "Access.GetLibraryPage", cancellationToken).ConfigureAwait(false)).Page;
    }

    public IAsyncEnumerable<LibrarySimulation> ListLibraryAsync(LibraryQuery query, CancellationToken cancellationToken = default)
    {
        CheckQuery(query);
        var first = query with
        {
            Page = query.Page ?? 1,
            PageSize = query.PageSize ?? _transport.Options.LibraryPageSize,
        };
        return OperationSpan.TraceAsync("Access.ListLibrary", span => ListCoreAsync(span, first, cancellationToken), cancellationToken);
    }

    public async Task<SimulationAssignment> AssignSimulationAsync(string organizationId, string userId, string simulationId, CancellationToken cancellationToken = default)
    {
        Guard.Id(organizationId);
        Guard.Id(userId);
        Guard.Id(simulationId);
        var root = await _transport.PostAsync(
            AssignmentPath, "Access.AssignSimulation", new AssignmentRequest(organizationId, userId, simulationId, Assign: true),
            SymtrainJsonContext.Default.AssignmentRequest, SymtrainJsonContext.Default.JsonElement, cancellationToken).ConfigureAwait(false);

        // The simulation may come as the root object or nested under "simulation"/"data".
        var item = root;
        foreach (var name in (string[])["simulation", "assignment", "data"])
        {
            if (JsonShapes.TryGetProperty(root, name, out var nested) && nested.ValueKind == JsonValueKind.Object)
            {
                item = nested;
                break;
            }
        }

        return _transport.Read(item, SymtrainJsonContext.Default.SimulationAssignment, AssignmentPath);
    }

    public async Task UnassignSimulationAsync(string organizationId, string userId, string simulationId, CancellationToken cancellationToken = default)
    {
        Guard.Id(organizationId);
        Guard.Id(userId);
        Guard.Id(simulationId);
        var root = await _transport.PostForOptionalJsonAsync(
            AssignmentPath, "Access.UnassignSimulation", new AssignmentRequest(organizationId, userId, simulationId, Assign: false),
            SymtrainJsonContext.Default.AssignmentRequest, cancellationToken).ConfigureAwait(false);
        if (root is { ValueKind: JsonValueKind.Object } answer
            && JsonShapes.TryGetProperty(answer, "success", out var success)
            && success.ValueKind == JsonValueKind.False)
        {
            // The server's words are masked like any error body: a server echoing the API key must not leak it.
            var secrets = _transport.Secrets().ToArray();
            var message = JsonShapes.TryGetProperty(answer, "message", out var text) && text.ValueKind == JsonValueKind.String
                ? ApiErrorMapper.Shorten(SecretMasker.Mask(text.GetString() ?? string.Empty, secrets))
                : null;
            var details = new ApiErrorDetails
            {
                StatusCode = HttpStatusCode.OK,
                Method = "POST",
                RequestUri = _transport.Resolve(AssignmentPath),
                ResponseBody = ApiErrorMapper.Truncate(SecretMasker.Mask(answer.GetRawText(), secrets)),
            };
            throw new ApiValidationException(
                $"Symtrain POST {AssignmentPath} answered that the simulation was not unassigned{(message is null ? "." : $": {message}")}",
                details,
                message is null ? [] : [new ApiFieldError(null, message)]);
        }
    }

    private IReadOnlyList<SimulationDeepLink> ReadDeepLinks(JsonElement root) =>
        [.. JsonShapes.FindItems(root, DeepLinkLists, singleObject: true)
            .Select((e, i) => _transport.Read(e, SymtrainJsonContext.Default.SimulationDeepLink, DeepLinksPath, i + 1))];

    private async IAsyncEnumerable<LibrarySimulation> ListCoreAsync(OperationSpan span, LibraryQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var maxPages = _transport.Options.MaxPages;
        var page = query.Page!.Value;
        var pageSize = query.PageSize!.Value;
        string? previous = null;
        long delivered = 0;
        for (var pages = 1; ; pages++)
        {
            if (pages > maxPages)
            {
                throw _transport.PagingFailure(LibraryPath, $"the library listing did not end within {maxPages} pages (SymtrainClientOptions.MaxPages); the server seems to ignore paging.");
            }

            var (result, fingerprint) = await GetPageAsync(span, query with { Page = page, PageSize = pageSize }, "Access.ListLibrary", cancellationToken).ConfigureAwait(false);
            if (result.Page is { } answered && answered != page)
            {
                throw _transport.PagingFailure(LibraryPath, $"asked for library page {page}, the server answered page {answered}; it seems to ignore paging.");
            }

            if (result.Simulations.Count > 0 && fingerprint == previous)
            {
                throw _transport.PagingFailure(LibraryPath, $"asked for library page {page}, the server answered the previous page again; it seems to ignore paging.");
            }

            foreach (var simulation in result.Simulations)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return simulation;
            }

            delivered += result.Simulations.Count;
            var size = result.PageSize is > 0 ? result.PageSize.Value : pageSize;
            if (result.Simulations.Count < size || (result.Total is { } total && delivered >= total))
            {
                yield break;
            }

            previous = fingerprint;
            page++;
        }
    }

    private async Task<(LibraryPage Page, string Fingerprint)> GetPageAsync(OperationSpan? span, LibraryQuery query, string operation, CancellationToken cancellationToken)
    {
        var root = await _transport.PostAsync(
            span, LibraryPath, operation, query,
            SymtrainJsonContext.Default.LibraryQuery, SymtrainJsonContext.Default.JsonElement, cancellationToken).ConfigureAwait(false);
        var items = JsonShapes.FindItems(root, LibraryLists, singleObject: false);
        var simulations = items.Select((e, i) => _transport.Read(e, SymtrainJsonContext.Default.LibrarySimulation, LibraryPath, i + 1)).ToList();
        Dictionary<string, JsonElement>? extra = null;
        if (root.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in root.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Array
                    || property.NameEquals("page") || property.NameEquals("pageSize") || property.NameEquals("total"))
                {
                    continue;
                }

                (extra ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal))[property.Name] = property.Value.Clone();
            }
        }

        var page = new LibraryPage
        {
            Page = JsonShapes.GetInt64(root, "page"),
            PageSize = JsonShapes.GetInt64(root, "pageSize"),
            Total = JsonShapes.GetInt64(root, "total") ?? JsonShapes.GetInt64(root, "totalCount"),
            Simulations = simulations,
            AdditionalProperties = extra,
        };
        return (page, string.Join("\n", items.Select(i => i.GetRawText())));
    }

    private static void CheckQuery(LibraryQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var problems = new List<string>();
        AddIdProblem(problems, "query.OrganizationId", query.OrganizationId);
        AddIdProblem(problems, "query.UserId", query.UserId);
        AddTagProblems(problems, "query.Tags", query.Tags, required: false);
        if (query.SearchTerm is { } term && TextRules.DamagedTextProblem(term) is { } termProblem)
        {
            problems.Add($"query.SearchTerm {termProblem}");
        }

        if (query.Page is < 1)
        {
            problems.Add($"query.Page must be 1 or more; pages are 1-based (was {query.Page}).");
        }

        if (query.PageSize is < 1)
        {
            problems.Add($"query.PageSize must be positive (was {query.PageSize}).");
        }

        Guard.ThrowIfAny(problems, nameof(query));
    }

    private static void AddIdProblem(List<string> problems, string name, string? value)
    {
        if (Guard.IdProblem(value) is { } problem)
        {
            problems.Add($"{name} {problem}");
        }
    }

    private static void AddTagProblems(List<string> problems, string name, IReadOnlyList<string>? tags, bool required)
    {
        if (tags is null)
        {
            if (required)
            {
                problems.Add($"{name} is required: give at least one tag.");
            }

            return;
        }

        if (required && tags.Count == 0)
        {
            problems.Add($"{name} must contain at least one tag.");
        }

        for (var i = 0; i < tags.Count; i++)
        {
            if (Guard.IdProblem(tags[i]) is { } problem)
            {
                problems.Add($"{name}[{i}] {problem}");
            }
        }
    }
}
