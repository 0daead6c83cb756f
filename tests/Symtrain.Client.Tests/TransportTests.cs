using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using TrainingApis.Core;

namespace Symtrain.Client.Tests;

/// <summary>The transport through dependency injection is the hand-built one: compressed responses, recycled connections.</summary>
public sealed class TransportTests
{
    private static readonly DateRange Week = DateRange.FromDays(new DateOnly(2024, 1, 1), 7);

    [Fact]
    public async Task A_client_from_the_container_asks_for_gzip_and_reads_a_gzip_body()
    {
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        string? acceptEncoding = null;
        var server = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            acceptEncoding = context.Request.Headers["Accept-Encoding"];
            var json = Encoding.UTF8.GetBytes("""[{"userId":"u-1"},{"userId":"u-2"}]""");
            using var compressed = new MemoryStream();
            await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                await gzip.WriteAsync(json);
            }

            context.Response.ContentType = "application/json";
            context.Response.AddHeader("Content-Encoding", "gzip");
            context.Response.ContentLength64 = compressed.Length;
            await context.Response.OutputStream.WriteAsync(compressed.ToArray());
            context.Response.Close();
        });
        var services = new ServiceCollection();
        services.AddSymtrainClient(o => (o.ApiKey, o.BaseAddress) = ("sk_gzip", new Uri($"http://127.0.0.1:{port}")));
        await using var provider = services.BuildServiceProvider();

        var rows = await provider.GetRequiredService<ISymtrainClient>().Reports.GetUsersAsync(Week).WaitAsync(TimeSpan.FromSeconds(30));
        await server.WaitAsync(TimeSpan.FromSeconds(30));

        acceptEncoding.Should().Contain("gzip").And.Contain("br").And.Contain("deflate");
        rows.Select(r => r.GetString("userId")).Should().Equal("u-1", "u-2");
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
