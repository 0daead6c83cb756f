using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TrainingApis.Core;

namespace Symtrain.Client.Tests;

/// <summary>
/// Where a user's <see cref="DelegatingHandler"/> runs (docs/configuration.md): one added to every client with
/// <c>ConfigureHttpClientDefaults</c> runs outside the SDK's pipeline, once per call and before authentication; one added
/// on the builder <c>AddSymtrainClient</c> returns runs inside it, on every attempt, after authentication.
/// </summary>
public sealed class HandlerPlacementTests
{
    [Fact]
    public async Task An_application_wide_handler_sees_each_call_once_unauthenticated_and_a_client_handler_sees_every_attempt()
    {
        var time = FakeTime.Create();
        var handler = new FakeHttpHandler((_, n) => n == 0 ? FakeHttpHandler.JsonResponse("{}", HttpStatusCode.ServiceUnavailable) : FakeHttpHandler.JsonResponse("[]"));
        var applicationWide = new List<string?>();
        var onTheClient = new List<string?>();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.ConfigureHttpClientDefaults(http => http.AddHttpMessageHandler(() => new Recorder(applicationWide)));
        services.AddSymtrainClient(o => (o.ApiKey, o.Retry.MaxRetries) = ("sk_placement", 1))
            .AddHttpMessageHandler(() => new Recorder(onTheClient))
            .ConfigurePrimaryHttpMessageHandler(() => handler);
        await using var provider = services.BuildServiceProvider();

        await time.RunAsync(provider.GetRequiredService<ISymtrainClient>().Reports.GetUsersAsync(DateRange.FromDays(new DateOnly(2024, 1, 1), 7)));

        handler.Count.Should().Be(2, "a 503, then the retry");
        applicationWide.Should().Equal([null], "the application-wide handler is outside the retry and above authentication");
        onTheClient.Should().Equal("Bearer sk_placement", "Bearer sk_placement");
    }

    /// <summary>Records the Authorization header of each request it passes on.</summary>
    private sealed class Recorder(List<string?> seen) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (seen)
            {
                seen.Add(request.Headers.Authorization?.ToString());
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
