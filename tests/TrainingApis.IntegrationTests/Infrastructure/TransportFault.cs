namespace TrainingApis.IntegrationTests.Infrastructure;

/// <summary>
/// A broken connection or garbage on the wire, produced by <see cref="TransportFaultMiddleware"/> after the server has
/// read the whole request (WireMock.Net's own faults are well-framed 200s, and it has no connection reset).
/// </summary>
public enum TransportFault
{
    /// <summary>The connection is reset (TCP RST) instead of an answer.</summary>
    ConnectionReset,

    /// <summary>The connection is closed with nothing sent.</summary>
    EmptyResponse,

    /// <summary>A 200 status line and headers, then a chunked body whose chunk is cut short, then the connection closes.</summary>
    MalformedResponseChunk,

    /// <summary>Random bytes instead of a status line, then the connection closes.</summary>
    RandomDataThenClose,
}
