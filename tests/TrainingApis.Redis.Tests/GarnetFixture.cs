using System.Net;
using System.Net.Sockets;
using Garnet;

namespace TrainingApis.Redis.Tests;

/// <summary>
/// A Garnet server (it speaks Redis's protocol) inside the test process, with Lua on, on a free loopback port. Garnet
/// runs scripts atomically only in Lua transaction mode (without it two scripts interleave and the quota overshoots). It can
/// be stopped and started again on the same port to simulate an outage. Data does not survive a restart.
/// </summary>
public sealed class GarnetFixture : IDisposable
{
    private readonly object _gate = new();
    private GarnetServer? _server;

    public GarnetFixture()
    {
        Port = FreePort();
        Start();
    }

    public int Port { get; }

    public string Configuration => $"127.0.0.1:{Port}";

    public void Start()
    {
        lock (_gate)
        {
            if (_server is not null)
            {
                return;
            }

            _server = new GarnetServer(["--bind", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--lua", "--lua-transaction-mode", "--memory", "64m", "--index", "16m"]);
            _server.Start();
        }
    }

    public void Stop()
    {
        lock (_gate)
        {
            _server?.Dispose();
            _server = null;
        }
    }

    public void Dispose() => Stop();

    /// <summary>A loopback port nothing listens on (for an unreachable server).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class GarnetCollection : ICollectionFixture<GarnetFixture>
{
    public const string Name = "Garnet";
}
