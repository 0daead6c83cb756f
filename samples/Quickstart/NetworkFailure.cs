using System.Net.Sockets;
using TrainingApis.Core;

namespace Quickstart;

/// <summary>
/// A call that reached no service (connection refused, unknown host, no answer in time): the tour stops there, since
/// every later call would wait for the same retries and timeouts only to fail the same way.
/// </summary>
internal sealed class NetworkFailure(Exception cause) : Exception(cause.Message, cause)
{
    /// <summary>True for a failure of the network rather than of the call: a transport error or a timeout.</summary>
    public static bool Is(Exception ex) => ex switch
    {
        TimeoutException or HttpRequestException or SocketException => true,
        ApiException { StatusCode: null } api => api.InnerException is HttpRequestException or IOException or SocketException or TimeoutException,
        _ => false,
    };

    /// <summary>
    /// One line: the service, the host it could not reach, why, and what to check, e.g. <c>Symtrain at
    /// api.symtrain.com could not be reached (the host name could not be resolved). Check …</c>.
    /// </summary>
    /// <param name="service">The API, e.g. <c>Symtrain</c>.</param>
    /// <param name="baseAddress">The address the client called.</param>
    /// <param name="addressSetting">The setting that changes the address, e.g. <c>SYMTRAIN_BASE_ADDRESS</c> (the address may be its default).</param>
    /// <param name="failure">What the call threw.</param>
    /// <param name="probeTimeout">The bound of the first call (<c>Quickstart:ProbeTimeout</c>), named when the failure is a timeout.</param>
    public static string Describe(string service, Uri baseAddress, string addressSetting, Exception failure, TimeSpan? probeTimeout = null) =>
        $"Quickstart stopped at the first network failure: {service} at {baseAddress.Authority} could not be reached ({Reason(failure, probeTimeout)}). "
        + $"Check the address ({baseAddress}; {addressSetting} changes it) and that this machine reaches it (network, DNS, proxy, firewall); "
        + $"without credentials the Quickstart uses the embedded sandbox instead.";

    private static string Reason(Exception failure, TimeSpan? probeTimeout)
    {
        for (var ex = failure; ex is not null; ex = ex.InnerException)
        {
            switch (ex)
            {
                case TimeoutException when probeTimeout is { } probe:
                    return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"no answer in time: the first call waits at most {probe.TotalSeconds:0.#} s, Quickstart:ProbeTimeout");
                case TimeoutException:
                    return "no answer in time";
                case HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError }:
                    return "the host name could not be resolved: no network or DNS?";
                case HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }:
                    return "the connection was refused or dropped";
                case HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError }:
                    return "the TLS handshake failed";
                case SocketException socket:
                    return socket.Message;
            }
        }

        return failure.InnerException?.GetType().Name ?? failure.GetType().Name;
    }
}
