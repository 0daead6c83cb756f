using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TrainingApis.Core.Diagnostics;
using TrainingApis.Core.Http;
using TrainingApis.Core.Tests.TestSupport;
using TrainingApis.Testing;

namespace TrainingApis.Core.Tests.Http;

/// <summary>Issue 14, "Redirects": same-origin 307/308 followed with method, body and credentials; every other redirect refused.</summary>
public sealed class RedirectHandlerTests
{
    private const string Key = "key-redirect-4711";

    private static TestPipeline Pipeline(Func<RecordedRequest, HttpResponseMessage> respond) =>
        TestPipeline.Create(
            (_, recorded, _) => Task.FromResult(respond(recorded)),
            authentication: _ => new BearerKeyHandler(() => Key, "TestOptions.ApiKey"));

    private static HttpResponseMessage Redirect(int status, string location)
    {
        var response = new HttpResponseMessage((HttpStatusCode)status);
        response.Headers.Location = new Uri(location, UriKind.RelativeOrAbsolute);
        return response;
    }

    [Theory]
    [InlineData(307, "/v1/things/")]
    [InlineData(308, "/v1/things/")]
    [InlineData(307, "https://api.test/v1/things/")]
    [InlineData(308, "https://API.test:443/v1/things/")]
    [InlineData(307, "things/")]
    public async Task A_same_origin_307_or_308_is_followed_with_method_body_and_credentials(int status, string location)
    {
        using var pipeline = Pipeline(r => r.Path == "/v1/things" ? Redirect(status, location) : FakeHttpHandler.JsonResponse("""{"ok":true}"""));

        var response = await pipeline.SendAsync(TestPipeline.Post("""{"name":"x"}"""));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var requests = pipeline.Handler.Requests;
        requests.Select(r => r.Uri!.ToString()).Should().Equal("https://api.test/v1/things", "https://api.test/v1/things/");
        requests.Should().OnlyContain(r => r.Method == HttpMethod.Post && r.Body == """{"name":"x"}""" && r.Authorization == $"Bearer {Key}");
        requests[1].ContentType.Should().Be("application/json; charset=utf-8");
    }

