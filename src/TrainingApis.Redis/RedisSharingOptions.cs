using StackExchange.Redis;

namespace TrainingApis.Redis;

/// <summary>
/// How a TrainingApis client shares its quota with the other instances of the application through Redis (or a server
/// that speaks its protocol: Valkey, Garnet, Azure Cache for Redis). Set <see cref="Configuration"/> or
/// <see cref="ConnectionMultiplexerFactory"/>.
/// </summary>
public sealed class RedisSharingOptions
{
    private const int MaxKeyPrefixLength = 100;

    // StackExchange.Redis takes timeouts as int milliseconds; a day is far beyond any useful Redis command.
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(1);

    /// <summary>
    /// A StackExchange.Redis configuration string, e.g. <c>redis.internal:6379,password=…,ssl=true</c>. The package
    /// connects with <c>abortConnect=false</c>, so a server that is down at start-up does not stop the application.
    /// Ignored when <see cref="ConnectionMultiplexerFactory"/> is set. It may hold a password: it is never logged.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>
    /// Returns the application's own <see cref="IConnectionMultiplexer"/> (e.g. <c>services =&gt; services.GetRequiredService&lt;IConnectionMultiplexer&gt;()</c>),
    /// to share its connection; the package does not dispose it. Takes precedence over <see cref="Configuration"/>.
    /// </summary>
    public Func<IServiceProvider, IConnectionMultiplexer>? ConnectionMultiplexerFactory { get; set; }

    /// <summary>
    /// The prefix of every key and channel the package uses. Default <c>trainingapis:</c>. At most 100 characters, without
    /// white space, control characters or braces (a brace would change the hash tag that keeps a partition's keys in one
    /// cluster slot).
    /// </summary>
    public string KeyPrefix { get; set; } = "trainingapis:";

    /// <summary>What happens while Redis cannot be reached. Default <see cref="RedisUnavailablePolicy.FallBackToLocal"/>.</summary>
    public RedisUnavailablePolicy WhenUnavailable { get; set; } = RedisUnavailablePolicy.FallBackToLocal;

    /// <summary>
    /// How many instances share the quota, for the local fallback's share: each instance then allows
    /// <c>PermitLimit ÷ ExpectedInstances</c> (rounded down, at least 1) per window, so that together they stay under the
    /// limit while Redis is away. Default 1 (an instance on its own keeps the whole limit). At least 1.
    /// </summary>
    public int ExpectedInstances { get; set; } = 1;

    /// <summary>
    /// The longest a single Redis command may take before the instance treats Redis as unreachable (and falls back or
    /// fails fast). Default 1 second; positive, at most one day.
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest the first calls wait for the connection to be made (and the connect timeout of a connection made
    /// from <see cref="Configuration"/>); past it they treat Redis as unreachable. Default 5 seconds; positive, at most one day.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    internal void Validate()
    {
        if (ConnectionMultiplexerFactory is null && string.IsNullOrWhiteSpace(Configuration))
        {
            throw new ArgumentException($"{nameof(RedisSharingOptions)}: set {nameof(Configuration)} (a StackExchange.Redis configuration string) or {nameof(ConnectionMultiplexerFactory)}.");
        }

        if (ConnectionMultiplexerFactory is null)
        {
            ConfigurationOptions parsed;
            try
            {
                parsed = ConfigurationOptions.Parse(Configuration!);
            }
            catch (ArgumentException)
            {
                // The parser's message may quote part of the string, which can hold a password: not repeated here.
                throw new ArgumentException($"{nameof(RedisSharingOptions)}.{nameof(Configuration)} is not a valid StackExchange.Redis configuration string (e.g. \"host:6379,password=…,ssl=true\"); the string is not shown because it may hold a password.");
            }

            if (parsed.EndPoints.Count == 0)
            {
                throw new ArgumentException($"{nameof(RedisSharingOptions)}.{nameof(Configuration)} names no server: start it with host:port (e.g. \"redis.internal:6379,password=…\").");
            }
        }

        if (string.IsNullOrEmpty(KeyPrefix))
        {
            throw new ArgumentException($"{nameof(RedisSharingOptions)}.{nameof(KeyPrefix)} must not be empty.");
        }

        if (KeyPrefix.Length > MaxKeyPrefixLength || KeyPrefix.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '{' or '}'))
        {
            throw new ArgumentException($"{nameof(RedisSharingOptions)}.{nameof(KeyPrefix)} must be at most {MaxKeyPrefixLength} characters, without white space, control characters or braces ('{{', '}}' would change the keys' cluster hash tag); it has {KeyPrefix.Length} characters.");
        }

        if (ExpectedInstances < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ExpectedInstances), ExpectedInstances, $"{nameof(RedisSharingOptions)}.{nameof(ExpectedInstances)} must be at least 1.");
        }

        if (OperationTimeout <= TimeSpan.Zero || OperationTimeout > MaxTimeout)
        {
            throw new ArgumentOutOfRangeException(nameof(OperationTimeout), OperationTimeout, $"{nameof(RedisSharingOptions)}.{nameof(OperationTimeout)} must be positive and at most {MaxTimeout}.");
        }

        if (ConnectTimeout <= TimeSpan.Zero || ConnectTimeout > MaxTimeout)
        {
            throw new ArgumentOutOfRangeException(nameof(ConnectTimeout), ConnectTimeout, $"{nameof(RedisSharingOptions)}.{nameof(ConnectTimeout)} must be positive and at most {MaxTimeout}.");
        }

        if (!Enum.IsDefined(WhenUnavailable))
        {
            throw new ArgumentOutOfRangeException(nameof(WhenUnavailable), WhenUnavailable, $"{nameof(RedisSharingOptions)}.{nameof(WhenUnavailable)} is not a known policy.");
        }
    }
}
