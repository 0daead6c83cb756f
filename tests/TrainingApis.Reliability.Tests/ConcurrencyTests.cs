using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Symtrain.Client;
using Symtrain.Client.Users;
using TrainingApis.Core;
using TrainingApis.Reliability.Tests.Support;
using TrainingApis.Sandbox;

namespace TrainingApis.Reliability.Tests;

/// <summary>
/// 2,000 calls from 20 concurrent tasks against the real sandbox over loopback, with the quota scaled down to 100 requests
/// per 500 ms on both sides: nothing lost, nothing duplicated, no 429 from the server, the limit held in every window span.
/// Real time (a scaled-down window), the only place in this suite that waits for real.
/// </summary>
public sealed class ConcurrencyTests(ITestOutputHelper output)
{
    private const int Calls = 2_000;
    private const int Tasks = 20;
    private const int Limit = 100;
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(500);

    [Fact]
    public Task One_client_loses_nothing_duplicates_nothing_and_stays_within_the_quota() => RunAsync(clientCount: 1);

    [Fact]
    public Task Two_clients_sharing_one_key_share_one_quota() => RunAsync(clientCount: 2);

    private async Task RunAsync(int clientCount)
    {
        // A key of its own: the process-wide quota registry keeps one limiter per key, shared by every client that uses it.
        var apiKey = $"reliability-{clientCount}-{Guid.NewGuid():N}";
        await using var sandbox = await TrainingSandbox.StartAsync(new TrainingSandboxOptions
        {
            SymtrainApiKey = apiKey,
            SymtrainQuotaLimit = Limit,
            SymtrainQuotaWindow = Window,
        });

        var recorders = new List<RecordingHandler>();
        var clients = new List<SymtrainClient>();
        for (var i = 0; i < clientCount; i++)
        {
            var recorder = new RecordingHandler(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
            recorders.Add(recorder);
            clients.Add(new SymtrainClient(
                new SymtrainClientOptions
                {
                    BaseAddress = sandbox.BaseAddress,
                    ApiKey = apiKey,
                    RateLimit = new RateLimitOptions { PermitLimit = Limit, Window = Window, QueueLimit = Calls },
                    Timeout = TimeSpan.FromMinutes(2),
                },
                recorder));
        }

        var results = new ConcurrentBag<(int Tag, SymtrainUser User)>();
        var failures = new ConcurrentBag<Exception>();
        var next = -1;
        var run = Guid.NewGuid().ToString("N")[..8];
        var stopwatch = Stopwatch.StartNew();
        try
        {
            var workers = Enumerable.Range(0, Tasks).Select(worker => Task.Run(async () =>
            {
                var client = clients[worker % clientCount];
                int tag;
                while ((tag = Interlocked.Increment(ref next)) < Calls)
                {
                    try
                    {
                        var user = await client.Users.CreateUserAsync(new CreateUserRequest
                        {
                            OrganizationId = sandbox.OrganizationId,
                            Email = Email(run, tag),
                            FirstName = "Load",
                            LastName = tag.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        });
                        results.Add((tag, user));
                    }
                    catch (Exception ex)
                    {
                        failures.Add(ex);
                    }
                }
            }));
            await Task.WhenAll(workers);
        }
        finally
        {
            stopwatch.Stop();
            clients.ForEach(c => c.Dispose());
            recorders.ForEach(r => r.Dispose());
        }

        var sent = recorders.SelectMany(r => r.Sent).ToList();
        var sentTags = sent.Select(s => JsonNode.Parse(s.Body)!["email"]!.GetValue<string>()).ToList();
        var answered = results.Select(r => r.User.Email).ToList();
        var lost = Enumerable.Range(0, Calls).Count(tag => !answered.Contains(Email(run, tag)));
        var duplicatedResults = answered.Count - answered.Distinct(StringComparer.Ordinal).Count();
        var duplicatedSends = sentTags.Count - sentTags.Distinct(StringComparer.Ordinal).Count();
        var tooMany = sent.Count(s => s.Status == HttpStatusCode.TooManyRequests);
        var maxPerSpan = RecordingHandler.MaxPerSpan(sent, Window);

        output.WriteLine(
            $"FIGURE concurrency: {Calls} calls / {Tasks} tasks / {clientCount} client(s) on one key / quota {Limit} per {Window.TotalMilliseconds} ms: " +
            $"{failures.Count} failed, {lost} lost, {duplicatedResults} duplicated results, {duplicatedSends} duplicated sends, " +
            $"{sent.Count} requests sent, {tooMany} x 429, max per span {maxPerSpan} (limit {Limit}), wall time {stopwatch.Elapsed.TotalSeconds:0.0} s");

        failures.Should().BeEmpty();
        results.Should().HaveCount(Calls);
        lost.Should().Be(0);
        duplicatedResults.Should().Be(0);
        results.Should().OnlyContain(r => r.User.Email == Email(run, r.Tag) && r.User.Created == true, "the sandbox created each user exactly once");
        sent.Should().HaveCount(Calls, "each call reached the sandbox exactly once (no retry was needed)");
        duplicatedSends.Should().Be(0);
        sentTags.Should().BeEquivalentTo(Enumerable.Range(0, Calls).Select(tag => Email(run, tag)));
        tooMany.Should().Be(0);
        maxPerSpan.Should().BeLessThanOrEqualTo(Limit);
    }

    private static string Email(string run, int tag) => $"load-{run}-{tag}@reliability.example";
}
