using System.Net;
using Senar.Client.Tests.TestSupport;
using Senar.Client.Webhooks;
using TrainingApis.Core;
using TrainingApis.Testing;

namespace Senar.Client.Tests.Webhooks;

public sealed class SenarWebhooksClientTests
{
    private static readonly Uri Hook = new("https://hooks.zapier.com/hooks/catch/123/abc/");

    [Theory]
    [InlineData(SenarWebhookEvent.Activity, "activity")]
    [InlineData(SenarWebhookEvent.User, "user")]
    public async Task Posts_the_hook_url_the_event_and_the_zapier_provider(SenarWebhookEvent webhookEvent, string method)
    {
        var fake = new SenarFake(login: _ => FakeHttpHandler.JsonResponse(SeedExamples.LoginResponse), api: _ => FakeHttpHandler.JsonResponse(SeedExamples.WebhookRegisterResponse));
        using var client = fake.CreateClient();

        await client.Webhooks.RegisterAsync(Hook, webhookEvent);

        var request = fake.ApiRequests.Should().ContainSingle().Subject;
        request.Method.Should().Be(HttpMethod.Post);
        request.Uri.Should().Be(new Uri("https://studio.senar.io/integration/data/webhook_register"));
        request.Authorization.Should().Be("Bearer eedx...");
        request.ContentType.Should().Be("application/json; charset=utf-8");
        SenarFake.PropertyNames(request).Should().Equal("hookUrl", "method", "provider");
        var body = SenarFake.ParseBody(request);
        body.GetProperty("hookUrl").GetString().Should().Be("https://hooks.zapier.com/hooks/catch/123/abc/");
        body.GetProperty("method").GetString().Should().Be(method);
        body.GetProperty("provider").GetString().Should().Be("zapier");
    }

    [Fact]
    public async Task Reads_the_documented_response()
    {
        var fake = new SenarFake(api: _ => FakeHttpHandler.JsonResponse(SeedExamples.WebhookRegisterResponse));
        using var client = fake.CreateClient();

        var registration = await client.Webhooks.RegisterAsync(Hook, SenarWebhookEvent.Activity);

        registration.Id.Should().Be("<webhook_id>");
    }

    [Theory]
    [InlineData("""{"id": 12345}""", "12345")]
    [InlineData("""{"id": "abc-123"}""", "abc-123")]
    [InlineData("""{"id": 9007199254740993}""", "9007199254740993")]
    [InlineData("""{"Id": "wh_1", "createdAt": "2026-01-01"}""", "wh_1")]
    public async Task Returns_the_id_as_a_string_whatever_its_json_type(string json, string expected)
    {
        var fake = new SenarFake(api: _ => FakeHttpHandler.JsonResponse(json));
        using var client = fake.CreateClient();

        var registration = await client.Webhooks.RegisterAsync(Hook, SenarWebhookEvent.User);

        registration.Id.Should().Be(expected);
    }

    [Fact]
    public async Task An_answer_without_an_id_is_an_ApiException_that_warns_of_a_possible_registration()
    {
        var fake = new SenarFake(api: _ => FakeHttpHandler.JsonResponse("{}"));
        using var client = fake.CreateClient();

        var act = () => client.Webhooks.RegisterAsync(Hook, SenarWebhookEvent.User);

        (await act.Should().ThrowAsync<ApiException>()).Which.Message.Should().Contain("no id").And.Contain("may be registered");
    }

    [Fact]
    public async Task Is_not_retried_after_a_5xx_because_it_is_not_idempotent()
    {
        var fake = new SenarFake(api: _ => SenarFake.Status(HttpStatusCode.InternalServerError));
        using var client = fake.CreateClient();

        var act = () => client.Webhooks.RegisterAsync(Hook, SenarWebhookEvent.Activity);

        (await act.Should().ThrowAsync<ApiException>()).Which.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        fake.ApiRequests.Should().ContainSingle();
    }

    [Fact]
    public async Task Is_retried_after_a_429_which_proves_it_was_not_processed()
    {
        var calls = 0;
        var fake = new SenarFake(api: _ =>
        {
            if (Interlocked.Increment(ref calls) > 1)
            {
                return FakeHttpHandler.JsonResponse("""{"id": "wh_2"}""");
            }

            var tooMany = SenarFake.Status(HttpStatusCode.TooManyRequests);
            tooMany.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(2));
            return tooMany;
        });
        using var client = fake.CreateClient();
        var start = fake.Time.GetUtcNow();

        var registration = await fake.Time.RunAsync(client.Webhooks.RegisterAsync(Hook, SenarWebhookEvent.Activity));

        registration.Id.Should().Be("wh_2");
        fake.ApiRequests.Should().HaveCount(2);
        fake.Time.GetUtcNow().Should().BeOnOrAfter(start + TimeSpan.FromSeconds(2));
    }

    [Theory]
    [InlineData("http://hooks.example.com/senar")]
    [InlineData("ftp://hooks.example.com/senar")]
    public async Task Refuses_urls_that_are_not_https_before_any_io(string url)
    {
        var fake = new SenarFake();
        using var client = fake.CreateClient();

        var act = () => client.Webhooks.RegisterAsync(new Uri(url), SenarWebhookEvent.Activity);

        (await act.Should().ThrowAsync<ArgumentException>().WithParameterName("hookUrl")).Which.Message.Should().Contain("https");
        fake.Handler.Count.Should().Be(0);
    }

    [Fact]
    public async Task Refuses_a_relative_url()
    {
        var fake = new SenarFake();
        using var client = fake.CreateClient();

        var act = () => client.Webhooks.RegisterAsync(new Uri("/hooks/senar", UriKind.Relative), SenarWebhookEvent.Activity);

        (await act.Should().ThrowAsync<ArgumentException>().WithParameterName("hookUrl")).Which.Message.Should().Contain("absolute");
        fake.Handler.Count.Should().Be(0);
    }

    [Fact]
    public async Task Refuses_a_null_url_and_an_undefined_event()
    {
        var fake = new SenarFake();
        using var client = fake.CreateClient();

        var noUrl = () => client.Webhooks.RegisterAsync(null!, SenarWebhookEvent.Activity);
        var badEvent = () => client.Webhooks.RegisterAsync(Hook, (SenarWebhookEvent)7);

        await noUrl.Should().ThrowAsync<ArgumentNullException>().WithParameterName("hookUrl");
        await badEvent.Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName("webhookEvent");
        fake.Handler.Count.Should().Be(0);
    }

    [Theory]
    [InlineData("http://localhost:5000/hooks/senar")]
    [InlineData("http://127.0.0.1:8080/senar")]
    [InlineData("http://[::1]/senar")]
    [InlineData("https://10.0.0.5/senar")]
    public async Task Allows_plain_http_and_local_hosts_when_senar_itself_is_on_loopback(string url)
    {
        var fake = new SenarFake(api: _ => FakeHttpHandler.JsonResponse("""{"id": 1}"""));
        using var client = fake.CreateClient(o => o.BaseAddress = new Uri("http://127.0.0.1:5080/"));

        var registration = await client.Webhooks.RegisterAsync(new Uri(url), SenarWebhookEvent.User);

        registration.Id.Should().Be("1");
        SenarFake.ParseBody(fake.ApiRequests.Single()).GetProperty("hookUrl").GetString().Should().Be(new Uri(url).AbsoluteUri);
    }
}
