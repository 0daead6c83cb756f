#if !NET10_0_OR_GREATER
namespace TrainingApis.Testing;

/// <summary>On .NET 8, what .NET 10's System.Linq.AsyncEnumerable gives the tests (so the same test code runs on both).</summary>
public static class AsyncEnumerablePolyfill
{
    /// <summary>Reads <paramref name="source"/> to its end into a list.</summary>
    public static async ValueTask<List<T>> ToListAsync<T>(this IAsyncEnumerable<T> source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var list = new List<T>();
        await foreach (var item in source.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            list.Add(item);
        }

        return list;
    }
}
#endif
