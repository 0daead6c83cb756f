using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TrainingApis.Benchmarks;

/// <summary>
/// Kestrel on 127.0.0.1 (a free port) answering fixed bodies: every Symtrain report path returns <c>report</c>,
/// the Senar login returns <c>{"Token":"t"}</c> and the Senar activities list returns <c>activities</c>.
/// The request body is read and discarded, so every client pays the same server cost. With <c>compress</c>, it
/// answers as a production server would: gzip or Brotli when the request's <c>Accept-Encoding</c> allows, and it counts
/// every byte it writes to its connections (<see cref="BytesSent"/>).
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Counters _counters;

    private LoopbackServer(WebApplication app, Uri baseAddress, Counters counters)
    {
        _app = app;
        BaseAddress = baseAddress;
        _counters = counters;
    }

    public Uri BaseAddress { get; }

    /// <summary>POST requests whose body came without a <c>Content-Length</c> (chunked), which cost the server more.</summary>
    public int ChunkedPosts => Volatile.Read(ref _counters.ChunkedPosts);

    /// <summary>Bytes written to the connections (headers, framing and bodies) since the start; only with <c>compress</c>.</summary>
    public long BytesSent => Interlocked.Read(ref _counters.BytesSent);

    /// <summary>The <c>Content-Encoding</c> of the last response (empty when it was sent as is).</summary>
    public string LastContentEncoding => Volatile.Read(ref _counters.LastContentEncoding);

    public static async Task<LoopbackServer> StartAsync(byte[] report, byte[]? activities = null, bool compress = false)
    {
        var counters = new Counters();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (compress)
        {
            // Brotli and gzip at their default (fastest) levels; application/json is among the default MIME types.
            builder.Services.AddResponseCompression();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Use(next => connection =>
            {
                connection.Transport = new CountingPipe(connection.Transport, counters);
                return next(connection);
            })));
        }
        else
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }

        var app = builder.Build();
        if (compress)
        {
            app.Use(async (context, next) =>
            {
                await next(context).ConfigureAwait(false);
                Volatile.Write(ref counters.LastContentEncoding, context.Response.Headers.ContentEncoding.ToString());
            });
            app.UseResponseCompression();
        }

        app.MapPost("/v2/report/{name}", (HttpContext context) => WriteAsync(context, report, counters));
        app.MapPost("/api/auth/login", (HttpContext context) => WriteAsync(context, Payloads.LoginResponse, counters));
        app.MapGet("/integration/data/activities", (HttpContext context) => WriteAsync(context, activities ?? "[]"u8.ToArray(), counters));

        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new LoopbackServer(app, new Uri(address.TrimEnd('/') + "/"), counters);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task WriteAsync(HttpContext context, byte[] body, Counters counters)
    {
        if (HttpMethods.IsPost(context.Request.Method) && context.Request.ContentLength is null)
        {
            Interlocked.Increment(ref counters.ChunkedPosts);
        }

        await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length; // The compression middleware drops it when it compresses.
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private sealed class Counters
    {
        public int ChunkedPosts;
        public long BytesSent;
        public string LastContentEncoding = "";
    }

    /// <summary>A connection's transport whose output counts the bytes Kestrel writes to the socket.</summary>
    private sealed class CountingPipe(IDuplexPipe inner, Counters counters) : IDuplexPipe
    {
        public PipeReader Input => inner.Input;

        public PipeWriter Output { get; } = new CountingWriter(inner.Output, counters);
    }

    private sealed class CountingWriter(PipeWriter inner, Counters counters) : PipeWriter
    {
        public override void Advance(int bytes)
        {
            Interlocked.Add(ref counters.BytesSent, bytes);
            inner.Advance(bytes);
        }

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);
    }
}
