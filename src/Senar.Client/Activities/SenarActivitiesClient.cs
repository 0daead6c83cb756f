using Senar.Client.Http;
using Senar.Client.Json;
using TrainingApis.Core.Http;

namespace Senar.Client.Activities;

/// <summary>The <see cref="ISenarActivitiesClient"/> of a <see cref="SenarClient"/>.</summary>
internal sealed class SenarActivitiesClient(ApiConnection connection) : ISenarActivitiesClient
{
    public const string ListPath = "integration/data/activities";

    public Task<IReadOnlyList<SenarActivity>> ListAsync(CancellationToken cancellationToken = default) =>
        SenarLists.ListAsync(connection, ListPath, "Activities.List", SenarJsonContext.Default.ListSenarActivity, cancellationToken);

    public IAsyncEnumerable<SenarActivity> StreamAsync(CancellationToken cancellationToken = default) =>
        SenarLists.StreamAsync(connection, ListPath, "Activities.Stream", SenarJsonContext.Default.SenarActivity, cancellationToken);
}
