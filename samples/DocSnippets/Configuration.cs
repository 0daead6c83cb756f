using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Senar.Client;
using Symtrain.Client;
using TrainingApis.Core;
using TrainingApis.Core.Http;

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

        // From code; the returned IHttpClientBuilder takes the factory's usual calls.
        builder.Services.AddSenarClient(options =>
            {
                options.Username = builder.Configuration["Senar:Username"];
                options.Password = builder.Configuration["Senar:Password"];
                options.Retry.MaxRetries = 5;
            })
            .ConfigureHttpClient(http => http.DefaultRequestHeaders.UserAgent.ParseAdd("my-app/1.0"));

        var app = builder.Build();
        app.MapGet("/activities/count", async (ISenarClient senar, CancellationToken cancellationToken) =>
            (await senar.Activities.ListAsync(cancellationToken)).Count);
        #endregion
    }

    public static void NamedClients(string[] args)
    {
        #region configuration-named
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddSymtrainClient("emea", builder.Configuration.GetSection("Symtrain:Emea"));
        builder.Services.AddSymtrainClient("americas", options =>
            options.ApiKey = builder.Configuration["Symtrain:Americas:ApiKey"]);
        builder.Services.AddSenarClient("academy", builder.Configuration.GetSection("Senar:Academy"));

        var app = builder.Build();
        app.MapGet("/emea/users", async ([FromKeyedServices("emea")] ISymtrainClient symtrain, CancellationToken cancellationToken) =>
            (await symtrain.Reports.GetUsersAsync(DateRange.FromDays(new DateOnly(2024, 1, 1), 30), cancellationToken)).Count);

        app.MapGet("/americas/users", async ([FromKeyedServices("americas")] ISymtrainClient symtrain, CancellationToken cancellationToken) =>
            (await symtrain.Reports.GetUsersAsync(DateRange.FromDays(new DateOnly(2024, 1, 1), 30), cancellationToken)).Count);

        // Start-up validates every client's options and fails with all their problems at once. Resolve clients after it
        // (inject them, as above): one resolved before app.Run() fails alone, with its own problems only.
        app.Run();
        #endregion
    }

    public static void TuneResilience(string[] args)
    {
        #region configuration-resilience
        var builder = WebApplication.CreateBuilder(args);
        var symtrain = builder.Services.AddSymtrainClient(builder.Configuration.GetSection("Symtrain"));

        // Fewer retries, and a log line of your own on each one; the SDK's predicate, delays, budget and telemetry stay.
        builder.Services.Configure<HttpRetryStrategyOptions>(ApiResilience.GetPipelineName(symtrain.Name, ApiResilience.CallPipelineName), retry =>
        {
            retry.MaxRetryAttempts = 2;
            retry.OnRetry = arguments =>
            {
                Console.WriteLine($"Symtrain retry {arguments.AttemptNumber + 1} in {arguments.RetryDelay}");
                return default;
            };
        });
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
