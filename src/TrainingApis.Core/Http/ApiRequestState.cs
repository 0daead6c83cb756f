namespace TrainingApis.Core.Http;

/// <summary>
/// What the pipeline records on one request while it runs: when the call began, the attempts made, whether the
/// connection streams the answer, and the options of the chain that sent it. One entry in
/// <see cref="HttpRequestMessage.Options"/> instead of one per value: the options' dictionary starts with room for
/// three entries and is reallocated at the fourth, which a report call would otherwise reach on every request.
/// </summary>
internal sealed class ApiRequestState
{
    private static readonly HttpRequestOptionsKey<ApiRequestState> Key = new("TrainingApis.State");

    /// <summary>When the call began (a timestamp of the pipeline's clock), for the retry budget and timeout messages; null until the call handler runs.</summary>
    public long? Started { get; set; }

    /// <summary>The attempts made so far.</summary>
    public int Attempts { get; set; }

    /// <summary>Whether the connection reads the answer itself (a stream, or rows collected as they arrive), so the pipeline hands it over unread.</summary>
    public bool Streaming { get; set; }

    /// <summary>The options of the call, read once by the call handler (a reload applies from the next call), for the attempts' bounds and the budget of a streamed body's read; null until then.</summary>
    public ApiClientOptions? Budget { get; set; }

    /// <summary>The state of <paramref name="request"/>, or null when the pipeline has recorded none.</summary>
    public static ApiRequestState? Find(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(Key, out var state) ? state : null;

    /// <summary>The state of <paramref name="request"/>, added on first use.</summary>
    public static ApiRequestState Of(HttpRequestMessage request)
    {
        if (!request.Options.TryGetValue(Key, out var state) || state is null)
        {
            state = new ApiRequestState();
            request.Options.Set(Key, state);
        }

        return state;
    }
}
