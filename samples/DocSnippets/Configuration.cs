using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Senar.Client;
using Symtrain.Client;
using TrainingApis.Core;

namespace DocSnippets;

/// <summary>The code of docs/configuration.md, compiled.</summary>
internal static class Configuration
{
    public static void Validate()
    {
        #region configuration-validation
        var options = new SymtrainClientOptions
        {
            BaseAddress = new Uri("http://api.example.com"),
            Timeout = TimeSpan.Zero,
        };

        foreach (var problem in options.Validate())
        {
            Console.WriteLine(problem);
        }
        // SymtrainClientOptions.BaseAddress must use https; plain http is allowed only for loopback hosts (was 'http://api.example.com').
        // SymtrainClientOptions.Timeout must be positive (was 00:00:00).
        // SymtrainClientOptions.ApiKey is required.
        #endregion
    }

    public static void WithDependencyInjection(string[] args)
    {
        #region configuration-di
        var builder = WebApplication.CreateBuilder(args);

        // From configuration: every option above can be set in the section.
        builder.Services.AddSymtrainClient(builder.Configuration.GetSection("Symtrain"));

        // From code, with a handler of your own added after the pipeline.
        builder.Services.AddSenarClient(options =>
            {
                options.Username = builder.Configuration["Senar:Username"];
                options.Password = builder.Configuration["Senar:Password"];
                options.Retry.MaxRetries = 5;
            })
            .AddHttpMessageHandler(() => new UserAgentHandler("my-app/1.0"));

        var app = builder.Build();
        app.MapGet("/activities/count", async (ISenarClient senar, CancellationToken cancellationToken) =>
            (await senar.Activities.ListAsync(cancellationToken)).Count);
        #endregion
    }

    public static void WithoutDependencyInjection()
    {
        #region configuration-without-di
        using var symtrain = new SymtrainClient(new SymtrainClientOptions
        {
            ApiKey = Environment.GetEnvironmentVariable("SYMTRAIN_API_KEY"),
            Timeout = TimeSpan.FromMinutes(15),
            Retry = new RetryOptions { MaxRetries = 5 },
            RateLimit = new RateLimitOptions { PermitLimit = 100, Window = TimeSpan.FromMinutes(5), QueueLimit = 200 },
        });

        using var senar = new SenarClient(
            new SenarClientOptions
            {
                Username = Environment.GetEnvironmentVariable("SENAR_USERNAME"),
                Password = Environment.GetEnvironmentVariable("SENAR_PASSWORD"),
            },
            primaryHandler: new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) },
            timeProvider: TimeProvider.System,
            loggerFactory: LoggerFactory.Create(logging => logging.AddConsole()));
        #endregion
    }
}
