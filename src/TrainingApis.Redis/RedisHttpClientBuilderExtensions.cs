using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Senar.Client;
using Senar.Client.Auth;
using Symtrain.Client;
using TrainingApis.Core;
using TrainingApis.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Shares a TrainingApis client's quota (and the Senar login) with the application's other instances through Redis.</summary>
public static class RedisHttpClientBuilderExtensions
{
    /// <summary>
    /// Replaces the quota of the client the builder belongs to (the builder <c>AddSymtrainClient</c> or
    /// <c>AddSenarClient</c> returns) with one shared through Redis: never more than <c>RateLimit.PermitLimit</c>
    /// requests of one partition in any span of <c>RateLimit.Window</c>, across every process that uses the same
    /// server and <see cref="RedisSharingOptions.KeyPrefix"/>. Built on <c>UseQuotaLimiter</c>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The limits and the partition are read from the client's options per request: <c>RateLimit.PartitionKey</c> when
    /// set, else the credential (the Symtrain API key; the Senar base address and username), which appears in Redis keys
    /// only as a SHA-256 hash. A permit counts from its grant until one window after the request completed; the permit
    /// of a process that crashed while its request was in flight counts until <c>AttemptTimeout</c> plus
    /// <c>Window</c> after its grant. Each permit costs one round trip to acquire (plus two commands sent without waiting on
    /// release: the release and its announcement to the waiters). When clients of one partition ask for different limits,
    /// in one process or several, the strictest applies to all of them (the smaller <c>PermitLimit</c> over the longer
    /// <c>Window</c>) while the partition is in use, and each client whose own limits are looser logs a warning naming both.
    /// </para>
    /// <para>
    /// On a Senar client it also shares the login: the token is kept in Redis under a hash of the base address and
    /// username (never the password), fetched by the first instance that takes a short lock, reused by the others and
    /// replaced once when Senar answers 401 (an <see cref="Senar.Client.Auth.ISenarTokenStore"/> registered under the
    /// client's options name).
    /// </para>
    /// <para>
    /// While Redis is unreachable, no call waits for it longer than <see cref="RedisSharingOptions.OperationTimeout"/>:
    /// the instance applies a local quota of <c>PermitLimit ÷ ExpectedInstances</c> and logs one warning per outage, or
    /// with <see cref="RedisUnavailablePolicy.FailFast"/> throws <see cref="ApiRateLimitException"/>.
    /// </para>
    /// </remarks>
    /// <param name="builder">The builder <c>AddSymtrainClient</c> or <c>AddSenarClient</c> returned.</param>
    /// <param name="configure">Sets the connection and the policy.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// The builder is not a Symtrain or Senar client's, or the options are invalid (no connection, a configuration string
    /// that does not parse or names no server, an empty or unsuitable prefix, <c>ExpectedInstances</c> below 1, a timeout
    /// that is not positive or longer than a day). Thrown here, before any connection is made.
    /// </exception>
    public static IHttpClientBuilder UseRedis(this IHttpClientBuilder builder, Action<RedisSharingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new RedisSharingOptions();
        configure(options);
        options.Validate();
        var partition = ResolvePartition(builder);
        if (OptionsName(builder.Name, SenarClientServiceCollectionExtensions.HttpClientName) is { } senarOptions)
        {
            // The Senar client asks for a token store under its options name: one login shared by every instance.
            builder.Services.AddKeyedSingleton<ISenarTokenStore>(senarOptions, (services, _) =>
            {
                var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
                var logger = services.GetService<ILoggerFactory>()?.CreateLogger(RedisDiagnostics.Name) ?? NullLogger.Instance;
                return new RedisSenarTokenStore(new RedisConnection(options, services, time), options, time, logger);
            });
        }

        return builder.UseQuotaLimiter(services =>
        {
            var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
            var logger = services.GetService<ILoggerFactory>()?.CreateLogger(RedisDiagnostics.Name) ?? NullLogger.Instance;
            return new RedisQuotaLimiter(partition(services), new RedisConnection(options, services, time), options, time, logger, RedisDiagnostics.For(services));
        });
    }

    // The SDK's own clients read the default options name; a named client (registered under a name of its own) reads
    // the options configured under the builder's name, whichever service configured them.
    private static Func<IServiceProvider, Func<RedisQuotaPartition?>> ResolvePartition(IHttpClientBuilder builder)
    {
        var name = builder.Name;
        var symtrainOptions = OptionsName(name, SymtrainClientServiceCollectionExtensions.HttpClientName);
        var senarOptions = OptionsName(name, SenarClientServiceCollectionExtensions.HttpClientName);
        if (symtrainOptions is not null || (senarOptions is null && HasNamedOptions<SymtrainClientOptions>(builder.Services, name)))
        {
            var optionsName = symtrainOptions ?? name;
            return services =>
            {
                var monitor = services.GetRequiredService<IOptionsMonitor<SymtrainClientOptions>>();
                return () => monitor.Get(optionsName) is { RateLimit: { Enabled: true } limit } current && !string.IsNullOrWhiteSpace(current.ApiKey)
                    ? Partition("symtrain", current, limit, current.ApiKey)
                    : null;
            };
        }

        if (senarOptions is not null || HasNamedOptions<SenarClientOptions>(builder.Services, name))
        {
            var optionsName = senarOptions ?? name;
            return services =>
            {
                var monitor = services.GetRequiredService<IOptionsMonitor<SenarClientOptions>>();
                return () => monitor.Get(optionsName) is { RateLimit: { Enabled: true } limit } current
                    ? Partition("senar", current, limit, $"{current.BaseAddress.AbsoluteUri.TrimEnd('/')}/\u001f{current.Username}")
                    : null;
            };
        }

        throw new ArgumentException(
            $"UseRedis applies to the builders AddSymtrainClient and AddSenarClient return; no Symtrain or Senar options are configured for the HttpClient '{name}'.",
            nameof(builder));
    }

    // AddSymtrainClient(name, …) names its HttpClient "Symtrain.Client:{name}" and its options "{name}"; the unnamed
    // registration uses "Symtrain.Client" and the default options name (the same for Senar).
    private static string? OptionsName(string httpClientName, string clientPrefix) =>
        httpClientName == clientPrefix ? Options.Options.DefaultName
        : httpClientName.StartsWith(clientPrefix + ":", StringComparison.Ordinal) ? httpClientName[(clientPrefix.Length + 1)..]
        : null;

    private static bool HasNamedOptions<TOptions>(IServiceCollection services, string name)
        where TOptions : class =>
        services.Any(descriptor => descriptor.ServiceType == typeof(IConfigureOptions<TOptions>)
            && descriptor.ImplementationInstance is IConfigureNamedOptions<TOptions> and ConfigureNamedOptions<TOptions> { Name: var configured }
            && configured == name);

    private static RedisQuotaPartition Partition(string scope, ApiClientOptions options, RateLimitOptions limit, string credential)
    {
        // As the in-process registry does: a configured key and a credential each have their own prefix before hashing.
        var configured = !string.IsNullOrWhiteSpace(limit.PartitionKey);
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(configured ? "partition\u001f" + limit.PartitionKey : "credential\u001f" + credential)));
        return new RedisQuotaPartition(scope, hash, limit.PermitLimit, limit.Window, limit.QueueLimit, options.AttemptTimeout);
    }
}
