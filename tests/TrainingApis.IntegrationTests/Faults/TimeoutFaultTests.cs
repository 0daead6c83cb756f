using System.Diagnostics;
using Senar.Client;
using Senar.Client.Webhooks;
using Symtrain.Client;
using Symtrain.Client.Users;
using TrainingApis.IntegrationTests.Infrastructure;

namespace TrainingApis.IntegrationTests.Faults;

/// <summary>A server slower than the attempt timeout (WireMock fixedDelayMilliseconds).</summary>
[Collection(WireMockCollection.Name)]
public sealed class TimeoutFaultTests(WireMockFixture fixture) : WireMockTest(fixture)
{
    private const string CompletionData = "/v2/access-api/simulation/completion-data";
    private const int SlowMilliseconds = 4000;

    // Long enough for a prompt answer on a loaded two-core machine, short against SlowMilliseconds.
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromMilliseconds(1000);

    [Fact]
    public async Task Every_attempt_timing_out_is_retried_then_surfaces_as_a_timeout_exception()
    {
        Server.Add(Stub.For(RequestPattern.Post(CompletionData)).Returns(200).Delayed(SlowMilliseconds));
        var options = TestClients.SymtrainOptions(Server);
        options.AttemptTimeout = AttemptTimeout;
        options.Retry.MaxRetries = 2;
        using var client = new SymtrainClient(options);

        var watch = Stopwatch.StartNew();
        var act = () => client.Access.GetCompletionDataAsync("org-1", "jane@example.com", "sim-001");

        var thrown = await act.Should().ThrowExactlyAsync<TimeoutException>();
        watch.Stop();
        thrown.Which.Message.Should().Contain("the last of its 3 attempts reached AttemptTimeout");
        Server.Count(RequestPattern.Post(CompletionData)).Should().Be(3);
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromMilliseconds(3 * SlowMilliseconds), "each attempt gave up after AttemptTimeout");
    }

    [Fact]
    public async Task A_slow_first_attempt_is_abandoned_and_the_retry_succeeds()
    {
        Server.Add(Stub.For(RequestPattern.Post(CompletionData)).InScenario("slow-once", "Started", "fast").Returns(200).Delayed(SlowMilliseconds));
        var options = TestClients.SymtrainOptions(Server);
        options.AttemptTimeout = AttemptTimeout;
        using var client = new SymtrainClient(options);

        var executions = await client.Access.GetCompletionDataAsync("org-1", "jane@example.com", "sim-001");

        executions.Should().HaveCount(2);
        Server.Count(RequestPattern.Post(CompletionData)).Should().Be(2);
    }

    [Fact]
    public async Task The_total_timeout_ends_the_call_even_when_attempts_may_take_longer()
    {
        Server.Add(Stub.For(RequestPattern.Post(CompletionData)).Returns(200).Delayed(SlowMilliseconds));
        var options = TestClients.SymtrainOptions(Server);
        options.Timeout = AttemptTimeout;
        using var client = new SymtrainClient(options);

        var act = () => client.Access.GetCompletionDataAsync("org-1", "jane@example.com", "sim-001");

        await act.Should().ThrowExactlyAsync<TimeoutException>();
        Server.Count(RequestPattern.Post(CompletionData)).Should().Be(1);
    }

    [Fact]
    public async Task A_bulk_import_that_times_out_is_not_sent_again()
    {
        const string path = "/v2/access-api/user/bulk-import";
        Server.Add(Stub.For(RequestPattern.Post(path)).Returns(200).Delayed(SlowMilliseconds));
        var options = TestClients.SymtrainOptions(Server);
        options.AttemptTimeout = AttemptTimeout;
        using var client = new SymtrainClient(options);

        var act = () => client.Users.BulkImportAsync("org-1", [new BulkImportRow { FirstName = "Jane", LastName = "Doe", Email = "jane@example.com" }]);

        await act.Should().ThrowExactlyAsync<TimeoutException>();
        Server.Count(RequestPattern.Post(path)).Should().Be(1, "the server got the file and may be importing it");
    }

    [Fact]
    public async Task A_webhook_registration_that_times_out_is_not_sent_again()
    {
        const string path = "/integration/data/webhook_register";
        Server.Add(Stub.For(RequestPattern.Post(path)).Returns(200).Delayed(SlowMilliseconds));
        var options = TestClients.SenarOptions(Server);
        options.AttemptTimeout = AttemptTimeout;
        using var client = new SenarClient(options);

        var act = () => client.Webhooks.RegisterAsync(new Uri("https://hooks.zapier.com/hooks/catch/1/a/"), SenarWebhookEvent.Activity);

        await act.Should().ThrowExactlyAsync<TimeoutException>();
        Server.Count(RequestPattern.Post(path)).Should().Be(1);
    }
}
