using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using TrainingApis.Core.Http;
using TrainingApis.Core.Tests.TestSupport;
using TrainingApis.Testing;

namespace TrainingApis.Core.Tests.Http;

/// <summary>Issue 14, "Secrets outside the body": headers echoing a secret never reach a message, a request id or a log.</summary>
public sealed class ApiErrorMapperSecretsTests
{
    private const string Key = "sk-live-Key+4711/abc";

    private static HttpResponseMessage Failed(string header, string value, HttpStatusCode status = HttpStatusCode.InternalServerError, bool withCredential = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "https://api.test/v2/access-api/user/token");
        if (withCredential)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        }

        var response = new HttpResponseMessage(status) { RequestMessage = request, Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        response.Headers.TryAddWithoutValidation(header, value);
        return response;
    }

    public static TheoryData<string, string> Echoes() => new()
    {
        { "x-request-id", $"gw-{Key}" },
        { "request-id", $"gw-{Uri.EscapeDataString(Key)}" },
        { "x-correlation-id", $"gw-{System.Text.RegularExpressions.Regex.Replace(Uri.EscapeDataString(Key), "%[0-9A-F]{2}", m => m.Value.ToLowerInvariant())}" },
        { "x-amzn-requestid", Convert.ToBase64String(Encoding.UTF8.GetBytes(Key)) },
        { "x-ms-request-id", Convert.ToBase64String(Encoding.UTF8.GetBytes(Key)).TrimEnd('=').Replace('+', '-').Replace('/', '_') },
        { "cf-ray", $"gw-{System.Net.WebUtility.UrlEncode(Key)}" },
    };

    [Theory]
    [MemberData(nameof(Echoes))]
    public async Task A_request_id_echoing_the_key_is_masked_in_the_request_id_and_the_message(string header, string value)
    {
        using var response = Failed(header, value);

        var error = await ApiErrorMapper.CreateExceptionAsync(response, "Symtrain", [Key]);

        error.RequestId.Should().Contain("***").And.NotContain("Key+4711").And.NotContain("4711");
        error.Message.Should().NotContain("4711").And.Contain("(request id ");
        error.ToString().Should().NotContain("4711");
    }

    [Theory]
    [MemberData(nameof(Echoes))]
    public async Task The_credential_the_request_carried_is_masked_even_when_the_caller_passes_no_secret(string header, string value)
    {
        using var response = Failed(header, value, HttpStatusCode.Unauthorized);

        var error = await ApiErrorMapper.CreateExceptionAsync(response, "Symtrain");

        error.RequestId.Should().NotContain("4711");
        ApiErrorMapper.GetRequestId(response).Should().NotContain("4711");
        ApiErrorMapper.CreateInvalidResponseException(response, "Symtrain", "JSON", null).RequestId.Should().NotContain("4711");
    }

    [Fact]
    public async Task A_secret_across_the_200_character_cut_of_a_request_id_is_masked_whole()
    {
        using var response = Failed("x-request-id", new string('r', 195) + Key);

        var error = await ApiErrorMapper.CreateExceptionAsync(response, "Symtrain", [Key]);

        error.RequestId.Should().Be(new string('r', 195) + "***");
    }

    [Fact]
    public async Task A_reason_phrase_echoing_the_key_is_masked()
    {
        using var response = Failed("x-other", "1");
        response.ReasonPhrase = $"Bad key {Key}";

        var error = await ApiErrorMapper.CreateExceptionAsync(response, "Symtrain", [Key]);

        error.Message.Should().NotContain("4711").And.Contain("Bad key ***");
    }

    [Fact]
    public async Task A_body_echoing_a_password_url_encoded_is_masked()
    {
        const string password = "S\u00EBcret+Pass&word1";
        using var response = Failed("x-other", "1", HttpStatusCode.Unauthorized, withCredential: false);
        response.Content = new StringContent("""{"message":"Invalid login: username=api%40example.com&password=S%C3%ABcret%2BPass%26word1"}""", Encoding.UTF8, "application/json");

        var error = await ApiErrorMapper.CreateExceptionAsync(response, "Senar", [password]);

        error.ResponseBody.Should().NotContain("S%C3%ABcret").And.Contain("password=***");
        error.Message.Should().NotContain("S%C3%ABcret");
    }

    [Fact]
    public async Task Logged_allow_listed_headers_are_masked_at_trace()
    {
        var collector = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(collector)).SetMinimumLevel(LogLevel.Trace));
        var time = FakeTime.Create();
        var settings = new ApiPipelineSettings { ServiceName = "Test", Options = new TestOptions(), TimeProvider = time, Logger = loggerFactory.CreateLogger("Test") };
        var primary = new FakeHttpHandler((_, _) =>
        {
            var response = FakeHttpHandler.JsonResponse("{}");
            response.Headers.TryAddWithoutValidation("X-Request-Id", $"gw-{Key}");
            response.Headers.TryAddWithoutValidation("X-Correlation-Id", Convert.ToBase64String(Encoding.UTF8.GetBytes(Key)));
            response.Headers.TryAddWithoutValidation("Server", $"edge {Uri.EscapeDataString(Key)}");
            return response;
        });
        using var client = new HttpClient(ApiPipeline.CreateChain(primary, settings, new BearerKeyHandler(() => Key, "TestOptions.ApiKey"))) { BaseAddress = new Uri("https://api.test/") };

        using var answer = await time.RunAsync(client.GetAsync(new Uri("v1/things", UriKind.Relative)));

        var logs = collector.GetSnapshot().Select(r => r.Message).ToList();
        logs.Should().Contain(m => m.Contains("X-Request-Id: gw-***", StringComparison.OrdinalIgnoreCase) && m.Contains("Server: edge ***", StringComparison.Ordinal));
        logs.Should().NotContain(m => m.Contains("4711", StringComparison.Ordinal));
    }
}
