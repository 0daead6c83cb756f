using StackExchange.Redis;

namespace TrainingApis.Redis;

/// <summary>
/// The connection of one client's shared quota: the application's multiplexer or one of its own, connected lazily with
/// <c>abortConnect=false</c>. Never makes a caller wait longer than the operation timeout for it.
/// </summary>
internal sealed class RedisConnection : IAsyncDisposable
{
    private readonly Lazy<Task<IConnectionMultiplexer>> _multiplexer;
    private readonly bool _owned;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _connectTimeout;
    private readonly TimeProvider _time;
    private readonly List<(RedisChannel Channel, Action<RedisChannel, RedisValue> Handler)> _subscriptions = [];
    private long _connectStarted;

    public RedisConnection(RedisSharingOptions options, IServiceProvider services, TimeProvider time)
    {
        _timeout = options.OperationTimeout;
        _connectTimeout = options.ConnectTimeout;
        _time = time;
        if (options.ConnectionMultiplexerFactory is { } factory)
        {
            _multiplexer = new(() => Task.FromResult(Resolve(factory, services)));
        }
        else
        {
            var configuration = ConfigurationOptions.Parse(options.Configuration!);
            configuration.AbortOnConnectFail = false;
            var milliseconds = (int)Math.Clamp(options.OperationTimeout.TotalMilliseconds, 1, int.MaxValue);
            configuration.ConnectTimeout = (int)Math.Clamp(options.ConnectTimeout.TotalMilliseconds, 1, int.MaxValue);
            configuration.AsyncTimeout = milliseconds;
            configuration.SyncTimeout = milliseconds;

            // Back to the shared quota soon after the server returns, not after an exponential back-off.
            configuration.ReconnectRetryPolicy = new LinearRetry(milliseconds);
            _multiplexer = new(async () =>
            {
                Volatile.Write(ref _connectStarted, time.GetTimestamp());
                return await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
            });
            _owned = true;
        }
    }

    // The application's factory runs once; what it throws is cached by the Lazy and thrown to every call, naming the option.
    private static IConnectionMultiplexer Resolve(Func<IServiceProvider, IConnectionMultiplexer> factory, IServiceProvider services)
    {
        const string Option = nameof(RedisSharingOptions) + "." + nameof(RedisSharingOptions.ConnectionMultiplexerFactory);
        IConnectionMultiplexer? multiplexer;
        try
        {
            multiplexer = factory(services);
        }
        catch (Exception exception)
        {
            throw new InvalidOperationException($"{Option} threw {exception.GetType().Name} (see the inner exception): the quota shared through Redis has no connection. Make the factory return the application's IConnectionMultiplexer.", exception);
        }

        return multiplexer ?? throw new InvalidOperationException($"{Option} returned null.");
    }

    /// <summary>
    /// The database; null when the connection is still being made past the timeout (counted from the start of the
    /// first connection, so no call waits for it longer than that, however many times it asks), or when
    /// <paramref name="knownDown"/> and the multiplexer is not connected (during an outage callers fall back at once
    /// instead of each waiting for a timeout). Otherwise a command is tried even while the multiplexer reconnects: it is bounded by the timeout.
    /// </summary>
    public async ValueTask<IDatabase?> TryGetDatabaseAsync(bool knownDown, CancellationToken cancellationToken)
    {
        var connecting = _multiplexer.Value;
        if (!connecting.IsCompleted)
        {
            var left = _connectTimeout - _time.GetElapsedTime(Volatile.Read(ref _connectStarted));
            if (left <= TimeSpan.Zero)
            {
                return null;
            }

            try
            {
                await connecting.WaitAsync(left, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return null;
            }
        }

        var multiplexer = await connecting.ConfigureAwait(false);
        return multiplexer.IsConnected || (!knownDown && multiplexer.IsConnecting) ? multiplexer.GetDatabase() : null;
    }

    /// <summary>Runs a command with the operation timeout; a timeout surfaces as <see cref="TimeoutException"/>.</summary>
    public Task<T> WithTimeout<T>(Task<T> command, CancellationToken cancellationToken) => command.WaitAsync(_timeout, _time, cancellationToken);

    /// <summary>Runs a command with the operation timeout; a timeout surfaces as <see cref="TimeoutException"/>.</summary>
    public Task WithTimeout(Task command, CancellationToken cancellationToken) => command.WaitAsync(_timeout, _time, cancellationToken);

    /// <summary>Calls <paramref name="handler"/> for every message on <paramref name="channel"/> (until disposed).</summary>
    public async Task SubscribeAsync(RedisChannel channel, Action handler)
    {
        var multiplexer = await _multiplexer.Value.ConfigureAwait(false);
        Action<RedisChannel, RedisValue> onMessage = (_, _) => handler();
        lock (_subscriptions)
        {
            _subscriptions.Add((channel, onMessage));
        }

        await multiplexer.GetSubscriber().SubscribeAsync(channel, onMessage).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_multiplexer.IsValueCreated || !_multiplexer.Value.IsCompletedSuccessfully)
        {
            return;
        }

        var multiplexer = _multiplexer.Value.Result;
        if (_owned)
        {
            await multiplexer.DisposeAsync().ConfigureAwait(false);
            return;
        }

        // The application's multiplexer lives on: only this connection's handlers leave it.
        (RedisChannel, Action<RedisChannel, RedisValue>)[] subscriptions;
        lock (_subscriptions)
        {
            subscriptions = [.. _subscriptions];
            _subscriptions.Clear();
        }

        foreach (var (channel, handler) in subscriptions)
        {
            try
            {
                await multiplexer.GetSubscriber().UnsubscribeAsync(channel, handler).WaitAsync(_timeout, _time).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                // The server is away: its side of the subscription ends with the connection anyway.
            }
        }
    }
}
