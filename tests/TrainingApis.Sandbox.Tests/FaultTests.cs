using TrainingApis.Testing;

namespace TrainingApis.Sandbox.Tests;

public sealed class FaultTests
{
    private const string Body = """{"startDate":"2025-01-01","endDate":"2025-01-07"}""";

    [Fact]
    public async Task A_scripted_fault_answers_the_next_requests_then_the_api_answers_again_without_using_quota()
    {
        await using var sandbox = await TrainingSandbox.StartAsync(new TrainingSandboxOptions { TimeProvider = FakeTime.Create(), SymtrainQuotaLimit = 1 });
        using var client = ApiCall.ClientFor(sandbox);

        var fault = await ApiCall.PostAsync(client, "_sandbox/faults", """{"path":"/v2/report","statusCode":503,"count":2,"retryAfterSeconds":3}""");
        var first = await ApiCall.PostAsync(client, "v2/report/syms", Body, sandbox.SymtrainApiKey);
        var second = await ApiCall.PostAsync(client, "v2/report/users", Body, sandbox.SymtrainApiKey);
        var third = await ApiCall.PostAsync(client, "v2/report/syms", Body, sandbox.SymtrainApiKey);
        var remaining = await ApiCall.GetAsync(client, "_sandbox/faults");

        fault.Status.Should().Be(HttpStatusCode.Created);
        first.Status.Should().Be(HttpStatusCode.ServiceUnavailable);
        first.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(3));
        first.Message.Should().Contain("Injected fault");
        second.Status.Should().Be(HttpStatusCode.ServiceUnavailable);
        third.Status.Should().Be(HttpStatusCode.OK, "faulted requests took none of the single-request quota");
        remaining.Json.GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task A_fault_can_drop_the_connection_and_be_limited_to_a_method()
    {
        await using var sandbox = await TrainingSandbox.StartAsync();
        using var client = ApiCall.ClientFor(sandbox);
        var token = await ApiCall.SenarLoginAsync(client, sandbox);

        await ApiCall.PostAsync(client, "_sandbox/faults", """{"path":"/integration/data/","method":"GET","abort":true}""");
        var register = await ApiCall.PostAsync(
            client, "integration/data/webhook_register", """{"hookUrl":"https://example.com/h","method":"user"}""", token);
        var dropped = () => ApiCall.GetAsync(client, "integration/data/users", token);

        register.Status.Should().Be(HttpStatusCode.OK, "the fault is for GET only");
        await dropped.Should().ThrowAsync<HttpRequestException>();
        (await ApiCall.GetAsync(client, "integration/data/users", token)).Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Faults_can_be_cleared_and_bad_ones_are_refused()
    {
        await using var sandbox = await TrainingSandbox.StartAsync();
        using var client = ApiCall.ClientFor(sandbox);

        var bad = await ApiCall.PostAsync(client, "_sandbox/faults", """{"path":"v2","statusCode":200}""");
        await ApiCall.PostAsync(client, "_sandbox/faults", """{"path":"/v2/","statusCode":500,"count":10}""");
        var cleared = await ApiCall.SendAsync(client, HttpMethod.Delete, "_sandbox/faults", null, null);
        var after = await ApiCall.PostAsync(client, "v2/report/syms", Body, sandbox.SymtrainApiKey);

        bad.Status.Should().Be(HttpStatusCode.BadRequest);
        bad.Message.Should().ContainAll("statusCode must be between 400 and 599", "path must start with '/'");
        cleared.Status.Should().Be(HttpStatusCode.NoContent);
        after.Status.Should().Be(HttpStatusCode.OK);
    }
}
