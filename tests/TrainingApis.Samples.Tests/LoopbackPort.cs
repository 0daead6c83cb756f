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

    /// <summary>
    /// A loopback server that accepts every connection and never answers (nor closes it): a request sent to it waits
    /// until the client's own timeout. Disposing it closes the listener and the connections.
    /// </summary>
    public static SilentServer Silent() => new();

    public sealed class SilentServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly List<Socket> _accepted = [];
        private readonly CancellationTokenSource _stop = new();

        internal SilentServer()
        {
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _ = AcceptAsync();
        }

        public int Port { get; }

        /// <summary>How many connections it has accepted.</summary>
        public int Accepted
        {
            get
            {
                lock (_accepted)
                {
                    return _accepted.Count;
                }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            lock (_accepted)
            {
                _accepted.ForEach(socket => socket.Dispose());
            }

            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var socket = await _listener.AcceptSocketAsync(_stop.Token);
                    lock (_accepted)
                    {
                        _accepted.Add(socket);
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Stopped.
            }
        }
    }
}
