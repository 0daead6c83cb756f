using System.Net;
using System.Net.Sockets;

namespace TrainingApis.Samples.Tests;

public static class LoopbackPort
{
    /// <summary>A loopback port nothing listens on (bound, then released): connections to it are refused.</summary>
    public static int Refusing()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
