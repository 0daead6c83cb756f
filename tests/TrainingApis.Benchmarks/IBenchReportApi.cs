using Refit;

namespace TrainingApis.Benchmarks;

/// <summary>
/// The report call as a Refit interface. The body is buffered so that Refit sends it with a <c>Content-Length</c>, as
/// the floor and the SDK do (Refit streams a JSON body chunked by default, which costs the in-process server more).
/// </summary>
public interface IBenchReportApi
{
    /// <summary>POST <c>/v2/report/users</c> with the date range, the envelope read by Refit's default serializer.</summary>
    [Post("/v2/report/users")]
    Task<BenchEnvelope> GetUsersAsync([Body(buffered: true)] BenchReportRequest request);
}
