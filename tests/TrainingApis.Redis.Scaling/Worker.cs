using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Symtrain.Client;
using TrainingApis.Core;

namespace TrainingApis.Redis.Scaling;

/// <summary>
/// One instance: a Symtrain client sharing its quota through Redis. It warms up as a running server would be (a quarter
/// of the limit in calls side by side, not recorded, so that its connections are open, then one and a half windows so that their permits no longer count), prints <c>READY</c> and waits
/// for <c>GO</c> on its standard input, then sends its calls all at once and prints
/// <c>SENT &lt;UTC ticks&gt; &lt;status&gt; &lt;UTC ticks of the response&gt;</c> for every request as its transport sends it (the
/// machine's clock, the same for every process), then <c>DONE</c>.
/// </summary>
internal static class Worker
{
    public const string Ready = "READY";

    public const string Go = "GO";

    /// <summary>The arguments, in order: Redis configuration, key prefix, sandbox address, API key, organization, user, calls, limit, window (ms).</summary>
    public static IReadOnlyList<string> Arguments(string redis, string prefix, Uri sandbox, string apiKey, string organizationId, string userId, int calls, int limit, TimeSpan window) =>
        ["worker", redis, prefix, sandbox.AbsoluteUri, apiKey, organizationId, userId,
         calls.ToString(CultureInfo.InvariantCulture), limit.ToString(CultureInfo.InvariantCulture), ((long)window.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)];

    public static async Task<int> RunAsync(string[] args)
    {
        var (redis, prefix, address, apiKey, organization, user) = (args[1], args[2], new Uri(args[3]), args[4], args[5], args[6]);
        var calls = int.Parse(args[7], CultureInfo.InvariantCulture);
        var limit = int.Parse(args[8], CultureInfo.InvariantCulture);
        var window = TimeSpan.FromMilliseconds(long.Parse(args[9], CultureInfo.InvariantCulture));
        var output = TextWriter.Synchronized(Console.Out);
        var recording = new Switch();

        var services = new ServiceCollection();
        services.AddSymtrainClient(o =>
            {
                o.BaseAddress = address;
                o.ApiKey = apiKey;
                o.RateLimit = new RateLimitOptions { PermitLimit = limit, Window = window, QueueLimit = calls };
                o.Timeout = TimeSpan.FromMinutes(10);
                o.Retry = new RetryOptions { MaxRetries = 0 };
            })
            .ConfigurePrimaryHttpMessageHandler(() => new Recorder(output, recording))
            .UseRedis(o => { o.Configuration = redis; o.KeyPrefix = prefix; o.OperationTimeout = TimeSpan.FromSeconds(5); });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<ISymtrainClient>();
        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, limit / 4)).Select(_ => client.Users.CreateAccessTokenAsync(organization, user)));
        await Task.Delay(window * 1.5);
        output.WriteLine(Ready);
        if (await Console.In.ReadLineAsync() != Go)
        {
            return 2;
        }

        recording.On = true;

        var failures = 0;
        await Task.WhenAll(Enumerable.Range(0, calls).Select(async _ =>
        {
            try
            {
                await client.Users.CreateAccessTokenAsync(organization, user);
            }
            catch (ApiException exception)
            {
                Interlocked.Increment(ref failures);
                output.WriteLine($"FAILED {exception.StatusCode}");
            }
        }));
        output.WriteLine("DONE");
        return failures == 0 ? 0 : 1;
    }

    private sealed class Switch
    {
        public volatile bool On;
    }

    private sealed class Recorder(TextWriter output, Switch recording) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var sentAt = DateTime.UtcNow.Ticks;
            var recorded = recording.On;
            var response = await base.SendAsync(request, cancellationToken);
            if (recorded)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SENT {sentAt} {(int)response.StatusCode} {DateTime.UtcNow.Ticks}"));
            }

            return response;
        }
    }
}
