using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using TrainingApis.Core;

namespace Symtrain.Client.Tests;

/// <summary>
/// Clients resolved from the root container, and held for long, never pin a handler chain. This class waits in real
/// time (up to 30 s): the factory's handler expiry and clean-up timers run on the system clock.
/// </summary>
public sealed class LifetimeTests
{
    private static readonly DateRange Week = DateRange.FromDays(new DateOnly(2024, 1, 1), 7);

    [Fact]
    public async Task Clients_resolved_from_the_root_get_rotated_handlers_and_leave_every_expired_one_to_be_disposed()
    {
        var handlers = new HandlerCount();
        var services = new ServiceCollection();
        services.AddSymtrainClient(o => (o.ApiKey, o.RateLimit.Enabled) = ("sk_lifetime", false)) // Many calls: no quota waits.
            .ConfigurePrimaryHttpMessageHandler(() => new CountingHandler(handlers))
            .SetHandlerLifetime(TimeSpan.FromSeconds(1));
        await using var provider = services.BuildServiceProvider();
        var held = provider.GetRequiredService<ISymtrainClient>(); // As a singleton of the application would hold it.

        // Calls for a little over three handler lifetimes, from the root provider and from the held client.
        var until = DateTime.UtcNow.AddSeconds(3.5);
        while (DateTime.UtcNow < until)
        {
            await provider.GetRequiredService<ISymtrainClient>().Reports.GetUsersAsync(Week);
            await held.Reports.GetUsersAsync(Week);
            await Task.Delay(50);
        }

        handlers.Created.Should().BeGreaterThan(2, "the held client got the rotated handlers");

        // Every handler expires after its second; the factory disposes an expired one once nothing references it.
        var deadline = DateTime.UtcNow.AddSeconds(25);
        while (handlers.Disposed < handlers.Created && DateTime.UtcNow < deadline)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(250);
        }

        handlers.Disposed.Should().Be(handlers.Created, "no client pins a handler chain");
        GC.KeepAlive(held);
    }

    private sealed class HandlerCount
    {
        private int _created;
        private int _disposed;

        public int Created => Volatile.Read(ref _created);

        public int Disposed => Volatile.Read(ref _disposed);

        public void OnCreated() => Interlocked.Increment(ref _created);

        public void OnDisposed() => Interlocked.Increment(ref _disposed);
    }

    private sealed class CountingHandler : HttpMessageHandler
    {
        private readonly HandlerCount _count;
        private int _disposed;

        public CountingHandler(HandlerCount count)
        {
            _count = count;
            count.OnCreated();
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("[]", Encoding.UTF8, "application/json") });

        protected override void Dispose(bool disposing)
        {
            if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                _count.OnDisposed();
            }

            base.Dispose(disposing);
        }
    }
}
