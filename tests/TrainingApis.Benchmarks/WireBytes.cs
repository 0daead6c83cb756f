using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Senar.Client;
using Symtrain.Client;
using TrainingApis.Core;

namespace TrainingApis.Benchmarks;

/// <summary>
/// <c>--wire-bytes</c>: the bytes a client receives for one call, as the server counts them on its connections
/// (headers, framing and body), against a loopback server that compresses as a production server does (Brotli or gzip,
/// as <c>Accept-Encoding</c> allows). A client registered through DI (<c>AddSymtrainClient</c>/<c>AddSenarClient</c>)
/// against the same client built by hand, for a 10,000-row report and the 200,000-activity list; a plain
/// <c>HttpClient</c>, which asks for no encoding, shows what an uncompressed response costs.
/// </summary>
internal static class WireBytes
{
    private static readonly DateRange s_range = new(new DateOnly(2024, 1, 1), new DateOnly(2024, 6, 28));

    public static async Task<int> RunAsync()
    {
        const int Rows = 10_000;
        var report = Payloads.CreateReport(Rows);
        var activities = Payloads.Activities;
        await using var server = await LoopbackServer.StartAsync(report, activities, compress: true);
        var results = new List<(string Payload, long Body, string Way, string Encoding, long Bytes)>();

        async Task MeasureAsync(string payload, long body, string way, Func<Task<int>> call, int expected)
        {
            await call(); // Warm-up: connection opened, the login done, code compiled.
            var before = server.BytesSent;
            var read = await call();
            var bytes = server.BytesSent - before;
            if (read != expected)
            {
                throw new InvalidOperationException($"{way} read {read} items of {payload}, expected {expected}.");
            }

            results.Add((payload, body, way, server.LastContentEncoding, bytes));
        }

        var services = new ServiceCollection();
        services.AddSymtrainClient(o =>
        {
            o.BaseAddress = server.BaseAddress;
            o.ApiKey = "benchmark-key";
            o.RateLimit = new RateLimitOptions { Enabled = false };
        });
        services.AddSenarClient(o =>
        {
            o.BaseAddress = server.BaseAddress;
            o.Username = "bench";
            o.Password = "bench-password";
            o.RateLimit = new RateLimitOptions { Enabled = false };
        });
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var symtrainDi = scope.ServiceProvider.GetRequiredService<ISymtrainClient>();
        var senarDi = scope.ServiceProvider.GetRequiredService<ISenarClient>();
        using var symtrainHand = new SymtrainClient(new SymtrainClientOptions
        {
            BaseAddress = server.BaseAddress,
            ApiKey = "benchmark-key",
            RateLimit = new RateLimitOptions { Enabled = false },
        });
        using var senarHand = new SenarClient(new SenarClientOptions
        {
            BaseAddress = server.BaseAddress,
            Username = "bench",
            Password = "bench-password",
            RateLimit = new RateLimitOptions { Enabled = false },
        });
        using var plain = new HttpClient(new SocketsHttpHandler()) { BaseAddress = server.BaseAddress };

        const string Report = "Report, 10,000 rows";
        await MeasureAsync(Report, report.Length, "DI (AddSymtrainClient)", async () => (await symtrainDi.Reports.GetUsersAsync(s_range)).Count, Rows);
        await MeasureAsync(Report, report.Length, "Hand-built SymtrainClient", async () => (await symtrainHand.Reports.GetUsersAsync(s_range)).Count, Rows);
        await MeasureAsync(Report, report.Length, "HttpClient, no Accept-Encoding", async () =>
        {
            using var response = await plain.PostAsync("v2/report/users", new StringContent("{}"));
            var body = await response.Content.ReadAsByteArrayAsync();
            return body.Length == report.Length ? Rows : -1;
        }, Rows);

        const string List = "Activities, 200,000";
        await MeasureAsync(List, activities.Length, "DI (AddSenarClient)", () => CountAsync(senarDi.Activities.StreamAsync()), Payloads.ActivityCount);
        await MeasureAsync(List, activities.Length, "Hand-built SenarClient", () => CountAsync(senarHand.Activities.StreamAsync()), Payloads.ActivityCount);
        await MeasureAsync(List, activities.Length, "HttpClient, no Accept-Encoding", async () =>
        {
            var body = await plain.GetByteArrayAsync("integration/data/activities");
            return body.Length == activities.Length ? Payloads.ActivityCount : -1;
        }, Payloads.ActivityCount);

        Console.WriteLine("| Payload | Body (bytes) | Client | Content-Encoding | Bytes received | vs hand-built |");
        Console.WriteLine("|---|---:|---|---|---:|---:|");
        var failed = 0;
        foreach (var group in results.GroupBy(r => r.Payload))
        {
            var hand = group.Single(r => r.Way.StartsWith("Hand-built", StringComparison.Ordinal)).Bytes;
            foreach (var r in group)
            {
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {r.Payload} | {r.Body:N0} | {r.Way} | {(r.Encoding.Length == 0 ? "(none)" : r.Encoding)} | {r.Bytes:N0} | {(double)r.Bytes / hand:0.000} |"));
                if (r.Way.StartsWith("DI", StringComparison.Ordinal) && r.Bytes != hand)
                {
                    failed++;
                }
            }
        }

        Console.WriteLine(failed == 0 ? "DI bytes equal to hand-built: yes" : $"DI bytes equal to hand-built: NO ({failed} payload(s) differ)");
        return failed == 0 ? 0 : 1;
    }

    private static async Task<int> CountAsync<T>(IAsyncEnumerable<T> items)
    {
        var count = 0;
        await foreach (var item in items)
        {
            count++;
        }

        return count;
    }
}
