using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace TrainingApis.IntegrationTests.Infrastructure;

/// <summary>
/// Kestrel middleware in front of WireMock.Net that turns a stub's answer into a real transport fault. A stub asks for
/// one with the <see cref="Header"/> response header (<see cref="Stub.Faults"/>): WireMock.Net matches and logs the
/// request as usual (so request counts and scenarios hold), this middleware holds the answer back, and breaks the
/// connection instead. It counts the faults it produced per path.
/// </summary>
public sealed class TransportFaultMiddleware
{
    /// <summary>The response header naming the <see cref="TransportFault"/> to produce; never sent.</summary>
    public const string Header = "X-Test-Transport-Fault";

    private readonly ConcurrentDictionary<string, int> _faults = new(StringComparer.Ordinal);

    /// <summary>Adds the middleware to WireMock.Net's pipeline (for <c>WireMockServerSettings.PreWireMockMiddlewareInit</c>).</summary>
    public void Register(object applicationBuilder) =>
        ((IApplicationBuilder)applicationBuilder).Use(next => context => InvokeAsync(context, next));

    /// <summary>The number of faults produced on <paramref name="path"/> since the last <see cref="Reset"/>.</summary>
    public int FaultsOn(string path) => _faults.TryGetValue(path, out var count) ? count : 0;

    public void Reset() => _faults.Clear();

    private async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        // WireMock.Net writes its answer into a buffer: nothing reaches the client until this middleware lets it.
        var wire = context.Features.Get<IHttpResponseBodyFeature>()!;
        using var buffer = new MemoryStream();
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(buffer));
        try
        {
            await next(context);
        }
        finally
        {
            context.Features.Set(wire);
        }

        if (!context.Response.Headers.Remove(Header, out var fault))
        {
            buffer.Position = 0;
            await buffer.CopyToAsync(wire.Stream, context.RequestAborted);
            return;
        }

        _faults.AddOrUpdate(context.Request.Path.Value ?? string.Empty, 1, (_, count) => count + 1);
        await InjectAsync(context, wire, Enum.Parse<TransportFault>(fault.ToString()));
    }

    private static async Task InjectAsync(HttpContext context, IHttpResponseBodyFeature wire, TransportFault fault)
    {
        var socket = context.Features.Get<IConnectionSocketFeature>()?.Socket
            ?? throw new InvalidOperationException("Kestrel exposes no socket for this connection.");
        switch (fault)
        {
            case TransportFault.ConnectionReset:
                socket.LingerState = new LingerOption(true, 0); // Closing with a zero linger sends RST, not FIN.
                socket.Close();
                break;
            case TransportFault.EmptyResponse:
                break;
            case TransportFault.RandomDataThenClose:
                socket.Send(RandomBytes(64));
                break;
            case TransportFault.MalformedResponseChunk:
                // The app sets Transfer-Encoding itself, so Kestrel writes the body as given: a chunk announcing 1 KiB
                // that holds a few bytes, then the connection closes.
                context.Response.StatusCode = 200;
                context.Response.ContentLength = null;
                context.Response.Headers.TransferEncoding = "chunked";
                await wire.StartAsync();
                await wire.Stream.WriteAsync(Encoding.ASCII.GetBytes("400\r\n{\"page\": 1, \"results\": [{\"us"));
                await wire.Stream.FlushAsync();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, null);
        }

        context.Abort();
    }

    // Not an HTTP status line: no "HTTP/" prefix, no line break the client could take for one.
    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(42).NextBytes(bytes);
        bytes[0] = 0x7F;
        return [.. bytes.Select(b => b is (byte)'\r' or (byte)'\n' ? (byte)0x7F : b)];
    }
}
