using TrainingApis.Core;

namespace Symtrain.Client.Access;

/// <summary>
/// Simulation access (<c>POST /v2/access-api/simulation/…</c>): deep links, completion data, the library and
/// assignments. <c>userId</c> is the user's username. Identifiers must be non-empty and free of line breaks and other
/// control characters; they are checked before anything is sent.
/// </summary>
public interface ISymtrainAccessClient
{
    /// <summary>The deep link of one simulation for a user (<c>deep-links</c>, <c>simulationId</c> form).</summary>
    /// <param name="organizationId">The organization's id.</param>
    /// <param name="userId">The user's username.</param>
    /// <param name="simulationId">The simulation's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">An identifier is empty or holds control characters.</exception>
    /// <exception cref="ApiException">The call failed or the answer held no deep link.</exception>
    Task<SimulationDeepLink> CreateDeepLinkAsync(string organizationId, string userId, string simulationId, CancellationToken cancellationToken = default);

    /// <summary>The deep links of every simulation carrying the requested tags (<c>deep-links</c>, <c>tags</c> form).</summary>
    /// <param name="request">The user and the tags.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">The request is incomplete; every problem is named.</exception>
    /// <exception cref="ApiException">The call failed.</exception>
    Task<IReadOnlyList<SimulationDeepLink>> CreateDeepLinksAsync(DeepLinkRequest request, CancellationToken cancellationToken = default);

    /// <summary>Every attempt of a user at a simulation: started, interrupted and completed (<c>completion-data</c>).</summary>
    /// <param name="organizationId">The organization's id.</param>
    /// <param name="userId">The user's username.</param>
    /// <param name="simulationId">The simulation's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">An identifier is empty or holds control characters.</exception>
    /// <exception cref="ApiException">The call failed.</exception>
    Task<IReadOnlyList<SimulationExecution>> GetCompletionDataAsync(string organizationId, string userId, string simulationId, CancellationToken cancellationToken = default);

    /// <summary>One page of the simulation library (<c>library</c>); only the query's set fields are sent.</summary>
    /// <param name="query">The user, filters and page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">The query is incomplete or invalid; every problem is named.</exception>
    /// <exception cref="ApiException">The call failed.</exception>
    Task<LibraryPage> GetLibraryPageAsync(LibraryQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every simulation of the library matching the query, page after page (from <see cref="LibraryQuery.Page"/>, default 1,
    /// with <see cref="LibraryQuery.PageSize"/>, default <see cref="SymtrainClientOptions.LibraryPageSize"/>) until a page is
    /// shorter than the page size. A server that ignores paging (answers another page, repeats a page, or never ends
    /// within <see cref="SymtrainClientOptions.MaxPages"/>) stops the listing with an <see cref="ApiException"/>. The query
    /// is checked when this method is called.
    /// </summary>
    /// <param name="query">The user and filters.</param>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    /// <exception cref="ArgumentException">The query is incomplete or invalid; every problem is named.</exception>
    IAsyncEnumerable<LibrarySimulation> ListLibraryAsync(LibraryQuery query, CancellationToken cancellationToken = default);

    /// <summary>Assigns a simulation to a user (<c>assignment</c> with <c>assign: true</c>) and returns it with its deep link.</summary>
    /// <param name="organizationId">The organization's id.</param>
    /// <param name="userId">The user's username.</param>
    /// <param name="simulationId">The simulation's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">An identifier is empty or holds control characters.</exception>
    /// <exception cref="ApiException">The call failed.</exception>
    Task<SimulationAssignment> AssignSimulationAsync(string organizationId, string userId, string simulationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes a simulation from a user (<c>assignment</c> with <c>assign: false</c>). An answer of
    /// <c>{"success": false}</c> throws <see cref="ApiValidationException"/> with the server's message.
    /// </summary>
    /// <param name="organizationId">The organization's id.</param>
    /// <param name="userId">The user's username.</param>
    /// <param name="simulationId">The simulation's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">An identifier is empty or holds control characters.</exception>
    /// <exception cref="ApiException">The call failed.</exception>
    Task UnassignSimulationAsync(string organizationId, string userId, string simulationId, CancellationToken cancellationToken = default);
}
