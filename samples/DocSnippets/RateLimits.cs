using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Senar.Client;
using Symtrain.Client;
using Symtrain.Client.Reports;
using TrainingApis.Core;
using TrainingApis.Core.RateLimiting;

namespace DocSnippets;

/// <summary>The code of docs/rate-limits.md, compiled.</summary>
internal static class RateLimits
{
    public static async Task QuotaAsync()
    {
        #region rate-limits-quota
        using var symtrain = new SymtrainClient(new SymtrainClientOptions
        {
            ApiKey = Environment.GetEnvironmentVariable("SYMTRAIN_API_KEY"),
            RateLimit = new RateLimitOptions
            {
                PermitLimit = 50,                      // this process's share of the key's 100
                Window = TimeSpan.FromMinutes(5),
                QueueLimit = 200,                      // past 200 waiting calls, fail fast
            },
        });

        // Twelve months of every report, all at once: 84 calls (more with extra pages). They go out as permits
        // allow, first in first out: 50 now, the rest as earlier permits expire. None is refused by the server.
        var months = Enumerable.Range(1, 12).Select(m => new DateRange(new DateOnly(2024, m, 1), new DateOnly(2024, m, DateTime.DaysInMonth(2024, m))));
        var calls = months.SelectMany(month => Enum.GetValues<SymtrainReport>().Select(report => symtrain.Reports.GetReportAsync(report, month)));
        IReadOnlyList<ReportRow>[] results = await Task.WhenAll(calls);
        #endregion
    }

    public static void Options()
    {
        #region rate-limits-senar
        var senarOptions = new SenarClientOptions
        {
            Username = "integration@acme.example",
            Password = Environment.GetEnvironmentVariable("SENAR_PASSWORD"),
            RateLimit = new RateLimitOptions { Enabled = true, PermitLimit = 60, Window = TimeSpan.FromMinutes(1) },
        };
        #endregion

        #region rate-limits-budget
        var exportOptions = new SymtrainClientOptions
        {
            ApiKey = Environment.GetEnvironmentVariable("SYMTRAIN_API_KEY"),
            Timeout = TimeSpan.FromMinutes(30),          // a long quota wait is expected
            Retry = new RetryOptions { MaxRetries = 5, MaxRetryAfter = TimeSpan.FromMinutes(5) },
        };
        #endregion
    }

    public static void Partition()
    {
        #region rate-limits-partition
        using var officeOne = new SymtrainClient(new SymtrainClientOptions
        {
            ApiKey = Environment.GetEnvironmentVariable("SYMTRAIN_KEY_OFFICE_ONE"),
            RateLimit = new RateLimitOptions { PartitionKey = "egress-eu-1" },   // one quota for every key behind this address
        });
        using var officeTwo = new SymtrainClient(new SymtrainClientOptions
        {
            ApiKey = Environment.GetEnvironmentVariable("SYMTRAIN_KEY_OFFICE_TWO"),
            RateLimit = new RateLimitOptions { PartitionKey = "egress-eu-1" },
        });
        #endregion
    }

    public static void UseQuotaLimiter(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);

        #region rate-limits-use-quota-limiter
        builder.Services.AddSymtrainClient(builder.Configuration.GetSection("Symtrain"))
            .UseQuotaLimiter(services => RateLimiter.CreateChained(
                new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = 4, QueueLimit = 1000 }),   // 4 calls at a time
                new QuotaLimiter(permitLimit: 100, window: TimeSpan.FromMinutes(5), queueLimit: 1000,
                    services.GetService<TimeProvider>())));                                                       // Symtrain's quota
        #endregion
    }
}
