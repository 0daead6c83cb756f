using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Symtrain.Client;
using TrainingApis.Core;

namespace TrainingApis.Redis.Tests;

/// <summary>
/// One instance of an application: its own service provider and its own <see cref="TimeProvider"/> instance (so no
/// process-wide registry can stand in for Redis), a Symtrain client sharing its quota through Redis, and a primary
/// handler that records when each request was sent and what came back.
/// </summary>
public sealed class Instance : IDisposable
{
    private readonly ServiceProvider _services;

    public Instance(Uri baseAddress, string apiKey, Traffic traffic, RateLimitOptions limit, Action<RedisSharingOptions> redis, TimeSpan? attemptTimeout = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new InstanceClock());
        services.AddLogging(logging => logging.AddProvider(new FakeLoggerProvider(Logs)));
        services.AddSymtrainClient(o =>
            {
                o.BaseAddress = baseAddress;
                o.ApiKey = apiKey;
                o.RateLimit = limit;
                o.Timeout = TimeSpan.FromSeconds(60);
                o.AttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(5);
                o.Retry = new RetryOptions { MaxRetries = 0 };
            })
            .ConfigurePrimaryHttpMessageHandler(() => new Recorder(traffic))
            .UseRedis(redis);
        _services = services.BuildServiceProvider();
        Client = _services.GetRequiredService<ISymtrainClient>();
    }

    public ISymtrainClient Client { get; }

    public FakeLogCollector Logs { get; } = new();

    public void Dispose() => _services.Dispose();

    /// <summary>A clock of its own per instance, running on real time (the quota's time comes from Redis anyway).</summary>
    private sealed class InstanceClock : TimeProvider;

    private sealed class Recorder(Traffic traffic) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var sentAt = Traffic.Clock.Elapsed;
            var response = await base.SendAsync(request, cancellationToken);
            traffic.Record(sentAt, response.StatusCode);
            return response;
        }
    }
}

/// <summary>Every request of every instance: when it was sent (one clock for all) and its status.</summary>
public sealed class Traffic
{
    public static readonly Stopwatch Clock = Stopwatch.StartNew();

    private readonly ConcurrentQueue<(TimeSpan SentAt, HttpStatusCode Status)> _requests = new();

    public IReadOnlyList<(TimeSpan SentAt, HttpStatusCode Status)> Requests => [.. _requests];

    public void Record(TimeSpan sentAt, HttpStatusCode status) => _requests.Enqueue((sentAt, status));

    /// <summary>The most requests sent in any span of <paramref name="window"/>, every span start (each send) checked.</summary>
    public int MaxInAnySpan(TimeSpan window, TimeSpan from = default, TimeSpan? to = null)
    {
        var sends = Requests.Select(r => r.SentAt).Where(t => t >= from && t <= (to ?? TimeSpan.MaxValue)).Order().ToArray();
        var max = 0;
        var end = 0;
        for (var start = 0; start < sends.Length; start++)
        {
            while (end < sends.Length && sends[end] - sends[start] < window)
            {
                end++;
            }

            max = Math.Max(max, end - start);
        }

        return max;
    }
}
