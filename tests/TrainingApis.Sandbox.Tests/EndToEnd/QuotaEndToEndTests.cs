using System.Diagnostics;
using Symtrain.Client;
using TrainingApis.Core;

namespace TrainingApis.Sandbox.Tests.EndToEnd;

/// <summary>
/// The client-side quota against the sandbox's server quota, in a scaled-down window (20 requests per second instead
/// of 100 per 5 minutes): real time, because Kestrel and the sockets are real. Each test has its own sandbox and key.
/// </summary>
public sealed class QuotaEndToEndTests
{
    private const int Limit = 20;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Three_times_the_quota_finishes_with_no_429_from_the_sandbox()
    {
        await using var sandbox = await StartAsync();
        using var counter = new StatusCounter();
        using var client = E2ESetup.Symtrain(sandbox, counter, o => o.RateLimit = new RateLimitOptions { PermitLimit = Limit, Window = Window });
        var clock = Stopwatch.StartNew();

        var calls = Enumerable.Range(0, 3 * Limit).Select(_ => client.Users.CreateAccessTokenAsync(sandbox.OrganizationId, sandbox.TraineeUsername));
        var tokens = await Task.WhenAll(calls);

        tokens.Should().HaveCount(60).And.OnlyContain(t => !string.IsNullOrEmpty(t.Token));
        counter[HttpStatusCode.TooManyRequests].Should().Be(0);
        counter.Total.Should().Be(60, "no request was refused, so none was retried");
        counter[HttpStatusCode.OK].Should().Be(60);
        clock.Elapsed.Should().BeGreaterThan(2 * Window, "60 requests at 20 per second need at least two more windows");
    }

    [Fact]
    public async Task Without_the_client_quota_the_same_burst_meets_the_sandbox_429()
    {
        await using var sandbox = await StartAsync();
        using var counter = new StatusCounter();
        using var client = E2ESetup.Symtrain(sandbox, counter, o =>
        {
            o.RateLimit = new RateLimitOptions { Enabled = false };
            o.Retry = new RetryOptions { MaxRetries = 0 };
        });

        var calls = Enumerable.Range(0, 3 * Limit).Select(async _ =>
        {
            try
            {
                await client.Users.CreateAccessTokenAsync(sandbox.OrganizationId, sandbox.TraineeUsername);
                return (TimeSpan?)null;
            }
            catch (ApiRateLimitException ex)
            {
                ex.IsLocal.Should().BeFalse();
                return ex.RetryAfter ?? TimeSpan.MaxValue;
            }
        });
        var outcomes = await Task.WhenAll(calls);

        counter[HttpStatusCode.TooManyRequests].Should().BeGreaterThan(0, "the control: the sandbox's quota is real");
        outcomes.Where(o => o is not null).Should().HaveCount(counter[HttpStatusCode.TooManyRequests])
            .And.OnlyContain(o => o <= Window, "Retry-After says when the window ends");
    }

    private static Task<TrainingSandbox> StartAsync() => E2ESetup.StartSandboxAsync(o =>
    {
        o.SymtrainQuotaLimit = Limit;
        o.SymtrainQuotaWindow = Window;
    });
}
