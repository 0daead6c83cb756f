using System.Diagnostics;
using System.Runtime.CompilerServices;
using TrainingApis.Core.Diagnostics;
using TrainingApis.Core.Http;

namespace Symtrain.Client.Internal;

/// <summary>
/// The span of a public operation that sends several requests (a paged report, the library listing, a bulk import
/// wait, batched uploads). Each request marked with <see cref="Apply"/> gets a child span of its own.
/// </summary>
internal sealed class OperationSpan : IDisposable
{
    private OperationSpan(Activity? activity)
    {
        Activity = activity;
    }

    /// <summary>The span; null when nobody records it.</summary>
    public Activity? Activity { get; }

    // Shared when nobody records the span: it holds nothing, and every report call starts one.
    private static readonly OperationSpan NotRecorded = new(null);

    /// <summary>Starts the span of <paramref name="operation"/>, a child of the caller's current span.</summary>
    public static OperationSpan Start(string operation) =>
        SymtrainDiagnostics.Instance.StartOperation(operation) is { } activity ? new(activity) : NotRecorded;

    /// <summary>
    /// Runs the rows of <paramref name="source"/> under a span of <paramref name="operation"/>, started at the first
    /// <c>MoveNextAsync</c> and stopped when the enumeration ends; a failure marks the span.
    /// </summary>
    public static async IAsyncEnumerable<T> TraceAsync<T>(string operation, Func<OperationSpan, IAsyncEnumerable<T>> source, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var span = Start(operation);
        var rows = source(span).GetAsyncEnumerator(cancellationToken);
        await using var _ = rows.ConfigureAwait(false);
        while (true)
        {
            T row;
            try
            {
                if (!await rows.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }

                row = rows.Current;
            }
            catch (Exception ex)
            {
                span.Fail(ex);
                throw;
            }

            yield return row;
        }
    }

    /// <summary>Makes <paramref name="request"/> one of this operation's requests.</summary>
    /// <remarks>With nobody listening, no request span will start and the mark (an entry in the request's options) is skipped.</remarks>
    public HttpRequestMessage Apply(HttpRequestMessage request) =>
        Activity is not null || SymtrainDiagnostics.Instance.ActivitySource.HasListeners() ? request.WithOperationSpan(Activity) : request;

    /// <summary>Marks the span as failed with <paramref name="exception"/>'s type.</summary>
    public void Fail(Exception exception) => ApiDiagnostics.RecordError(Activity, exception);

    /// <summary>Stops the span.</summary>
    public void Dispose() => Activity?.Dispose();
}
