using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Symtrain.Client.Access;
using TrainingApis.Core;
using TrainingApis.Testing;

namespace Symtrain.Client.Tests;

/// <summary>
/// Issue 14, "Secrets outside the body": a 500 whose <c>x-request-id</c> echoed the API key (<c>gw-&lt;key&gt;</c>) put the key
/// in <c>ex.Message</c>, <c>ex.RequestId</c> and the Trace logs.
/// </summary>
public sealed class SecretEchoTests
{
    public static TheoryData<string, string> Echoes()
    {
        var key = Harness.ApiKey;
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(key));
        return new TheoryData<string, string>
        {
            { "x-request-id", $"gw-{key}" },
            { "x-request-id", $"gw-{base64}" },
            { "request-id", $"gw-{base64.TrimEnd('=').Replace('+', '-').Replace('/', '_')}" },
            { "x-correlation-id", $"gw-{Convert.ToBase64String(Encoding.UTF8.GetBytes("Bearer " + key))}" },
            { "x-correlation-id", $"gw-{Uri.EscapeDataString("key=" + key)}" },
        };
    }

    [Theory]
    [MemberData(nameof(Echoes))]
    public async Task A_500_whose_request_id_echoes_the_key_keeps_it_out_of_the_message_the_request_id_and_the_logs(string header, string value)
    {
        var collector = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(collector)).SetMinimumLevel(LogLevel.Trace));
        var time = FakeTime.Create();
        var handler = new FakeHttpHandler((_, _) =>
        {
            var response = FakeHttpHandler.JsonResponse("""{"message":"Internal error"}""", HttpStatusCode.InternalServerError);
            response.Headers.TryAddWithoutValidation(header, value);
            return response;
        });
        using var client = new SymtrainClient(new SymtrainClientOptions { ApiKey = Harness.ApiKey, Retry = new RetryOptions { MaxRetries = 1 } }, handler, time, loggerFactory);

        // Not the user token call: its answer's request ids are never logged at all (they may echo the new token).
        var error = (await FluentActions.Awaiting(() => time.RunAsync(client.Access.UnassignSimulationAsync("org-1", "ana@example.com", "sim-1"))).Should().ThrowAsync<ApiException>()).Which;

        error.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        error.RequestId.Should().StartWith("gw-").And.Contain("***");
        error.Message.Should().Contain("(request id gw-");
        var logs = collector.GetSnapshot().Select(r => r.Message + (r.Exception is null ? string.Empty : " " + r.Exception)).ToList();
        logs.Should().Contain(m => m.Contains("gw-", StringComparison.Ordinal), "the request id is logged at Trace, masked");
        var texts = new[] { error.Message, error.RequestId, error.ToString() }.Concat(logs);
        texts.Should().NotContain(t => t != null && t.Contains("0123456789abcdef", StringComparison.OrdinalIgnoreCase));
        texts.Should().NotContain(t => t != null && t.Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes(Harness.ApiKey)).Substring(4, 16), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_body_echoing_the_key_url_encoded_or_in_base64_is_masked()
    {
        var key = Harness.ApiKey;
        using var harness = Harness.Json(
            $$"""{"message":"bad key {{Uri.EscapeDataString(key)}} / {{Convert.ToBase64String(Encoding.UTF8.GetBytes(key))}}"}""",
            status: HttpStatusCode.BadRequest);

        var error = (await FluentActions.Awaiting(() => harness.Client.Access.CreateDeepLinkAsync("org-1", "ana@example.com", "sim-1")).Should().ThrowAsync<ApiValidationException>()).Which;

        error.ResponseBody.Should().Contain("bad key *** / ***");
        error.Message.Should().Contain("bad key *** / ***");
    }

    [Theory]
    [MemberData(nameof(Echoes))]
    public async Task A_200_that_is_not_json_whose_request_id_echoes_the_key_keeps_it_out_of_the_error(string header, string value)
    {
        var handler = new FakeHttpHandler((_, _) =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html>gateway</html>", Encoding.UTF8, "application/json") };
            response.Headers.TryAddWithoutValidation(header, value);
            return response;
        });
        using var client = new SymtrainClient(new SymtrainClientOptions { ApiKey = Harness.ApiKey }, handler, FakeTime.Create());

        var error = (await FluentActions.Awaiting(() => client.Users.CreateAccessTokenAsync("org-1", "ana@example.com")).Should().ThrowAsync<ApiException>()).Which;

        error.RequestId.Should().StartWith("gw-").And.Contain("***");
        var texts = new[] { error.Message, error.RequestId, error.ToString() };
        texts.Should().NotContain(t => t != null && t.Contains("0123456789abcdef", StringComparison.OrdinalIgnoreCase));
        texts.Should().NotContain(t => t != null && t.Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes(Harness.ApiKey)).Substring(4, 16), StringComparison.Ordinal));
    }
}
