namespace Senar.Client.Activities;

/// <summary>Senar activities: <c>GET /integration/data/activities</c>.</summary>
/// <remarks>
/// Senar documents no paging or filters: every call returns every activity of the account, so the list can be large.
/// Prefer <see cref="StreamAsync"/>, whose memory stays flat however many activities there are.
/// </remarks>
public interface ISenarActivitiesClient
{
    /// <summary>
    /// Returns every activity, read into memory at once (up to <c>MaxResponseBufferSize</c>, default 64 MiB; a larger
    /// response fails: use <see cref="StreamAsync"/>).
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="TrainingApis.Core.ApiException">The call failed (see the subtypes).</exception>
    Task<IReadOnlyList<SenarActivity>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Yields every activity as the response arrives, reading the JSON array incrementally: one activity in memory at
    /// a time, no size limit.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call and the enumeration.</param>
    /// <exception cref="TrainingApis.Core.ApiException">The call failed, or the body is not a JSON array of activities.</exception>
    IAsyncEnumerable<SenarActivity> StreamAsync(CancellationToken cancellationToken = default);
}