    [Theory]
    [InlineData(300)]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(303)]
    public async Task Any_other_redirect_status_is_refused_naming_the_status_and_the_target(int status)
    {
        using var pipeline = Pipeline(_ => Redirect(status, "/v1/things/"));

        var error = await pipeline.SendFailingAsync(TestPipeline.Post());

        var api = error.Should().BeOfType<ApiException>().Subject;
        api.StatusCode.Should().Be((HttpStatusCode)status);
        api.IsTransient.Should().BeFalse();
        api.Message.Should().Contain($"redirected ({status} ").And.Contain("https://api.test/v1/things/").And.Contain("POST /v1/things").And.Contain("307 and 308");
        pipeline.Handler.Count.Should().Be(1, "nothing is sent to the target, and the refusal is not retried");
    }

    [Theory]
    [InlineData(307, "https://elsewhere.test/v1/things")]
    [InlineData(308, "https://elsewhere.test/v1/things")]
    [InlineData(307, "http://api.test/v1/things")]
    [InlineData(308, "https://api.test:8443/v1/things")]
    [InlineData(301, "https://elsewhere.test/v1/things")]
    [InlineData(302, "http://api.test/v1/things")]
    public async Task A_redirect_to_another_origin_is_refused_and_never_receives_the_credentials(int status, string location)
    {
        using var pipeline = Pipeline(_ => Redirect(status, location));

        var error = await pipeline.SendFailingAsync(TestPipeline.Get());

        var api = error.Should().BeOfType<ApiException>().Subject;
        api.Message.Should().Contain(location).And.Contain($"({status} ");
        pipeline.Handler.Requests.Should().ContainSingle().Which.Uri!.Host.Should().Be("api.test");
    }

    [Fact]
    public async Task A_redirect_without_location_is_refused()
    {
        using var pipeline = Pipeline(_ => new HttpResponseMessage(HttpStatusCode.TemporaryRedirect));

        var error = await pipeline.SendFailingAsync(TestPipeline.Get());

        error.Should().BeOfType<ApiException>().Which.Message.Should().Contain("no Location");
    }

    [Fact]
    public async Task A_redirect_loop_is_cut_after_the_maximum()
    {
        var hop = 0;
        using var pipeline = Pipeline(_ => Redirect(307, $"/v1/things/{++hop}"));

        var error = await pipeline.SendFailingAsync(TestPipeline.Get());

        error.Should().BeOfType<ApiException>().Which.Message.Should().Contain("more than 5 redirects");
        pipeline.Handler.Count.Should().Be(Redirects.MaxRedirects + 1);
    }

    [Fact]
    public async Task The_target_is_named_without_its_query_or_a_secret()
    {
        using var pipeline = Pipeline(_ => Redirect(302, $"https://login.elsewhere.test/{Key}/sso?key={Key}&next=1"));

        var error = await pipeline.SendFailingAsync(TestPipeline.Get());

        error.Message.Should().Contain("https://login.elsewhere.test/").And.NotContain(Key).And.NotContain("next=1");
    }

    [Fact]
    public async Task A_retry_after_a_followed_redirect_starts_again_from_the_address_asked_for()
    {
        var n = 0;
        using var pipeline = Pipeline(r => n++ switch
        {
            0 => Redirect(307, "/v1/moved"),
            1 => TestPipeline.Status(HttpStatusCode.ServiceUnavailable),
            2 => Redirect(307, "/v1/moved"),
            _ => FakeHttpHandler.JsonResponse("{}"),
        });

        (await pipeline.SendAsync(TestPipeline.Get())).StatusCode.Should().Be(HttpStatusCode.OK);

        pipeline.Handler.Requests.Select(r => r.Path).Should().Equal("/v1/things", "/v1/moved", "/v1/things", "/v1/moved");
    }

    [Fact]
    public void Automatic_redirects_are_off_in_the_default_primary_handler()
    {
        using var primary = ApiPipeline.CreatePrimaryHandler();

        primary.Should().BeOfType<SocketsHttpHandler>().Which.AllowAutoRedirect.Should().BeFalse();
    }

    [Fact]
    public void Automatic_redirects_are_off_in_the_primary_handler_of_a_client_from_dependency_injection()
    {
        using var diagnostics = new ApiDiagnostics("TrainingApis.Tests.Redirects." + Guid.NewGuid().ToString("N"));
        var services = new ServiceCollection();
        services.AddOptions<TestOptions>();
        services.AddHttpClient("test").AddApiPipeline<TestOptions>(Microsoft.Extensions.Options.Options.DefaultName, "Test", diagnostics, (_, _, _) => null, (_, _) => null);
        using var provider = services.BuildServiceProvider();

        using var chain = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler("test");

        HttpMessageHandler handler = chain;
        var types = new List<Type>();
        while (handler is DelegatingHandler delegating)
        {
            types.Add(delegating.GetType());
            handler = delegating.InnerHandler!;
        }

        types.Should().Contain(typeof(AttemptHandler), "the attempt handler applies the SDK's redirect rule");
        (handler switch
        {
            SocketsHttpHandler sockets => sockets.AllowAutoRedirect,
            HttpClientHandler client => client.AllowAutoRedirect,
            _ => throw new InvalidOperationException($"Unexpected primary handler {handler.GetType()}"),
        }).Should().BeFalse();
    }

    [Fact]
    public void A_handler_already_in_use_is_left_as_it_is()
    {
        using var used = new SocketsHttpHandler();
        using var invoker = new HttpMessageInvoker(used, disposeHandler: false);
        _ = invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:1/"), new CancellationToken(canceled: true));

        FluentActions.Invoking(() => Redirects.DisableAutomaticRedirects(used)).Should().NotThrow();
        Redirects.DisableAutomaticRedirects(new FakeHttpHandler((_, _) => new HttpResponseMessage()));
    }
}
