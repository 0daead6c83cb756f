using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;
using TrainingApis.Core;
using TrainingApis.Core.Http;
using TrainingApis.Core.Json;

namespace Senar.Client.Http;

/// <summary>The two ways every Senar list endpoint (a bare JSON array, no paging) is read: whole, or streamed.</summary>
internal static class SenarLists
{
    /// <summary>Reads the whole array (buffered within <c>MaxResponseBufferSize</c>, so a cut body is retried).</summary>
    public static async Task<IReadOnlyList<T>> ListAsync<T>(ApiConnection connection, string path, string operation, JsonTypeInfo<List<T>> listType, CancellationToken cancellationToken)
    {
        using var request = ApiConnection.CreateRequest(HttpMethod.Get, path, operation);
        var list = await connection.SendAsync(request, listType, cancellationToken).ConfigureAwait(false);

        // A JSON null where a row should be would reach the caller as a null in a list of non-null rows.
        var nullRow = list.FindIndex(static row => row is null);
        return nullRow < 0 ? list : throw NotAList<T>(request, $" (row {nullRow + 1}: The row is null.)");
    }

    /// <summary>
    /// Yields the array's elements as they arrive: one element in memory at a time, however long the list. An object
    /// holding a single array is read too; any other object is an error rather than an empty list.
    /// </summary>
    public static async IAsyncEnumerable<T> StreamAsync<T>(
        ApiConnection connection,
        string path,
        string operation,
        JsonTypeInfo<T> itemType,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = ApiConnection.CreateRequest(HttpMethod.Get, path, operation);
        var envelope = new JsonEnvelope();
        var count = 0L;
        await foreach (var item in connection.StreamAsync(request, itemType, envelope, cancellationToken).ConfigureAwait(false))
        {
            count++;
            yield return item;
        }

        if (count == 0 && !envelope.IsBareArray)
        {
            throw NotAList<T>(request, string.Empty);
        }
    }

    private static ApiException NotAList<T>(HttpRequestMessage request, string reason) => new(
        $"{SenarDiagnostics.ServiceName} GET {request.GetSafePath()} returned a response that is not a JSON array of {typeof(T).Name}{reason}.",
        new ApiErrorDetails
        {
            StatusCode = HttpStatusCode.OK,
            Method = request.Method.Method,
            RequestUri = ApiErrorMapper.StripQuery(request.RequestUri),
        });
}
