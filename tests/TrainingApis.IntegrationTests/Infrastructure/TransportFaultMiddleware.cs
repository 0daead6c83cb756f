using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace TrainingApis.IntegrationTests.Infrastructure;

/// <summary>
/// Kestrel middleware in front of WireMock.Net that turns a stub's answer into a real transport fault or a late answer.
/// A stub asks for a fault with the <see cref="Header"/> response header (<see cref="Stub.Faults"/>), for a delay with
/// <see cref="DelayHeader"/> (<see cref="Stub.Delayed"/>): WireMock.Net matches and logs the request as usual (so
/// request counts and scenarios hold), this middleware holds the answer back, then sends it late or breaks the
/// connection instead. It counts the faults it produced per path.
/// </summary>
public sealed class TransportFaultMiddleware
{
    /// <summary>The response header naming the <see cref="TransportFault"/> to produce; never sent.</summary>
    public const string Header = "X-Test-Transport-Fault";

    /// <summary>The response header giving the milliseconds to hold the answer back; never sent.</summary>
    public const string DelayHeader = "X-Test-Delay-Milliseconds";

    private readonly ConcurrentDictionary<string, int> _faults = new(StringComparer.Ordinal);
    private int _inWireMock;

    /// <summary>Adds the middleware to WireMock.Net's pipeline (for <c>WireMockServerSettings.PreWireMockMiddlewareInit</c>).</summary>
    public void Register(object applicationBuilder) =>
        ((IApplicationBuilder)applicationBuilder).Use(next => context => InvokeAsync(context, next));

    /// <summary>The number of faults produced on <paramref name="path"/> since the last <see cref="Reset"/>.</summary>
    public int FaultsOn(string path) => _faults.TryGetValue(path, out var count) ? count : 0;

    public void Reset() => _faults.Clear();

    /// <summary>
    /// Waits until every request that reached the server has been matched and logged by WireMock.Net (it logs a request
    /// once its stub has answered), so a count taken just after a client gave up sees it.
    /// </summary>
    public void WaitUntilLogged()
    {
        if (!SpinWait.SpinUntil(() => Volatile.Read(ref _inWireMock) == 0, TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException("WireMock.Net was still handling a request after 10 seconds.");
        }
    }

    private async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        // WireMock.Net writes its answer into a buffer: nothing reaches the client until this middleware lets it.
        var wire = context.Features.Get<IHttpResponseBodyFeature>()!;
        using var buffer = new MemoryStream();
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(buffer));
        Interlocked.Increment(ref _inWireMock);
        try
        {
            await next(context);
        }
        finally
        {
            Interlocked.Decrement(ref _inWireMock);
            context.Features.Set(wire);
        }

        if (context.Response.Headers.Remove(DelayHeader, out var delay))
        {
            try
            {
                await Task.Delay(int.Parse(delay.ToString(), System.Globalization.CultureInfo.InvariantCulture), context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // The client gave up first.
            }
        }

        if (!context.Response.Headers.Remove(Header, out var fault))
        {
            buffer.Position = 0;
            await buffer.CopyToAsync(wire.Stream, context.RequestAborted);
            return;
        }

        _faults.AddOrUpdate(context.Request.Path.Value ?? string.Empty, 1, (_, count) => count + 1);
        await InjectAsync(context, Enum.Parse<TransportFault>(fault.ToString()));
    }

    // Bytes go straight to the socket, past Kestrel. Kestrel's own abort resets the connection (RST), which would make
    // the client drop what it had not read yet: so every fault but the reset ends with a FIN, and Kestrel lets go of the
    // connection only once the client has closed its side.
    private static async Task InjectAsync(HttpContext context, TransportFault fault)
    {
        var socket = context.Features.Get<IConnectionSocketFeature>()?.Socket
            ?? throw new InvalidOperationException("Kestrel exposes no socket for this connection.");
        switch (fault)
        {
            case TransportFault.ConnectionReset:
                socket.LingerState = new LingerOption(true, 0); // Closing with a zero linger sends RST, not FIN.
                socket.Close();
                context.Abort();
                return;
            case TransportFault.EmptyResponse:
                break;
            case TransportFault.RandomDataThenClose:
                socket.Send(RandomBytes(64));
                break;
            case TransportFault.MalformedResponseChunk:
                // A well-formed 200 and its headers, then a chunk announcing 1 KiB that holds a few bytes.
                socket.Send(Encoding.ASCII.GetBytes(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
                    "400\r\n{\"page\": 1, \"results\": [{\"us"));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, null);
        }

        socket.Shutdown(SocketShutdown.Send);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted); // Ends when the client closes.
        }
        catch (OperationCanceledException)
        {
        }

        context.Abort();
    }

    // A line of random bytes where the status line should be (no "HTTP/" prefix, no line break inside, a CRLF after).
    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(42).NextBytes(bytes);
        bytes[0] = 0x7F;
        return [.. bytes.Select(b => b is (byte)'\r' or (byte)'\n' ? (byte)0x7F : b), (byte)'\r', (byte)'\n'];
    }
}
