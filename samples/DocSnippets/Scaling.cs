using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using TrainingApis.Redis;

namespace DocSnippets;

/// <summary>The code of docs/scaling.md and src/TrainingApis.Redis/README.md, compiled.</summary>
internal static class Scaling
{
    public static void Configure(WebApplicationBuilder builder)
    {
        #region scaling-use-redis
        builder.Services.AddSymtrainClient(builder.Configuration.GetSection("Symtrain"))
            .UseRedis(redis =>
            {
                redis.Configuration = builder.Configuration.GetConnectionString("Redis");   // "redis.internal:6379,password=…"
                redis.ExpectedInstances = 3;                 // while Redis is away, each instance keeps 100 ÷ 3 = 33
                redis.WhenUnavailable = RedisUnavailablePolicy.FallBackToLocal;
            });
        #endregion
    }

    public static void PackageReadme(WebApplicationBuilder builder)
    {
        #region redis-readme
        builder.Services.AddSymtrainClient(builder.Configuration.GetSection("Symtrain"))
            .UseRedis(redis =>
            {
                redis.Configuration = builder.Configuration.GetConnectionString("Redis");   // "redis.internal:6379,password=…"
                redis.ExpectedInstances = 3;                 // while Redis is away, each instance keeps 100 ÷ 3 = 33
                redis.WhenUnavailable = RedisUnavailablePolicy.FallBackToLocal;
            });
        #endregion
    }

    public static void Reuse(WebApplicationBuilder builder)
    {
        #region scaling-reuse-multiplexer
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(builder.Configuration.GetConnectionString("Redis") + ",abortConnect=false"));
        builder.Services.AddSenarClient(builder.Configuration.GetSection("Senar"))
            .UseRedis(redis => redis.ConnectionMultiplexerFactory = services => services.GetRequiredService<IConnectionMultiplexer>());
        #endregion
    }
}
