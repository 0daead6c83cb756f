using System.Net;
using TrainingApis.Core.Http;
using TrainingApis.Core.Tests.TestSupport;
using TrainingApis.Testing;

namespace TrainingApis.Core.Tests.Http;

public sealed class BearerKeyHandlerTests
{
    [Fact]
    public async Task The_key_is_read_for_every_request_so_a_rotated_key_applies()
    {
        var key = "key-one-1111";
        using var pipeline = TestPipeline.Create(_ => FakeHttpHandler.JsonResponse("{}"), authentication: _ => new BearerKeyHandler(() => key, "TestOptions.ApiKey"));

        (await pipeline.SendAsync(TestPipeline.Get())).StatusCode.Should().Be(HttpStatusCode.OK);
        key = "key-two-2222";
        (await pipeline.SendAsync(TestPipeline.Get())).StatusCode.Should().Be(HttpStatusCode.OK);

        pipeline.Handler.Requests.Select(r => r.Authorization).Should().Equal("Bearer key-one-1111", "Bearer key-two-2222");
    }

    [Fact]
    public async Task Every_retry_reads_the_key_again()
    {
        var reads = 0;
        using var pipeline = TestPipeline.Create(
            n => FakeHttpHandler.JsonResponse("{}", n < 2 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK),
            authentication: _ => new BearerKeyHandler(() => $"key-{++reads}-abcd", "TestOptions.ApiKey"));

        await pipeline.SendAsync(TestPipeline.Get());

        pipeline.Handler.Requests.Select(r => r.Authorization).Should().Equal("Bearer key-1-abcd", "Bearer key-2-abcd", "Bearer key-3-abcd");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task A_missing_key_is_a_clear_error_naming_the_setting_and_nothing_is_sent(string? key)
    {
        using var pipeline = TestPipeline.Create(_ => FakeHttpHandler.JsonResponse("{}"), authentication: _ => new BearerKeyHandler(() => key, "TestOptions.ApiKey"));

        var exception = await pipeline.SendFailingAsync(TestPipeline.Get());

        exception.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Contain("TestOptions.ApiKey");
        pipeline.Handler.Count.Should().Be(0);
    }

    [Fact]
    public async Task Plain_http_to_a_remote_host_is_refused_before_the_key_is_sent()
    {
        using var pipeline = TestPipeline.Create(
            _ => FakeHttpHandler.JsonResponse("{}"),
            configure: o => o.BaseAddress = new Uri("http://api.example.com/"),
            authentication: _ => new BearerKeyHandler(() => "secret-key-1234", "TestOptions.ApiKey"));

        var exception = await pipeline.SendFailingAsync(TestPipeline.Get());

        exception.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Contain("https").And.NotContain("secret-key-1234");
        pipeline.Handler.Count.Should().Be(0);
    }

    [Fact]
    public async Task An_absolute_request_address_is_checked_too()
    {
        using var pipeline = TestPipeline.Create(_ => FakeHttpHandler.JsonResponse("{}"), authentication: _ => new BearerKeyHandler(() => "secret-key-1234", "TestOptions.ApiKey"));
        var request = new HttpRequestMessage(HttpMethod.Get, "http://elsewhere.example.com/steal");

        var exception = await pipeline.SendFailingAsync(request);

        exception.Should().BeOfType<InvalidOperationException>();
        pipeline.Handler.Count.Should().Be(0);
    }

    [Theory]
    [InlineData("http://localhost:5000/")]
    [InlineData("http://127.0.0.1:5000/")]
    [InlineData("http://[::1]:5000/")]
    public async Task Plain_http_to_loopback_is_allowed(string baseAddress)
    {
        using var pipeline = TestPipeline.Create(
            _ => FakeHttpHandler.JsonResponse("{}"),
            configure: o => o.BaseAddress = new Uri(baseAddress),
            authentication: _ => new BearerKeyHandler(() => "local-key-1234", "TestOptions.ApiKey"));

        var response = await pipeline.SendAsync(TestPipeline.Get());

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        pipeline.Handler.Requests.Should().ContainSingle().Which.Authorization.Should().Be("Bearer local-key-1234");
    }

    [Fact]
    public void A_null_key_source_is_an_argument_error()
    {
        var act = () => new BearerKeyHandler(null!, "X");

        act.Should().Throw<ArgumentNullException>();
    }
}
