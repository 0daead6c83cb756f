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
    private readonly TimeProvider _time;

    public RedisConnection(RedisSharingOptions options, IServiceProvider services, TimeProvider time)
    {
        _timeout = options.OperationTimeout;
        _time = time;
        if (options.ConnectionMultiplexerFactory is { } factory)
        {
            _multiplexer = new(() => Task.FromResult(factory(services) ?? throw new InvalidOperationException(
                $"{nameof(RedisSharingOptions)}.{nameof(RedisSharingOptions.ConnectionMultiplexerFactory)} returned null.")));
        }
        else
        {
            var configuration = ConfigurationOptions.Parse(options.Configuration!);
            configuration.AbortOnConnectFail = false;
            var milliseconds = (int)Math.Clamp(options.OperationTimeout.TotalMilliseconds, 1, int.MaxValue);
            configuration.ConnectTimeout = milliseconds;
            configuration.AsyncTimeout = milliseconds;
            configuration.SyncTimeout = milliseconds;

            // Back to the shared quota soon after the server returns, not after an exponential back-off.
            configuration.ReconnectRetryPolicy = new LinearRetry(milliseconds);
            _multiplexer = new(async () => await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false));
            _owned = true;
        }
    }

    /// <summary>The database when the server is connected now; null when it is not (or the connection is still being made past the timeout).</summary>
    public async ValueTask<IDatabase?> TryGetDatabaseAsync(CancellationToken cancellationToken)
    {
        var connecting = _multiplexer.Value;
        if (!connecting.IsCompleted)
        {
            try
            {
                await connecting.WaitAsync(_timeout, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return null;
            }
        }

        var multiplexer = await connecting.ConfigureAwait(false);
        return multiplexer.IsConnected ? multiplexer.GetDatabase() : null;
    }

    /// <summary>Runs a command with the operation timeout; a timeout surfaces as <see cref="TimeoutException"/>.</summary>
    public Task<T> WithTimeout<T>(Task<T> command, CancellationToken cancellationToken) => command.WaitAsync(_timeout, _time, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_owned && _multiplexer.IsValueCreated && _multiplexer.Value.IsCompletedSuccessfully)
        {
            await _multiplexer.Value.Result.DisposeAsync().ConfigureAwait(false);
        }
    }
}
