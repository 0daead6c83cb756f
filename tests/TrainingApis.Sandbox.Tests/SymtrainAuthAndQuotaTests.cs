using TrainingApis.Testing;

namespace TrainingApis.Sandbox.Tests;

public sealed class SymtrainAuthAndQuotaTests
{
    private const string Body = """{"startDate":"2025-01-01","endDate":"2025-01-07"}""";

    [Fact]
    public async Task A_missing_key_is_a_401_that_says_how_to_send_it()
    {
        await using var sandbox = await TrainingSandbox.StartAsync();
        using var client = ApiCall.ClientFor(sandbox);

        var result = await ApiCall.PostAsync(client, "v2/report/syms", Body);

        result.Status.Should().Be(HttpStatusCode.Unauthorized);
        result.Message.Should().Contain("Authorization: Bearer");
        result.Headers.WwwAuthenticate.Should().NotBeEmpty();
    }

    [Fact]
    public async Task A_wrong_key_is_a_401_that_does_not_echo_the_key()
    {
        await using var sandbox = await TrainingSandbox.StartAsync();
        using var client = ApiCall.ClientFor(sandbox);

        var result = await ApiCall.PostAsync(client, "v2/access-api/user/token", """{"organizationId":"x","userId":"y"}""", "not-the-key-12345");

        result.Status.Should().Be(HttpStatusCode.Unauthorized);
        result.Message.Should().Be("Invalid API key.");
        result.Text.Should().NotContain("not-the-key-12345");
    }

    [Fact]
    public async Task The_key_is_checked_on_every_v2_path_even_unknown_ones()
    {
        await using var sandbox = await TrainingSandbox.StartAsync();
        using var client = ApiCall.ClientFor(sandbox);

        var anonymous = await ApiCall.PostAsync(client, "v2/access-api/nothing", "{}");
        var authenticated = await ApiCall.PostAsync(client, "v2/access-api/nothing", "{}", sandbox.SymtrainApiKey);

        anonymous.Status.Should().Be(HttpStatusCode.Unauthorized);
        authenticated.Status.Should().Be(HttpStatusCode.NotFound);
        authenticated.Message.Should().Contain("No endpoint matches POST /v2/access-api/nothing");
    }

    [Fact]
    public async Task The_quota_answers_429_with_retry_after_once_the_window_is_used_up_and_reopens_after_it()
    {
        var time = FakeTime.Create();
        await using var sandbox = await TrainingSandbox.StartAsync(new TrainingSandboxOptions
        {
            TimeProvider = time,
            SymtrainQuotaLimit = 3,
            SymtrainQuotaWindow = TimeSpan.FromMinutes(1),
        });
        using var client = ApiCall.ClientFor(sandbox);
        var key = sandbox.SymtrainApiKey;

        for (var i = 0; i < 3; i++)
        {
            (await ApiCall.PostAsync(client, "v2/report/syms", Body, key)).Status.Should().Be(HttpStatusCode.OK);
            time.Advance(TimeSpan.FromSeconds(5));
        }

        var limited = await ApiCall.PostAsync(client, "v2/report/syms", Body, key);
        time.Advance(TimeSpan.FromSeconds(30));
        var stillLimited = await ApiCall.PostAsync(client, "v2/report/syms", Body, key);
        time.Advance(TimeSpan.FromSeconds(15));
        var reopened = await ApiCall.PostAsync(client, "v2/report/syms", Body, key);

        limited.Status.Should().Be(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(45), "the window opened at the first request, 15 s earlier");
        limited.Message.Should().Contain("Too many requests").And.Contain("3 requests per 60 seconds");
        stillLimited.Status.Should().Be(HttpStatusCode.TooManyRequests);
        stillLimited.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(15));
        reopened.Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_new_window_opens_at_the_first_request_after_the_old_one_ended()
    {
        var time = FakeTime.Create();
        await using var sandbox = await TrainingSandbox.StartAsync(new TrainingSandboxOptions
        {
            TimeProvider = time,
            SymtrainQuotaLimit = 2,
            SymtrainQuotaWindow = TimeSpan.FromMinutes(5),
        });
        using var client = ApiCall.ClientFor(sandbox);
        var key = sandbox.SymtrainApiKey;

        await ApiCall.PostAsync(client, "v2/report/syms", Body, key);
        time.Advance(TimeSpan.FromMinutes(7));
        await ApiCall.PostAsync(client, "v2/report/syms", Body, key); // Opens a window at minute 7.
        await ApiCall.PostAsync(client, "v2/report/syms", Body, key);
        var limited = await ApiCall.PostAsync(client, "v2/report/syms", Body, key);

        limited.Status.Should().Be(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task Unauthorized_requests_and_control_endpoints_take_no_quota()
    {
        var time = FakeTime.Create();
        await using var sandbox = await TrainingSandbox.StartAsync(new TrainingSandboxOptions { TimeProvider = time, SymtrainQuotaLimit = 1 });
        using var client = ApiCall.ClientFor(sandbox);

        for (var i = 0; i < 5; i++)
        {
            await ApiCall.PostAsync(client, "v2/report/syms", Body, "wrong");
            await ApiCall.GetAsync(client, "_sandbox");
        }

        var first = await ApiCall.PostAsync(client, "v2/report/syms", Body, sandbox.SymtrainApiKey);
        var second = await ApiCall.PostAsync(client, "v2/report/syms", Body, sandbox.SymtrainApiKey);

        first.Status.Should().Be(HttpStatusCode.OK);
        second.Status.Should().Be(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Requests_past_the_limit_count_against_no_one_when_the_quota_is_off()
    {
        await using var sandbox = await TrainingSandbox.StartAsync(new TrainingSandboxOptions { SymtrainQuotaLimit = 1, SymtrainQuotaEnabled = false });
        using var client = ApiCall.ClientFor(sandbox);

        var results = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            results.Add((await ApiCall.PostAsync(client, "v2/report/syms", Body, sandbox.SymtrainApiKey)).Status);
        }

        results.Should().OnlyContain(s => s == HttpStatusCode.OK);
    }
}
